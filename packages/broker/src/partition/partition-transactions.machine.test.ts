/**
 * Transactions in the partition (KIP-98), mirroring Kafka's UnifiedLogTest / ReplicaManagerTest transaction cases: the
 * last stable offset with an open transaction and after its marker, the aborted-transaction index (also after a
 * restart), read_committed fetches that return an aborted transaction interleaved with a committed one, and markers
 * of a fenced epoch refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeRecordBatches, encodeEndTxnMarkerBatch, encodeRecordBatch, wireLimits } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { FileLogStore, MemoryLogStore, type LogStore } from '@kactor/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFromPartition, listOffsetForPartition, type PartitionView } from './partition-reader.js';
import { type PartitionLeadership, type ProduceCompleted, type TxnMarkerWritten } from './partition.machine.js';
import { startPartitionActor, testTopicConfig } from './partition-test-support.js';

const topicConfig = testTopicConfig;
const readCommitted = 1;
const readUncommitted = 0;

/** A one-record transactional batch of `producerId` (epoch `epoch`) at sequence `sequence`. */
function txnRecord(producerId: number, sequence: number, epoch = 0) {
  return encodeRecordBatch({ records: [{ key: null, value: new Uint8Array([sequence]), headers: [], timestamp: 0 }], producerId, producerEpoch: epoch, baseSequence: sequence, isTransactional: true });
}

function start(store: LogStore, clock: SimulatedClock, leadership: Partial<PartitionLeadership> = {}, brokerId = 1) {
  const log = store.open('orders', 0, 'topic-id', topicConfig);
  const { actor, emitted } = startPartitionActor({ log, clock, brokerId, leadership });
  const produce = (produceId: string, records: Uint8Array, acks: -1 | 1 = 1) => actor.send({ type: 'produce.append', produceId, acks, timeoutMs: 30_000, records });
  let markers = 0;
  const writeMarker = (producerId: number, result: 'COMMIT' | 'ABORT', options: { producerEpoch?: number; coordinatorEpoch?: number } = {}) => {
    const markerId = `m${markers++}`;
    actor.send({ type: 'txn.writeMarker', markerId, producerId, producerEpoch: options.producerEpoch ?? 0, coordinatorEpoch: options.coordinatorEpoch ?? 0, result, timeoutMs: 30_000 });
    return markerId;
  };
  const markerAnswers = () => emitted.filter((event): event is TxnMarkerWritten => event.type === 'txn.markerWritten').map((event) => [event.markerId, event.errorName]);
  const produced = () => emitted.filter((event): event is ProduceCompleted => event.type === 'produce.completed').map((event) => [event.produceId, event.errorName, event.baseOffset]);
  const view = (): PartitionView => {
    const snapshot = actor.getSnapshot();
    return { state: String(snapshot.value), context: snapshot.context };
  };
  const fetch = (fetchOffset: number, isolationLevel: 0 | 1) => fetchFromPartition(view(), { fetchOffset, maxBytes: 1 << 20, currentLeaderEpoch: -1, isolationLevel });
  let fetchId = 1;
  const followerFetch = (replicaId: number, fetchOffset: number) =>
    actor.send({ type: 'replica.fetch', fetchId: fetchId++, replicaId, brokerEpoch: undefined, currentLeaderEpoch: 0, fetchOffset, lastFetchedEpoch: -1, logStartOffset: 0 });
  return { actor, log, produce, writeMarker, markerAnswers, produced, view, fetch, followerFetch };
}

describe('partition machine: transactions (KIP-98)', () => {
  it('Leader: an open transaction holds the last stable offset at its first offset; read_committed stops there, read_uncommitted reads to the HW', () => {
    const clock = new SimulatedClock();
    const { produce, fetch, view } = start(new MemoryLogStore({ clock }), clock);
    produce('plain', encodeRecordBatch({ records: [{ key: null, value: null, headers: [], timestamp: 0 }] }));
    produce('t0', txnRecord(7, 0));
    produce('t1', txnRecord(7, 1));
    expect(view().context.highWatermark).toBe(3);
    const committed = fetch(0, readCommitted);
    expect(committed.lastStableOffset).toBe(1);
    expect(committed.highWatermark).toBe(3);
    expect(committed.abortedTransactions).toEqual([]);
    expect(fetch(1, readCommitted).records.byteLength).toBe(0);
    expect(fetch(1, readUncommitted).records.byteLength).toBeGreaterThan(0);
    expect(fetch(1, readUncommitted).abortedTransactions).toBeNull();
  });

  it('Leader: txn.writeMarker COMMIT closes the transaction (LSO -> HW) and is answered txn.markerWritten NONE once the HW passes it', () => {
    const clock = new SimulatedClock();
    const { produce, writeMarker, markerAnswers, fetch, followerFetch, log } = start(new MemoryLogStore({ clock }), clock, { replicas: [1, 2], isr: [1, 2] });
    produce('t0', txnRecord(7, 0));
    followerFetch(2, 1);
    const marker = writeMarker(7, 'COMMIT');
    expect(log.logEndOffset).toBe(2);
    expect(markerAnswers()).toEqual([]);
    // The marker is written but not yet replicated: the transaction stays unstable (Kafka's unreplicatedTxns).
    expect(fetch(0, readCommitted).lastStableOffset).toBe(0);
    followerFetch(2, 2);
    expect(markerAnswers()).toEqual([[marker, 'NONE']]);
    const after = fetch(0, readCommitted);
    expect(after.lastStableOffset).toBe(2);
    expect(after.abortedTransactions).toEqual([]);
  });

  it('Leader: a read_committed fetch returns the aborted transaction interleaved with a committed one (and none past its marker)', () => {
    const clock = new SimulatedClock();
    const { produce, writeMarker, fetch, markerAnswers } = start(new MemoryLogStore({ clock }), clock);
    produce('a0', txnRecord(1, 0)); // 0
    produce('b0', txnRecord(2, 0)); // 1
    produce('a1', txnRecord(1, 1)); // 2
    writeMarker(1, 'ABORT'); // 3
    produce('b1', txnRecord(2, 1)); // 4
    writeMarker(2, 'COMMIT'); // 5
    expect(markerAnswers().map(([, errorName]) => errorName)).toEqual(['NONE', 'NONE']);
    const fromStart = fetch(0, readCommitted);
    expect(fromStart.lastStableOffset).toBe(6);
    expect(fromStart.abortedTransactions).toEqual([{ producerId: 1, firstOffset: 0 }]);
    expect(fetch(4, readCommitted).abortedTransactions).toEqual([]);
  });

  it('Leader: a marker of an older producer epoch is INVALID_PRODUCER_EPOCH, of an older coordinator epoch TRANSACTION_COORDINATOR_FENCED; neither is written', () => {
    const clock = new SimulatedClock();
    const { produce, writeMarker, markerAnswers, log } = start(new MemoryLogStore({ clock }), clock);
    produce('t0', txnRecord(7, 0, 3));
    writeMarker(7, 'COMMIT', { producerEpoch: 3, coordinatorEpoch: 5 });
    produce('t1', txnRecord(7, 1, 3));
    writeMarker(7, 'ABORT', { producerEpoch: 2, coordinatorEpoch: 5 });
    writeMarker(7, 'ABORT', { producerEpoch: 3, coordinatorEpoch: 4 });
    expect(markerAnswers()).toEqual([
      ['m0', 'NONE'],
      ['m1', 'INVALID_PRODUCER_EPOCH'],
      ['m2', 'TRANSACTION_COORDINATOR_FENCED'],
    ]);
    expect(log.logEndOffset).toBe(3);
  });

  it('Leader: a coordinator\'s own marker batch through produce.append (origin coordinator) closes the transaction; a client may not write one', () => {
    const clock = new SimulatedClock();
    const { actor, produce, produced, fetch } = start(new MemoryLogStore({ clock }), clock);
    produce('t0', txnRecord(7, 0));
    const marker = encodeEndTxnMarkerBatch({ type: 'ABORT', producerId: 7, producerEpoch: 0, coordinatorEpoch: 0, timestampMs: 0 });
    produce('client-marker', marker);
    actor.send({ type: 'produce.append', produceId: 'coordinator-marker', acks: -1, timeoutMs: 30_000, records: marker, origin: 'coordinator' });
    expect(produced().map(([id, errorName]) => [id, errorName])).toEqual([
      ['t0', 'NONE'],
      ['client-marker', 'INVALID_RECORD'],
      ['coordinator-marker', 'NONE'],
    ]);
    expect(fetch(0, readCommitted).abortedTransactions).toEqual([{ producerId: 7, firstOffset: 0 }]);
  });

  it('Follower and Offline: txn.writeMarker is NOT_LEADER_OR_FOLLOWER', () => {
    const clock = new SimulatedClock();
    const follower = start(new MemoryLogStore({ clock }), clock, { leader: 2, replicas: [1, 2], isr: [1, 2] });
    follower.writeMarker(7, 'COMMIT');
    const offline = start(new MemoryLogStore({ clock }), clock, { leader: -1 });
    offline.writeMarker(7, 'COMMIT');
    expect([...follower.markerAnswers(), ...offline.markerAnswers()].map(([, errorName]) => errorName)).toEqual(['NOT_LEADER_OR_FOLLOWER', 'NOT_LEADER_OR_FOLLOWER']);
  });

  it('a read_committed read stops before the first aborted transaction past wireLimits.maxAbortedTransactionsPerPartition', () => {
    const clock = new SimulatedClock();
    const { produce, view } = start(new MemoryLogStore({ clock }), clock);
    for (let index = 0; index < 10; index += 1) produce(`plain-${index}`, encodeRecordBatch({ records: [{ key: null, value: null, headers: [], timestamp: 0 }] }));
    const limit = wireLimits.maxAbortedTransactionsPerPartition;
    // limit transactions from offset 0 and one more from offset 5, all ending past the log (a synthetic index).
    const abortedTransactions = [
      ...Array.from({ length: limit }, (_, producerId) => ({ producerId, firstOffset: 0, lastOffset: 100, lastStableOffset: 101 })),
      { producerId: limit, firstOffset: 5, lastOffset: 100, lastStableOffset: 101 },
    ];
    const base = view();
    const crowded: PartitionView = { ...base, context: { ...base.context, producerState: { producers: new Map(), abortedTransactions } } };
    const result = fetchFromPartition(crowded, { fetchOffset: 0, maxBytes: 1 << 20, currentLeaderEpoch: -1, isolationLevel: readCommitted });
    expect(result.abortedTransactions).toHaveLength(limit);
    expect(result.abortedTransactions?.some((txn) => txn.producerId === limit)).toBe(false);
    // Only the records before offset 5 (where the transaction left out begins) are returned.
    const offsets = decodeRecordBatches(result.records).batches.map((batch) => batch.baseOffset);
    expect(offsets).toEqual([0, 1, 2, 3, 4]);
  });

  it('ListOffsets latest is the last stable offset with read_committed, the high watermark otherwise', () => {
    const clock = new SimulatedClock();
    const { produce, view } = start(new MemoryLogStore({ clock }), clock);
    produce('plain', encodeRecordBatch({ records: [{ key: null, value: null, headers: [], timestamp: 0 }] }));
    produce('t0', txnRecord(7, 0));
    expect(listOffsetForPartition(view(), -1, -1, readCommitted).offset).toBe(1);
    expect(listOffsetForPartition(view(), -1, -1, readUncommitted).offset).toBe(2);
  });
});

describe('partition machine: the aborted-transaction index across restarts', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  for (const shutdown of ['clean', 'crash'] as const) {
    it(`Initializing: the aborted index and an open transaction survive a restart (${shutdown === 'clean' ? 'clean close, from the snapshot' : 'crash, rebuilt from the log'})`, () => {
      const clock = new SimulatedClock();
      const dataDir = mkdtempSync(path.join(tmpdir(), 'kactor-txn-index-'));
      dirs.push(dataDir);
      const open = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: Number.MAX_SAFE_INTEGER });
      const store = open();
      const before = start(store, clock);
      before.produce('a0', txnRecord(1, 0)); // 0
      before.writeMarker(1, 'ABORT'); // 1
      before.produce('b0', txnRecord(2, 0)); // 2, left open
      if (shutdown === 'clean') {
        before.actor.send({ type: 'partition.stop', deleteLog: false });
        store.close();
      } else {
        before.log.flush();
      }
      const after = start(open(), clock);
      const fetched = after.fetch(0, readCommitted);
      expect(fetched.lastStableOffset).toBe(2);
      expect(fetched.abortedTransactions).toEqual([{ producerId: 1, firstOffset: 0 }]);
      after.writeMarker(2, 'COMMIT');
      expect(after.fetch(0, readCommitted).lastStableOffset).toBe(4);
    });
  }
});
