import { groupCoordinatorPartition } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import {
  appendErrorAnswer,
  decideAddOffsets,
  decideAddPartitions,
  decideEndTxn,
  decideInitProducerId,
  decideWithProducerId,
  timedOutAbort,
  type InitProducerIdDecision,
  type RequestDecision,
} from './transaction-coordinator.js';
import { markerOutcome, markersFor, planMarkers } from './transaction-markers.js';
import { completeTransition, MAX_PRODUCER_EPOCH, newTransactionMetadata, NO_PRODUCER_ID, type TransactionMetadata } from './transaction-metadata.js';

// Kafka's TransactionCoordinatorTest values.
const producerId = 10;
const producerEpoch = 1;
const txnTimeoutMs = 1_000;
const nowMs = 5_000_000;
const limits = { transactionMaxTimeoutMs: 900_000, offsetsTopicNumPartitions: 50 };
const partitions = [{ topic: 'topic1', partition: 0 }];

function txn(overrides: Partial<TransactionMetadata> = {}): TransactionMetadata {
  return { ...newTransactionMetadata('transactionalId', producerId, txnTimeoutMs, nowMs), producerEpoch, ...overrides };
}

function written(decision: InitProducerIdDecision | RequestDecision): TransactionMetadata {
  if (decision.kind !== 'append' && decision.kind !== 'fence') throw new Error(`expected an append, got ${JSON.stringify(decision)}`);
  return completeTransition(decision.prepared.metadata, decision.prepared.transit);
}

const init = (expected: { producerId: number; producerEpoch: number } | null = null, transactionTimeoutMs = txnTimeoutMs) => ({ transactionTimeoutMs, expected });
const producer = { producerId, producerEpoch };

describe('transaction coordinator decisions (Kafka TransactionCoordinatorTest)', () => {
  it('InitProducerId for a new transactional id asks for a producer id, then writes epoch 0', () => {
    const unknown = newTransactionMetadata('transactionalId', NO_PRODUCER_ID, txnTimeoutMs, nowMs);
    expect(decideInitProducerId(unknown, init(), limits, nowMs)).toEqual({ kind: 'generateProducerId' });
    expect(written(decideWithProducerId(unknown, init(), 4_000, limits, nowMs))).toMatchObject({ producerId: 4_000, producerEpoch: 0, state: 'Empty', txnTimeoutMs });
  });

  it('InitProducerId with a timeout over transaction.max.timeout.ms gets INVALID_TRANSACTION_TIMEOUT', () => {
    expect(decideInitProducerId(txn(), init(null, 900_001), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_TRANSACTION_TIMEOUT' });
    expect(decideInitProducerId(txn(), init(null, 0), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_TRANSACTION_TIMEOUT' });
  });

  it('InitProducerId bumps the epoch from Empty, CompleteCommit and CompleteAbort', () => {
    for (const state of ['Empty', 'CompleteCommit', 'CompleteAbort'] as const) {
      expect(written(decideInitProducerId(txn({ state, txnStartTimestampMs: state === 'Empty' ? -1 : 1 }), init(), limits, nowMs))).toMatchObject({ producerId, producerEpoch: 2, state: 'Empty', partitions: [] });
    }
  });

  it('InitProducerId answers CONCURRENT_TRANSACTIONS in PrepareCommit/PrepareAbort and while a transition is written', () => {
    for (const state of ['PrepareCommit', 'PrepareAbort'] as const) {
      expect(decideInitProducerId(txn({ state }), init(), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'CONCURRENT_TRANSACTIONS' });
    }
    expect(decideInitProducerId(txn({ pendingState: 'Ongoing' }), init(), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'CONCURRENT_TRANSACTIONS' });
  });

  it('InitProducerId on an Ongoing transaction fences it: the abort is written under the next epoch (zombie fencing)', () => {
    const ongoing = txn({ state: 'Ongoing', partitions, txnStartTimestampMs: nowMs });
    const decision = decideInitProducerId(ongoing, init(), limits, nowMs);
    expect(decision.kind).toBe('fence');
    expect(written(decision)).toMatchObject({ state: 'PrepareAbort', producerEpoch: 2, partitions });
    // The old producer's EndTxn is refused once the fence is prepared.
    if (decision.kind === 'fence') expect(decideEndTxn(decision.prepared.metadata, producer, true, nowMs)).toEqual({ kind: 'answer', errorName: 'PRODUCER_FENCED' });
  });

  it('InitProducerId rotates to a new producer id when the epochs are exhausted (shouldGenerateNewProducerIdIfEpochsExhausted)', () => {
    const exhausted = txn({ producerEpoch: MAX_PRODUCER_EPOCH - 1, state: 'CompleteCommit', txnStartTimestampMs: 1 });
    expect(decideInitProducerId(exhausted, init(), limits, nowMs)).toEqual({ kind: 'generateProducerId' });
    expect(written(decideWithProducerId(exhausted, init(), 11, limits, nowMs))).toMatchObject({ producerId: 11, producerEpoch: 0, lastProducerId: producerId, lastProducerEpoch: -1 });
    const recovering = init({ producerId, producerEpoch: MAX_PRODUCER_EPOCH - 1 });
    expect(written(decideWithProducerId(exhausted, recovering, 11, limits, nowMs))).toMatchObject({ producerId: 11, producerEpoch: 0, lastProducerEpoch: MAX_PRODUCER_EPOCH - 1 });
  });

  it('InitProducerId with an expected producer that is not this one is PRODUCER_FENCED (KIP-360)', () => {
    expect(decideInitProducerId(txn(), init({ producerId: 99, producerEpoch: 1 }), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'PRODUCER_FENCED' });
    expect(decideInitProducerId(txn({ producerEpoch: 5, lastProducerEpoch: 4 }), init({ producerId, producerEpoch: 2 }), limits, nowMs)).toEqual({ kind: 'answer', errorName: 'PRODUCER_FENCED' });
    expect(written(decideInitProducerId(txn({ producerEpoch: 5 }), init({ producerId, producerEpoch: 5 }), limits, nowMs))).toMatchObject({ producerEpoch: 6, lastProducerEpoch: 5 });
  });

  it('AddPartitionsToTxn: INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, CONCURRENT_TRANSACTIONS, or Ongoing', () => {
    expect(decideAddPartitions(txn(), { producerId: 11, producerEpoch }, partitions, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_PRODUCER_ID_MAPPING' });
    expect(decideAddPartitions(txn(), { producerId, producerEpoch: 0 }, partitions, nowMs)).toEqual({ kind: 'answer', errorName: 'PRODUCER_FENCED' });
    for (const state of ['PrepareCommit', 'PrepareAbort'] as const) expect(decideAddPartitions(txn({ state }), producer, partitions, nowMs)).toEqual({ kind: 'answer', errorName: 'CONCURRENT_TRANSACTIONS' });
    expect(written(decideAddPartitions(txn(), producer, partitions, nowMs))).toMatchObject({ state: 'Ongoing', partitions, txnStartTimestampMs: nowMs });
  });

  it('requests naming a producer of an id that never got one are INVALID_PRODUCER_ID_MAPPING (its first InitProducerId was not written)', () => {
    const unknown = newTransactionMetadata('transactionalId', NO_PRODUCER_ID, txnTimeoutMs, nowMs);
    const noEpochYet = newTransactionMetadata('transactionalId', producerId, txnTimeoutMs, nowMs);
    for (const metadata of [unknown, noEpochYet]) {
      const named = { producerId: metadata.producerId, producerEpoch: -1 };
      expect(decideAddPartitions(metadata, named, partitions, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_PRODUCER_ID_MAPPING' });
      expect(decideEndTxn(metadata, named, true, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_PRODUCER_ID_MAPPING' });
    }
  });

  it('AddPartitionsToTxn of partitions already in the transaction answers NONE without writing', () => {
    expect(decideAddPartitions(txn({ state: 'Ongoing', partitions, txnStartTimestampMs: 1 }), producer, partitions, nowMs)).toEqual({ kind: 'answer', errorName: 'NONE' });
  });

  it("AddOffsetsToTxn adds the group's __consumer_offsets partition", () => {
    const ongoing = written(decideAddOffsets(txn(), producer, 'copier', limits, nowMs));
    expect(ongoing.partitions).toEqual([{ topic: '__consumer_offsets', partition: groupCoordinatorPartition('copier', 50) }]);
  });

  it('EndTxn: Ongoing -> PrepareCommit or PrepareAbort; retried after completion answered as Kafka does', () => {
    const ongoing = txn({ state: 'Ongoing', partitions, txnStartTimestampMs: 1 });
    expect(written(decideEndTxn(ongoing, producer, true, nowMs))).toMatchObject({ state: 'PrepareCommit', partitions });
    expect(written(decideEndTxn(ongoing, producer, false, nowMs))).toMatchObject({ state: 'PrepareAbort', partitions });
    const cases: Array<[TransactionMetadata['state'], boolean, string]> = [
      ['CompleteCommit', true, 'NONE'],
      ['CompleteCommit', false, 'INVALID_TXN_STATE'],
      ['CompleteAbort', false, 'NONE'],
      ['CompleteAbort', true, 'INVALID_TXN_STATE'],
      ['PrepareCommit', true, 'CONCURRENT_TRANSACTIONS'],
      ['PrepareCommit', false, 'INVALID_TXN_STATE'],
      ['PrepareAbort', false, 'CONCURRENT_TRANSACTIONS'],
      ['PrepareAbort', true, 'INVALID_TXN_STATE'],
      ['Empty', true, 'INVALID_TXN_STATE'],
    ];
    for (const [state, committed, errorName] of cases) expect(decideEndTxn(txn({ state }), producer, committed, nowMs)).toEqual({ kind: 'answer', errorName });
    expect(decideEndTxn(ongoing, { producerId: 11, producerEpoch }, true, nowMs)).toEqual({ kind: 'answer', errorName: 'INVALID_PRODUCER_ID_MAPPING' });
    expect(decideEndTxn(ongoing, { producerId, producerEpoch: 0 }, true, nowMs)).toEqual({ kind: 'answer', errorName: 'PRODUCER_FENCED' });
  });

  it('aborts an Ongoing transaction older than transaction.timeout.ms under a bumped epoch (abortTimedOutTransactions)', () => {
    const ongoing = txn({ state: 'Ongoing', partitions, txnStartTimestampMs: nowMs });
    expect(timedOutAbort(ongoing, nowMs + txnTimeoutMs)).toBeNull();
    const abort = timedOutAbort(ongoing, nowMs + txnTimeoutMs + 1);
    expect(abort?.transit).toMatchObject({ state: 'PrepareAbort', producerEpoch: producerEpoch + 1 });
    expect(timedOutAbort({ ...ongoing, pendingState: 'Ongoing' }, nowMs + txnTimeoutMs + 1)).toBeNull();
  });

  it('maps failed appends as Kafka answers them', () => {
    expect(appendErrorAnswer('NOT_ENOUGH_REPLICAS')).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(appendErrorAnswer('REQUEST_TIMED_OUT')).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(appendErrorAnswer('NOT_LEADER_OR_FOLLOWER')).toBe('NOT_COORDINATOR');
    expect(appendErrorAnswer('MESSAGE_TOO_LARGE')).toBe('UNKNOWN_SERVER_ERROR');
  });
});

describe('transaction markers', () => {
  const prepared = txn({
    state: 'PrepareCommit',
    txnStartTimestampMs: 1,
    partitions: [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 0 },
      { topic: 'gone', partition: 0 },
    ],
  });

  it('plans one WriteTxnMarkers per leader with the coordinator epoch; leaderless partitions wait, deleted ones are done', () => {
    const markers = markersFor(prepared, 7, [{ topic: 'a', partition: 1 }]);
    expect(markers).toMatchObject({ result: 'COMMIT', producerId, producerEpoch, coordinatorEpoch: 7 });
    const plan = planMarkers(markers, ({ topic, partition }) => (topic === 'gone' ? 'gone' : topic === 'b' ? null : partition + 100));
    expect([...plan.byLeader]).toEqual([[100, { ...markers, partitions: [{ topic: 'a', partition: 0 }] }]]);
    expect(plan.withoutLeader).toEqual([{ topic: 'b', partition: 0 }]);
    expect(plan.gone).toEqual([{ topic: 'gone', partition: 0 }]);
    expect(markersFor({ ...prepared, state: 'PrepareAbort' }, 7, []).result).toBe('ABORT');
    expect(() => markersFor({ ...prepared, state: 'Ongoing' }, 7, [])).toThrow(/only written for a prepared transaction/);
  });

  it("reads WriteTxnMarkers answers as Kafka's completion handler does", () => {
    expect(markerOutcome('NONE')).toBe('written');
    expect(markerOutcome('NOT_LEADER_OR_FOLLOWER')).toBe('retry');
    expect(markerOutcome('NOT_ENOUGH_REPLICAS')).toBe('retry');
    expect(markerOutcome('TRANSACTION_COORDINATOR_FENCED')).toBe('fenced');
    expect(markerOutcome('INVALID_PRODUCER_EPOCH')).toBe('fenced');
  });
});
