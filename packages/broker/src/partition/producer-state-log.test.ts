import { encodeControlBatch, encodeEndTxnMarkerBatch, encodeLeaderChangeMessage, encodeRecordBatch, setBaseOffset } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { applyStoredBatches, storedBatches } from './producer-state-log.js';
import { MAX_SEQUENCE, emptyProducerState, producerEntry } from './producer-state.js';

const record = { key: null, value: null, headers: [], timestamp: 5 };

/** Batches as a log stores them: each stamped with its base offset. */
function stored(...batches: Array<{ bytes: Uint8Array; baseOffset: number }>): Uint8Array {
  for (const { bytes, baseOffset } of batches) setBaseOffset(bytes, 0, baseOffset);
  return new Uint8Array(batches.flatMap(({ bytes }) => [...bytes]));
}

describe('storedBatches / applyStoredBatches (the producer fields of stored batches, replayed)', () => {
  it('reads each batch\'s producer fields and offsets; the last sequence wraps at Int32 max (DefaultRecordBatch.lastSequence)', () => {
    const wrapping = encodeRecordBatch({ records: [record, record, record], producerId: 3, producerEpoch: 1, baseSequence: MAX_SEQUENCE - 1 });
    const plain = encodeRecordBatch({ records: [record] });
    const batches = storedBatches(stored({ bytes: wrapping, baseOffset: 10 }, { bytes: plain, baseOffset: 13 }));
    expect(batches).toMatchObject([
      { producerId: 3, producerEpoch: 1, baseSequence: MAX_SEQUENCE - 1, lastSequence: 0, firstOffset: 10, lastOffset: 12, isTransactional: false, isControl: false },
      { producerId: -1, firstOffset: 13, lastOffset: 13 },
    ]);
  });

  it('a transaction marker closes its producer\'s transaction; a KRaft control batch leaves the state alone', () => {
    const txn = encodeRecordBatch({ records: [record], producerId: 3, producerEpoch: 0, baseSequence: 0, isTransactional: true });
    const leaderChange = encodeControlBatch({ records: [{ type: 'LEADER_CHANGE', value: encodeLeaderChangeMessage({ version: 0, leaderId: 1, voters: [], grantingVoters: [] }) }], timestampMs: 5 });
    const abort = encodeEndTxnMarkerBatch({ type: 'ABORT', producerId: 3, producerEpoch: 0, coordinatorEpoch: 2, timestampMs: 5 });
    const batches = storedBatches(stored({ bytes: txn, baseOffset: 0 }, { bytes: leaderChange, baseOffset: 1 }, { bytes: abort, baseOffset: 2 }));
    expect(batches.map((batch) => batch.marker?.result)).toEqual([undefined, undefined, 'ABORT']);
    const open = applyStoredBatches(emptyProducerState(), batches.slice(0, 2), 100);
    expect(producerEntry(open, 3)?.currentTxnFirstOffset).toBe(0);
    const closed = applyStoredBatches(emptyProducerState(), batches, 100);
    expect(producerEntry(closed, 3)).toMatchObject({ currentTxnFirstOffset: null, coordinatorEpoch: 2, lastTimestampMs: 100 });
    expect(closed.abortedTransactions).toEqual([{ producerId: 3, firstOffset: 0, lastOffset: 2, lastStableOffset: 3 }]);
  });
});
