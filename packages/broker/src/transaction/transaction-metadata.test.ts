import { describe, expect, it } from 'vitest';
import {
  abandonTransition,
  completeTransition,
  MAX_PRODUCER_EPOCH,
  metadataFromRecord,
  newTransactionMetadata,
  NO_PRODUCER_EPOCH,
  prepareAbortOrCommit,
  prepareAddPartitions,
  prepareComplete,
  prepareFenceAndAbort,
  prepareIncrementProducerEpoch,
  prepareProducerIdRotation,
  TransactionInvariantError,
  transitRecord,
  type Prepared,
  type TransactionMetadata,
} from './transaction-metadata.js';

// Kafka's TransactionMetadataTest values.
const producerId = 23_423;
const nowMs = 1_000_000;

function metadata(overrides: Partial<TransactionMetadata> = {}): TransactionMetadata {
  return { ...newTransactionMetadata('txnlId', producerId, 30_000, nowMs), ...overrides };
}

function prepared(result: Prepared | { error: string }): Prepared {
  if ('error' in result) throw new Error(result.error);
  return result;
}

const apply = ({ metadata: pending, transit }: Prepared) => completeTransition(pending, transit);

describe('transaction metadata (Kafka TransactionMetadataTest)', () => {
  it('initializes the epoch of a new transactional id at 0 (testInitializeEpoch)', () => {
    const next = apply(prepared(prepareIncrementProducerEpoch(metadata(), 30_000, null, nowMs)));
    expect(next).toMatchObject({ producerId, producerEpoch: 0, lastProducerEpoch: NO_PRODUCER_EPOCH, state: 'Empty', pendingState: null });
  });

  it('bumps the epoch and forgets the last one without an expected epoch (testNormalEpochBump)', () => {
    const next = apply(prepared(prepareIncrementProducerEpoch(metadata({ producerEpoch: 735 }), 30_000, null, nowMs)));
    expect(next).toMatchObject({ producerEpoch: 736, lastProducerEpoch: NO_PRODUCER_EPOCH });
  });

  it('with the current epoch expected, keeps it as the last epoch; a retry with the last epoch gets the same epoch (KIP-360)', () => {
    const bumped = apply(prepared(prepareIncrementProducerEpoch(metadata({ producerEpoch: 1 }), 30_000, 1, nowMs - 1)));
    expect(bumped).toMatchObject({ producerEpoch: 2, lastProducerEpoch: 1, txnLastUpdateTimestampMs: nowMs - 1 });
    expect(apply(prepared(prepareIncrementProducerEpoch(bumped, 30_000, 1, nowMs)))).toMatchObject({ producerEpoch: 2, lastProducerEpoch: 1 });
    expect(prepareIncrementProducerEpoch(bumped, 30_000, 0, nowMs)).toEqual({ error: 'PRODUCER_FENCED' });
  });

  it('refuses to bump an exhausted epoch (testBumpEpochNotAllowedIfEpochsExhausted)', () => {
    expect(() => prepareIncrementProducerEpoch(metadata({ producerEpoch: MAX_PRODUCER_EPOCH - 1 }), 30_000, null, nowMs)).toThrow(TransactionInvariantError);
  });

  it('rotates to a new producer id at epoch 0 when epochs ran out (testRotateProducerId)', () => {
    const next = apply(prepareProducerIdRotation(metadata({ producerEpoch: MAX_PRODUCER_EPOCH - 1 }), 9_893, 30_000, nowMs, true));
    expect(next).toMatchObject({ producerId: 9_893, lastProducerId: producerId, producerEpoch: 0, lastProducerEpoch: MAX_PRODUCER_EPOCH - 1 });
    for (const state of ['Ongoing', 'PrepareAbort', 'PrepareCommit'] as const) {
      expect(() => prepareProducerIdRotation(metadata({ state, producerEpoch: 5 }), 9_893, 30_000, nowMs, true)).toThrow(TransactionInvariantError);
    }
  });

  it('adds partitions: the start time is set when the transaction starts, not by later additions (testTolerateTimeShiftDuringAddPartitions)', () => {
    const first = apply(prepareAddPartitions(metadata({ producerEpoch: 1 }), [{ topic: 'topic1', partition: 0 }], nowMs - 1));
    expect(first).toMatchObject({ state: 'Ongoing', txnStartTimestampMs: nowMs - 1, partitions: [{ topic: 'topic1', partition: 0 }] });
    const second = apply(prepareAddPartitions(first, [{ topic: 'topic2', partition: 0 }, { topic: 'topic1', partition: 0 }], nowMs - 2));
    expect(second).toMatchObject({ txnStartTimestampMs: nowMs - 1, txnLastUpdateTimestampMs: nowMs - 2 });
    expect(second.partitions).toEqual([
      { topic: 'topic1', partition: 0 },
      { topic: 'topic2', partition: 0 },
    ]);
  });

  it('Ongoing -> PrepareCommit -> CompleteCommit, the partitions cleared only when complete', () => {
    const ongoing = metadata({ producerEpoch: 1, state: 'Ongoing', txnStartTimestampMs: 1, partitions: [{ topic: 't', partition: 0 }] });
    const preparing = apply(prepareAbortOrCommit(ongoing, 'PrepareCommit', nowMs - 1));
    expect(preparing).toMatchObject({ state: 'PrepareCommit', txnStartTimestampMs: 1, partitions: [{ topic: 't', partition: 0 }], txnLastUpdateTimestampMs: nowMs - 1 });
    expect(apply(prepareComplete(preparing, nowMs))).toMatchObject({ state: 'CompleteCommit', partitions: [], txnStartTimestampMs: 1 });
  });

  it('enforces the valid previous states', () => {
    expect(() => prepareAbortOrCommit(metadata({ state: 'Empty', producerEpoch: 0 }), 'PrepareCommit', nowMs)).toThrow(/PrepareCommit cannot follow Empty/);
    expect(() => prepareAddPartitions(metadata({ state: 'PrepareAbort', producerEpoch: 0 }), [], nowMs)).toThrow(/Ongoing cannot follow PrepareAbort/);
    expect(() => prepareComplete(metadata({ state: 'Ongoing', producerEpoch: 0 }), nowMs)).toThrow(TransactionInvariantError);
  });

  it('allows one pending transition at a time; an abandoned one leaves the metadata as it was', () => {
    const { metadata: pending } = prepareAddPartitions(metadata({ producerEpoch: 0 }), [{ topic: 't', partition: 0 }], nowMs);
    expect(pending.pendingState).toBe('Ongoing');
    expect(() => prepareAddPartitions(pending, [], nowMs)).toThrow(/while Ongoing is pending/);
    expect(abandonTransition(pending)).toEqual(metadata({ producerEpoch: 0 }));
  });

  it('fences an open transaction with the next epoch, aborting it; the last epoch is forgotten (testFenceProducerAfterEpochsExhausted)', () => {
    const ongoing = metadata({ producerEpoch: MAX_PRODUCER_EPOCH - 1, lastProducerEpoch: 3, state: 'Ongoing', txnStartTimestampMs: 1 });
    const fence = prepareFenceAndAbort(ongoing, nowMs);
    expect(fence.transit).toMatchObject({ state: 'PrepareAbort', producerEpoch: MAX_PRODUCER_EPOCH, lastProducerEpoch: NO_PRODUCER_EPOCH, producerId });
    expect(fence.metadata).toMatchObject({ state: 'Ongoing', producerEpoch: MAX_PRODUCER_EPOCH, pendingState: 'PrepareAbort', pendingIsFence: true });
    expect(apply(fence)).toMatchObject({ state: 'PrepareAbort', producerEpoch: MAX_PRODUCER_EPOCH });
    expect(() => prepareFenceAndAbort(metadata({ producerEpoch: MAX_PRODUCER_EPOCH, state: 'Ongoing' }), nowMs)).toThrow(/overflow/);
  });

  it('a fence whose write failed is retried with the same epoch, never bumping twice (hasFailedEpochFence)', () => {
    const ongoing = metadata({ producerEpoch: 4, state: 'Ongoing', txnStartTimestampMs: 1 });
    const failed = abandonTransition(prepareFenceAndAbort(ongoing, nowMs).metadata);
    expect(failed).toMatchObject({ hasFailedEpochFence: true, producerEpoch: 5, state: 'Ongoing', pendingState: null });
    const retry = prepareFenceAndAbort(failed, nowMs);
    expect(retry.transit.producerEpoch).toBe(5);
    const aborted = apply(retry);
    expect(apply(prepareComplete(aborted, nowMs))).toMatchObject({ state: 'CompleteAbort', producerEpoch: 5, hasFailedEpochFence: false });
  });

  it('a failed fence that took the last epoch is retried with it instead of overflowing', () => {
    const ongoing = metadata({ producerEpoch: MAX_PRODUCER_EPOCH - 1, state: 'Ongoing', txnStartTimestampMs: 1 });
    const failed = abandonTransition(prepareFenceAndAbort(ongoing, nowMs).metadata);
    expect(failed.producerEpoch).toBe(MAX_PRODUCER_EPOCH);
    expect(apply(prepareFenceAndAbort(failed, nowMs))).toMatchObject({ state: 'PrepareAbort', producerEpoch: MAX_PRODUCER_EPOCH });
  });

  it('refuses to complete a transit that moves the epoch back or was not prepared', () => {
    const current = metadata({ producerEpoch: 7 });
    const { transit } = prepared(prepareIncrementProducerEpoch(current, 30_000, null, nowMs));
    expect(() => completeTransition(current, transit)).toThrow(/pending state is none/);
    const pending = { ...current, pendingState: 'Empty' as const };
    expect(() => completeTransition(pending, { ...transit, producerEpoch: 6 })).toThrow(/not an epoch bump/);
  });

  it('writes the transit as a TransactionLogValue and reads it back, the last epoch unknown as in Kafka', () => {
    const ongoing = metadata({ producerEpoch: 3, lastProducerEpoch: 2, state: 'Ongoing', txnStartTimestampMs: 10, partitions: [{ topic: 'a', partition: 1 }, { topic: 'a', partition: 2 }, { topic: 'b', partition: 0 }] });
    const { transit } = prepareAbortOrCommit(ongoing, 'PrepareCommit', nowMs);
    const record = transitRecord('txnlId', transit);
    expect(record.value).toMatchObject({
      producerId,
      producerEpoch: 3,
      transactionStatus: 'PrepareCommit',
      transactionPartitions: [
        { topic: 'a', partitionIds: [1, 2] },
        { topic: 'b', partitionIds: [0] },
      ],
      transactionStartTimestampMs: 10,
      transactionLastUpdateTimestampMs: nowMs,
    });
    expect(metadataFromRecord('txnlId', record.value!)).toMatchObject({ state: 'PrepareCommit', producerEpoch: 3, lastProducerEpoch: NO_PRODUCER_EPOCH, partitions: ongoing.partitions });
    expect(transitRecord('txnlId', { ...transit, state: 'Dead' })).toEqual({ transactionalId: 'txnlId', value: null });
  });
});
