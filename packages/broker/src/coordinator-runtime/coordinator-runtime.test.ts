/**
 * The shared coordinator runtime with a toy coordinator (records `key=value`, applied to a map; transactional ones
 * pending until their producer's marker), over one in-memory log that stands for the replicated partition:
 * LOADING -> ACTIVE, NOT_COORDINATOR elsewhere, append-then-apply, markers replayed in log order and written through it.
 */
import { errorForCode, javaStringHashCode, kafkaAbs, parseConfig, topicDefaults, type MetadataImage } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { CoordinatorRuntime } from './coordinator-runtime.js';
import { encodeCoordinatorBatch, encodeTransactionMarkerBatch } from './coordinator-loader.js';
import type { AppendResult, CoordinatorRecordSerde, CoordinatorShard, CoordinatorShardContext, RecordOrigin, TransactionMarker } from './coordinator-shard.js';

const TOPIC = '__toy_state';
const me = 1;
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null) => (bytes === null ? '' : new TextDecoder().decode(bytes));

interface ToyRecord {
  key: string;
  value: string;
}
/** A value the toy serde refuses to write, as the group serde refuses a topic id that is not a Kafka Uuid. */
const UNENCODABLE = 'unencodable';
const serde: CoordinatorRecordSerde<ToyRecord> = {
  encode: (record) => {
    if (record.value === UNENCODABLE) throw new Error('this value cannot be written');
    return { key: utf8(record.key), value: utf8(record.value) };
  },
  decode: (key, value) => ({ key: text(key), value: text(value) }),
};

class ToyShard implements CoordinatorShard<ToyRecord> {
  readonly state = new Map<string, string>();
  readonly pending = new Map<number, ToyRecord[]>();
  loaded = false;
  unloaded = false;
  constructor(readonly context: CoordinatorShardContext<ToyRecord>) {}
  replay(record: ToyRecord, origin: RecordOrigin): void {
    if (origin.isTransactional) this.pending.set(origin.producerId, [...(this.pending.get(origin.producerId) ?? []), record]);
    else this.state.set(record.key, record.value);
  }
  replayEndTransaction(marker: TransactionMarker): void {
    if (marker.result === 'COMMIT') for (const record of this.pending.get(marker.producerId) ?? []) this.state.set(record.key, record.value);
    this.pending.delete(marker.producerId);
  }
  onLoaded(): void {
    this.loaded = true;
  }
  onUnloaded(): void {
    this.unloaded = true;
  }
  halt(): void {
    this.unloaded = true;
  }
  /** A write: applied once appended. */
  put(record: ToyRecord, onDone: (result: AppendResult) => void): void {
    this.context.append([record], undefined, (result) => {
      if (result.ok) this.state.set(record.key, record.value);
      onDone(result);
    });
  }
}

function image(leader: number, leaderEpoch: number, partitions = 1): MetadataImage {
  return {
    clusterId: 'c',
    controllerId: 0,
    metadataOffset: leaderEpoch,
    brokers: [1, 2].map((brokerId) => ({ brokerId, host: '127.0.0.1', port: 9000 + brokerId, url: `ws://127.0.0.1:${9000 + brokerId}`, rack: null, fenced: false, brokerEpoch: 1 })) as never,
    topics: [
      {
        name: TOPIC,
        topicId: 'toy-id',
        isInternal: true,
        configs: [],
        partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, leader, leaderEpoch, partitionEpoch: leaderEpoch, replicas: [1, 2], isr: [1, 2] })),
      },
    ],
  };
}

function setUp() {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const config = parseConfig('broker', { 'node.id': String(me), 'process.roles': 'broker' });
  const log = new MemoryLogStore({ clock }).open(TOPIC, 0, 'toy-id', parseConfig('topic', {}, { defaults: topicDefaults(config) }));
  const replica = { state: 'Leader', leaderEpoch: 0, failAppends: false };
  const appended: Uint8Array[] = [];
  let current: MetadataImage | null = null;
  const shards: ToyShard[] = [];
  const runtime = new CoordinatorRuntime<ToyRecord, ToyShard>({
    name: 'toy coordinator',
    brokerId: me,
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 2, replicationFactorConfig: 'toy.replication.factor', configs: [] },
    appendTimeoutMs: 5_000,
    serde,
    buildShard: (context) => {
      const shard = new ToyShard(context);
      shards.push(shard);
      return shard;
    },
    clock,
    logger: createLogger({ level: 'silent' }),
    peers: { request: () => undefined } as never,
    controllerUrl: () => undefined,
    partitions: {
      view: (topic: string, partition: number) => (topic === TOPIC && partition === 0 ? { state: replica.state, context: { leaderEpoch: replica.leaderEpoch, ports: { log } } } : undefined),
      appendInternal: (_topic: string, _partition: number, batch: Uint8Array, _timeoutMs: number, onDone: (errorName: 'NONE' | 'NOT_ENOUGH_REPLICAS') => void) => {
        if (replica.failAppends) return onDone('NOT_ENOUGH_REPLICAS');
        appended.push(batch);
        log.append(batch, { leaderEpoch: replica.leaderEpoch, recordCount: 1 });
        onDone('NONE');
      },
    } as never,
    currentImage: () => current,
  });
  const apply = (leader: number, leaderEpoch: number) => {
    replica.state = leader === me ? 'Leader' : 'Follower';
    replica.leaderEpoch = leaderEpoch;
    current = image(leader, leaderEpoch);
    runtime.onImage(current);
  };
  const writtenElsewhere = (records: ToyRecord[], producerId?: number) =>
    log.append(encodeCoordinatorBatch(serde, records, clock.now(), producerId === undefined ? undefined : { producerId, producerEpoch: 0 }), { leaderEpoch: 0, recordCount: records.length });
  const markerElsewhere = (producerId: number, result: 'COMMIT' | 'ABORT') =>
    log.append(encodeTransactionMarkerBatch({ producerId, producerEpoch: 0, result, coordinatorEpoch: 3 }, clock.now()), { leaderEpoch: 0, recordCount: 1 });
  const lookup = () => {
    const found = runtime.shardFor('any-key');
    return found.ok ? 'ACTIVE' : found.errorName;
  };
  const setImage = (next: MetadataImage) => {
    current = next;
  };
  return { clock, log, replica, appended, shards, runtime, apply, setImage, writtenElsewhere, markerElsewhere, lookup };
}

describe('CoordinatorRuntime', () => {
  it('LOADING -> ACTIVE on election: COORDINATOR_LOAD_IN_PROGRESS while loading, NOT_COORDINATOR before and after leading', async () => {
    const t = setUp();
    expect(t.lookup()).toBe('NOT_COORDINATOR');
    t.writtenElsewhere([{ key: 'a', value: '1' }]);
    t.apply(me, 1);
    expect(t.lookup()).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(t.runtime.isLoading()).toBe(true);
    await t.clock.advanceByAsync(0);
    expect(t.lookup()).toBe('ACTIVE');
    expect(t.shards[0]?.loaded).toBe(true);
    expect(t.runtime.activeShards()[0]?.state.get('a')).toBe('1');
    t.apply(2, 2);
    expect(t.lookup()).toBe('NOT_COORDINATOR');
    expect(t.shards[0]?.unloaded).toBe(true);
  });

  it('replays transactional records and their markers in log order: COMMIT applies, ABORT drops, an open transaction stays pending', async () => {
    const t = setUp();
    t.writtenElsewhere([{ key: 'a', value: 'committed' }], 7);
    t.writtenElsewhere([{ key: 'b', value: 'aborted' }], 8);
    t.writtenElsewhere([{ key: 'c', value: 'regular' }]);
    t.markerElsewhere(8, 'ABORT');
    t.markerElsewhere(7, 'COMMIT');
    t.writtenElsewhere([{ key: 'd', value: 'open' }], 9);
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    const shard = t.runtime.activeShards()[0] as ToyShard;
    expect(Object.fromEntries(shard.state)).toEqual({ a: 'committed', c: 'regular' });
    expect([...shard.pending.keys()]).toEqual([9]);
  });

  it('append-then-apply: a write is applied only once appended with acks=all; a failed append applies nothing', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    const shard = t.runtime.activeShards()[0] as ToyShard;
    const results: AppendResult[] = [];
    shard.put({ key: 'x', value: '1' }, (result) => results.push(result));
    t.replica.failAppends = true;
    shard.put({ key: 'y', value: '2' }, (result) => results.push(result));
    expect(results).toEqual([{ ok: true }, { ok: false, errorName: 'NOT_ENOUGH_REPLICAS' }]);
    expect(Object.fromEntries(shard.state)).toEqual({ x: '1' });
  });

  it('a write the serde cannot encode fails alone with UNKNOWN_SERVER_ERROR, nothing appended or applied, and the shard keeps serving', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    const shard = t.runtime.activeShards()[0] as ToyShard;
    const results: AppendResult[] = [];
    shard.put({ key: 'x', value: UNENCODABLE }, (result) => results.push(result));
    shard.put({ key: 'y', value: '2' }, (result) => results.push(result));
    expect(results).toEqual([{ ok: false, errorName: 'UNKNOWN_SERVER_ERROR' }, { ok: true }]);
    expect(t.appended).toHaveLength(1);
    expect(Object.fromEntries(shard.state)).toEqual({ y: '2' });
    expect(t.lookup()).toBe('ACTIVE');
  });

  it('completeTransaction writes the marker, then replays it into the shard; a successor replays the same outcome from the log', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    t.writtenElsewhere([{ key: 'k', value: 'v' }], 5);
    const shard = t.runtime.activeShards()[0] as ToyShard;
    shard.replay({ key: 'k', value: 'v' }, { offset: 0, producerId: 5, producerEpoch: 0, isTransactional: true });
    const outcomes: string[] = [];
    t.runtime.completeTransaction(0, { producerId: 5, producerEpoch: 0, result: 'COMMIT', coordinatorEpoch: 1 }, (errorName) => outcomes.push(errorName));
    expect(outcomes).toEqual(['NONE']);
    expect(shard.state.get('k')).toBe('v');
    // A new leader epoch here: the shard is rebuilt from the log, marker included.
    t.apply(me, 2);
    await t.clock.advanceByAsync(0);
    expect((t.runtime.activeShards()[0] as ToyShard).state.get('k')).toBe('v');
  });

  it('completeTransaction for a partition not served here answers NOT_COORDINATOR (the transaction coordinator retries elsewhere)', async () => {
    const t = setUp();
    const outcomes: string[] = [];
    t.runtime.completeTransaction(0, { producerId: 5, producerEpoch: 0, result: 'ABORT', coordinatorEpoch: 1 }, (errorName) => outcomes.push(errorName));
    t.apply(me, 1);
    t.runtime.completeTransaction(0, { producerId: 5, producerEpoch: 0, result: 'ABORT', coordinatorEpoch: 1 }, (errorName) => outcomes.push(errorName));
    expect(outcomes).toEqual(['NOT_COORDINATOR', 'COORDINATOR_LOAD_IN_PROGRESS']);
    expect(t.appended).toEqual([]);
  });

  it('FindCoordinator answers the leader of partition abs(hashCode(key)) % partitions (Kafka test vector: analytics -> 10 of 50)', () => {
    const t = setUp();
    const fifty = image(1, 1, 50);
    const partitions = fifty.topics[0]?.partitions ?? [];
    for (const partition of partitions) partition.leader = (partition.partitionIndex % 2) + 1;
    t.setImage(fifty);
    expect(t.runtime.partitionFor('analytics')).toBe(10);
    for (const key of ['analytics', 'billing', 'copier-1', 'tx-1']) {
      const answer = t.runtime.findCoordinator(key);
      expect(errorForCode(answer.errorCode).name).toBe('NONE');
      expect(answer.nodeId).toBe(((kafkaAbs(javaStringHashCode(key)) % 50) % 2) + 1);
    }
  });

  it('FindCoordinator before the topic exists answers COORDINATOR_NOT_AVAILABLE (the topic is being created)', () => {
    const t = setUp();
    expect(errorForCode(t.runtime.findCoordinator('tx-1').errorCode).name).toBe('COORDINATOR_NOT_AVAILABLE');
  });
});
