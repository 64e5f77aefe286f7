import { describe, expect, it } from 'vitest';
import {
  abortedTransactionsOverlapping,
  checkAppend,
  checkMarker,
  emptyProducerState,
  lastStableOffset,
  producerEntry,
  recordAppend,
  recordMarker,
  removeExpiredProducers,
  trimAbortedTransactions,
  type ProducerState,
  type TxnMarker,
} from './producer-state.js';

// Kafka's ProducerStateManagerTest values: producer 1, epoch 0; transactional batches and markers at chosen offsets.
const producerId = 1;

function txnBatch(state: ProducerState, pid: number, seq: number, offset: number, timestampMs = 0): ProducerState {
  const batch = { producerId: pid, producerEpoch: 0, baseSequence: seq, lastSequence: seq, isTransactional: true };
  expect(checkAppend(state, batch, 'client')).toEqual({ kind: 'append' });
  return recordAppend(state, batch, offset, offset, timestampMs);
}

const marker = (pid: number, result: 'COMMIT' | 'ABORT', coordinatorEpoch = 0, producerEpoch = 0): TxnMarker => ({ producerId: pid, producerEpoch, coordinatorEpoch, result });

describe('transactions in the producer state (Kafka ProducerStateManagerTest)', () => {
  it('testLastStableOffsetCompletedTxn-style: the LSO is the first offset of the oldest open transaction, never above the high watermark', () => {
    let state = txnBatch(emptyProducerState(), 1, 0, 99);
    state = txnBatch(state, 2, 0, 101);
    expect(lastStableOffset(state, 200)).toBe(99);
    expect(lastStableOffset(state, 50)).toBe(50);
    state = recordMarker(state, marker(1, 'COMMIT'), 105, 0).state;
    expect(lastStableOffset(state, 200)).toBe(101);
    state = recordMarker(state, marker(2, 'COMMIT'), 106, 0).state;
    expect(lastStableOffset(state, 200)).toBe(200);
  });

  it('an ABORT marker adds the transaction to the aborted index with the LSO once it is closed; COMMIT adds nothing', () => {
    let state = txnBatch(emptyProducerState(), 1, 0, 10);
    state = txnBatch(state, 2, 0, 11);
    const aborted = recordMarker(state, marker(1, 'ABORT'), 12, 0);
    expect(aborted.completed).toEqual({ producerId: 1, firstOffset: 10, lastOffset: 12, isAborted: true });
    expect(aborted.state.abortedTransactions).toEqual([{ producerId: 1, firstOffset: 10, lastOffset: 12, lastStableOffset: 11 }]);
    const committed = recordMarker(aborted.state, marker(2, 'COMMIT'), 13, 0);
    expect(committed.completed?.isAborted).toBe(false);
    expect(committed.state.abortedTransactions).toHaveLength(1);
  });

  it('testFenceProducerEpoch / markers: an older producer epoch is INVALID_PRODUCER_EPOCH, an older coordinator epoch TRANSACTION_COORDINATOR_FENCED', () => {
    let state = txnBatch(emptyProducerState(), producerId, 0, 0);
    state = recordMarker(state, marker(producerId, 'COMMIT', 5, 1), 1, 0).state;
    expect(checkMarker(state, marker(producerId, 'ABORT', 5, 0))).toMatchObject({ kind: 'error', errorName: 'INVALID_PRODUCER_EPOCH' });
    expect(checkMarker(state, marker(producerId, 'ABORT', 4, 1))).toMatchObject({ kind: 'error', errorName: 'TRANSACTION_COORDINATOR_FENCED' });
    expect(checkMarker(state, marker(producerId, 'ABORT', 5, 1))).toEqual({ kind: 'append' });
    expect(checkMarker(emptyProducerState(), marker(producerId, 'ABORT', 0, 0))).toEqual({ kind: 'append' });
  });

  it('a marker with a bumped epoch forgets the old epoch\'s batches, so the next batch starts at sequence 0', () => {
    let state = txnBatch(emptyProducerState(), producerId, 0, 0);
    state = recordMarker(state, marker(producerId, 'ABORT', 0, 1), 1, 0).state;
    expect(producerEntry(state, producerId)).toMatchObject({ producerEpoch: 1, batches: [], currentTxnFirstOffset: null });
    expect(checkAppend(state, { producerId, producerEpoch: 1, baseSequence: 3, lastSequence: 3 }, 'client')).toMatchObject({ errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('testNonTransactionalAppendWithOngoingTransaction: a plain batch while a transaction is open is INVALID_TXN_STATE', () => {
    const state = txnBatch(emptyProducerState(), producerId, 0, 0);
    expect(checkAppend(state, { producerId, producerEpoch: 0, baseSequence: 1, lastSequence: 1 }, 'client')).toMatchObject({ kind: 'error', errorName: 'INVALID_TXN_STATE' });
  });

  it('collectAbortedTransactions: those ending at or after the fetch offset and starting before the upper bound', () => {
    const state: ProducerState = {
      producers: new Map(),
      abortedTransactions: [
        { producerId: 1, firstOffset: 0, lastOffset: 5, lastStableOffset: 6 },
        { producerId: 2, firstOffset: 3, lastOffset: 20, lastStableOffset: 21 },
        { producerId: 3, firstOffset: 30, lastOffset: 35, lastStableOffset: 36 },
      ],
    };
    expect(abortedTransactionsOverlapping(state, 6, 30).map((txn) => txn.producerId)).toEqual([2]);
    expect(abortedTransactionsOverlapping(state, 0, 31).map((txn) => txn.producerId)).toEqual([1, 2, 3]);
    expect(trimAbortedTransactions(state, 21).abortedTransactions.map((txn) => txn.producerId)).toEqual([3]);
  });

  it('testProducerIdExpiration: a producer idle for producer.id.expiration.ms is removed, never one with an open transaction', () => {
    let state = recordAppend(emptyProducerState(), { producerId: 1, producerEpoch: 0, baseSequence: 0, lastSequence: 0 }, 0, 0, 1_000);
    state = txnBatch(state, 2, 0, 1, 1_000);
    expect(removeExpiredProducers(state, 1_000 + 86_400_000 - 1, 86_400_000)).toBe(state);
    const after = removeExpiredProducers(state, 1_000 + 86_400_000, 86_400_000);
    expect(producerEntry(after, 1)).toBeUndefined();
    expect(producerEntry(after, 2)).toBeDefined();
  });
});
