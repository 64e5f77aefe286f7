/**
 * Idempotence in the partition (KIP-98), mirroring Kafka's UnifiedLogTest / ReplicaManagerTest idempotence cases:
 * a retried batch is answered with its first offsets, a gap and an old epoch are refused, and the producer state
 * survives a restart (with and without a snapshot), a leader change and a truncation.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeRecordBatch } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { FileLogStore, MemoryLogStore, type LogStore, type PartitionLog } from '@kactor/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type FollowerFetchResponse, type PartitionLeadership, type ProduceCompleted } from './partition.machine.js';
import { producerEntry } from './producer-state.js';
import { startPartitionActor, testTopicConfig } from './partition-test-support.js';

const topicConfig = testTopicConfig;
const producerIdExpirationMs = 86_400_000;
const producerIdExpirationCheckIntervalMs = 600_000;

/** A batch of `count` records of producer `producerId`, epoch `epoch`, starting at sequence `sequence`. */
function idempotent(sequence: number, options: { count?: number; epoch?: number; producerId?: number } = {}) {
  return encodeRecordBatch({
    records: Array.from({ length: options.count ?? 1 }, (_, index) => ({ key: null, value: new Uint8Array([index]), headers: [], timestamp: 0 })),
    producerId: options.producerId ?? 1000,
    producerEpoch: options.epoch ?? 0,
    baseSequence: sequence,
  });
}

function start(store: LogStore, clock: SimulatedClock, leadership: Partial<PartitionLeadership> = {}, brokerId = 1, config: Partial<typeof topicConfig> = {}) {
  const log = store.open('orders', 0, 'topic-id', { ...topicConfig, ...config });
  const { actor, emitted } = startPartitionActor({ log, clock, brokerId, leadership, config: { producerIdExpirationMs, producerIdExpirationCheckIntervalMs } });
  const produced = () => emitted.filter((event): event is ProduceCompleted => event.type === 'produce.completed');
  const answers = () => produced().map((event) => [event.produceId, event.errorName, event.baseOffset]);
  const produce = (produceId: string, records: Uint8Array, acks: -1 | 0 | 1 = 1) => actor.send({ type: 'produce.append', produceId, acks, timeoutMs: 30_000, records });
  let fetchId = 1;
  const followerFetch = (replicaId: number, fetchOffset: number) =>
    actor.send({ type: 'replica.fetch', fetchId: fetchId++, replicaId, brokerEpoch: undefined, currentLeaderEpoch: actor.getSnapshot().context.leaderEpoch, fetchOffset, lastFetchedEpoch: -1, logStartOffset: 0 });
  return { actor, log, emitted, produced, answers, produce, followerFetch };
}

function fetchResponse(overrides: Partial<FollowerFetchResponse>): FollowerFetchResponse {
  return { requestLeaderEpoch: 0, fetchOffset: 0, errorName: 'NONE', highWatermark: 0, logStartOffset: 0, divergingEpoch: undefined, records: new Uint8Array(0), ...overrides };
}

const leaderBytes = (log: PartitionLog, from: number) => log.read(from, 1 << 20, log.logEndOffset).records;

describe('partition machine: idempotent produce (KIP-98)', () => {
  it('Leader: a duplicate of a retained batch (acks=1) is answered with its original base offset and appends nothing', () => {
    const clock = new SimulatedClock();
    const { answers, produce, log } = start(new MemoryLogStore({ clock }), clock);
    produce('first', idempotent(0, { count: 3 }));
    produce('second', idempotent(3, { count: 2 }));
    produce('retry-first', idempotent(0, { count: 3 }));
    expect(answers()).toEqual([
      ['first', 'NONE', 0],
      ['second', 'NONE', 3],
      ['retry-first', 'NONE', 0],
    ]);
    expect(log.logEndOffset).toBe(5);
  });

  it('Leader: a duplicate with acks=all waits until the high watermark passes the original batch, then answers its base offset', () => {
    const clock = new SimulatedClock();
    const { answers, produce, followerFetch, log } = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] });
    produce('first', idempotent(0, { count: 2 }), -1);
    produce('retry', idempotent(0, { count: 2 }), -1);
    expect(answers()).toEqual([]);
    followerFetch(2, 2);
    expect(answers()).toEqual([
      ['first', 'NONE', 0],
      ['retry', 'NONE', 0],
    ]);
    expect(log.logEndOffset).toBe(2);
  });

  it('Leader: a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER and an older epoch INVALID_PRODUCER_EPOCH; neither appends', () => {
    const clock = new SimulatedClock();
    const { answers, produce, log } = start(new MemoryLogStore({ clock }), clock);
    produce('epoch1', idempotent(0, { epoch: 1 }));
    produce('gap', idempotent(2, { epoch: 1 }));
    produce('old-epoch', idempotent(1, { epoch: 0 }));
    produce('next', idempotent(1, { epoch: 1 }));
    expect(answers()).toEqual([
      ['epoch1', 'NONE', 0],
      ['gap', 'OUT_OF_ORDER_SEQUENCE_NUMBER', -1],
      ['old-epoch', 'INVALID_PRODUCER_EPOCH', -1],
      ['next', 'NONE', 1],
    ]);
    expect(log.logEndOffset).toBe(2);
  });

  it('Leader: an idempotent produce of two batches for one partition is INVALID_RECORD (Kafka takes one batch per partition)', () => {
    const clock = new SimulatedClock();
    const { answers, produce, log } = start(new MemoryLogStore({ clock }), clock);
    produce('two', new Uint8Array([...idempotent(0), ...idempotent(1)]));
    expect(answers()).toEqual([['two', 'INVALID_RECORD', -1]]);
    expect(log.logEndOffset).toBe(0);
  });

  it('Follower -> Leader on partition.leadershipChanged: the new leader answers a retry of a batch it copied as a duplicate', () => {
    const clock = new SimulatedClock();
    const leader = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] });
    const follower = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] }, 2);
    leader.produce('p0', idempotent(0, { count: 2 }));
    leader.produce('p1', idempotent(2, { count: 3 }));
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ highWatermark: 5, records: leaderBytes(leader.log, 0) }) });
    expect(follower.log.logEndOffset).toBe(5);
    follower.actor.send({ type: 'partition.leadershipChanged', leader: 2, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2], isr: [2] });
    expect(follower.actor.getSnapshot().value).toBe('Leader');
    // The producer did not hear about p1 and retries it at the new leader.
    follower.produce('retry-p1', idempotent(2, { count: 3 }));
    follower.produce('p2', idempotent(5));
    expect(follower.answers()).toEqual([
      ['retry-p1', 'NONE', 2],
      ['p2', 'NONE', 5],
    ]);
    expect(follower.log.logEndOffset).toBe(6);
  });

  it('Follower: a truncation drops the producer state of the cut batches, so the retry of a cut batch is written again', () => {
    const clock = new SimulatedClock();
    const leader = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] });
    const follower = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] }, 2);
    leader.produce('p0', idempotent(0, { count: 2 }));
    leader.produce('p1', idempotent(2, { count: 2 }));
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ highWatermark: 2, records: leaderBytes(leader.log, 0) }) });
    // A new leader (epoch 1) that only has offsets [0, 2): the follower cuts the tail of epoch 0.
    follower.actor.send({ type: 'partition.leadershipChanged', leader: 3, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2, 3], isr: [2, 3] });
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ requestLeaderEpoch: 1, fetchOffset: 4, highWatermark: 2, divergingEpoch: { epoch: 0, endOffset: 2 } }) });
    expect(follower.log.logEndOffset).toBe(2);
    const entry = producerEntry(follower.actor.getSnapshot().context.producerState, 1000);
    expect(entry?.batches.map((batch) => [batch.firstSequence, batch.lastSequence])).toEqual([[0, 1]]);
  });
});

describe('partition machine: producer state across restarts (snapshots beside the log)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const fileStore = (clock: SimulatedClock, dir?: string) => {
    const dataDir = dir ?? mkdtempSync(path.join(tmpdir(), 'kactor-producer-state-'));
    if (dir === undefined) dirs.push(dataDir);
    return { dataDir, store: new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: Number.MAX_SAFE_INTEGER }) };
  };
  const snapshotFiles = (dataDir: string) => readdirSync(path.join(dataDir, 'orders-0')).filter((name) => name.endsWith('.snapshot')).sort();

  it('Initializing: after a clean close (a snapshot at the log end) a restarted leader answers a retry as a duplicate', () => {
    const clock = new SimulatedClock();
    const { dataDir, store } = fileStore(clock);
    const before = start(store, clock);
    before.produce('p0', idempotent(0, { count: 2 }));
    before.produce('p1', idempotent(2, { count: 2 }));
    before.actor.send({ type: 'partition.stop', deleteLog: false });
    store.close();
    expect(snapshotFiles(dataDir)).toEqual(['00000000000000000004.snapshot']);
    const after = start(fileStore(clock, dataDir).store, clock);
    after.produce('retry-p1', idempotent(2, { count: 2 }));
    after.produce('gap', idempotent(9));
    expect(after.answers()).toEqual([
      ['retry-p1', 'NONE', 2],
      ['gap', 'OUT_OF_ORDER_SEQUENCE_NUMBER', -1],
    ]);
  });

  it('Initializing: without a snapshot (a crash) the state is rebuilt from the batch headers in the log', () => {
    const clock = new SimulatedClock();
    const { dataDir, store } = fileStore(clock);
    const before = start(store, clock);
    before.produce('p0', idempotent(0, { count: 2 }));
    before.produce('p1', idempotent(2, { count: 2 }));
    before.log.flush();
    // No close: the partition and its store are dropped as a kill -9 leaves them.
    expect(snapshotFiles(dataDir)).toEqual([]);
    const after = start(fileStore(clock, dataDir).store, clock);
    after.produce('retry-p0', idempotent(0, { count: 2 }));
    after.produce('p2', idempotent(4));
    expect(after.answers()).toEqual([
      ['retry-p0', 'NONE', 0],
      ['p2', 'NONE', 4],
    ]);
  });

  it('Initializing: a corrupt snapshot is deleted and the state rebuilt from the log; a snapshot above the log end is deleted', () => {
    const clock = new SimulatedClock();
    const { dataDir, store } = fileStore(clock);
    const before = start(store, clock);
    before.produce('p0', idempotent(0, { count: 2 }));
    before.actor.send({ type: 'partition.stop', deleteLog: false });
    store.close();
    writeFileSync(path.join(dataDir, 'orders-0', '00000000000000000002.snapshot'), 'deadbeef\n{"not":"a snapshot"}');
    writeFileSync(path.join(dataDir, 'orders-0', '00000000000000000009.snapshot'), 'junk');
    const after = start(fileStore(clock, dataDir).store, clock);
    expect(snapshotFiles(dataDir)).toEqual([]);
    after.produce('retry-p0', idempotent(0, { count: 2 }));
    expect(after.answers()).toEqual([['retry-p0', 'NONE', 0]]);
  });

  it('Leader: a segment roll writes a snapshot at the log end, and only the newest two are kept', () => {
    const clock = new SimulatedClock();
    const store = new MemoryLogStore({ clock });
    const leader = start(store, clock, {}, 1, { segmentBytes: 200 });
    for (let sequence = 0; sequence < 8; sequence += 1) leader.produce(`p${sequence}`, idempotent(sequence * 2, { count: 2 }));
    expect(leader.answers().map(([, errorName]) => errorName)).toEqual(Array(8).fill('NONE'));
    expect(leader.log.segmentCount).toBeGreaterThan(3);
    const offsets = leader.log.producerSnapshots.offsets();
    expect(offsets).toHaveLength(2);
    const newest = leader.log.producerSnapshots.read(offsets[1]!);
    expect(newest?.producers[0]?.batches.at(-1)?.lastOffset).toBe(offsets[1]! - 1);
  });
});

describe('partition machine: producer.id.expiration.ms', () => {
  it('timer.producerExpirationCheck removes a producer idle for producer.id.expiration.ms; its next batch is taken at any sequence', async () => {
    const clock = new SimulatedClock();
    const { actor, produce, answers } = start(new MemoryLogStore({ clock }), clock);
    produce('p0', idempotent(0));
    await clock.advanceByAsync(producerIdExpirationMs - producerIdExpirationCheckIntervalMs);
    expect(producerEntry(actor.getSnapshot().context.producerState, 1000)).toBeDefined();
    await clock.advanceByAsync(2 * producerIdExpirationCheckIntervalMs);
    expect(producerEntry(actor.getSnapshot().context.producerState, 1000)).toBeUndefined();
    produce('late', idempotent(7));
    expect(answers()).toEqual([
      ['p0', 'NONE', 0],
      ['late', 'NONE', 1],
    ]);
  });
});
