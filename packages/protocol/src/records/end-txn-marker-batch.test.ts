import { describe, expect, it } from 'vitest';
import { readBatchHeader, verifyBatchCrc } from './batch-header.js';
import { ControlRecordError, encodeControlBatch } from './control-records.js';
import { decodeRecordBatches } from './decode-record-batches.js';
import { encodeEndTxnMarkerBatch, readEndTxnMarker } from './end-txn-marker-batch.js';
import { encodeLeaderChangeBatch } from './leader-change-message.js';
import { encodeRecordBatch } from './record-batch.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const decodeOne = (bytes: Uint8Array) => decodeRecordBatches(bytes).batches[0]!;

/**
 * A COMMIT marker of producer 1000 epoch 3 from coordinator epoch 5, at offset 42 in leader epoch 7, written at
 * 1,700,000,000,000 ms: Kafka's RecordBatch v2 layout (kafka-wire-protocol.md section 5) with the CRC-32C computed
 * by an independent implementation, not by this package.
 */
const GOLDEN_COMMIT_MARKER =
  '000000000000002a' + // baseOffset 42
  '00000042' + // batchLength 66 (78 - 12)
  '00000007' + // partitionLeaderEpoch 7
  '02' + // magic 2
  '8a773c25' + // CRC-32C of everything after it
  '0030' + // attributes: transactional (0x10) and control (0x20)
  '00000000' + // lastOffsetDelta 0
  '0000018bcfe56800' + '0000018bcfe56800' + // baseTimestamp, maxTimestamp
  '00000000000003e8' + // producerId 1000
  '0003' + // producerEpoch 3
  'ffffffff' + // baseSequence -1
  '00000001' + // one record
  '20' + // record length 16 (zigzag varint)
  '00' + '00' + '00' + // attributes, timestampDelta, offsetDelta
  '08' + '0000' + '0001' + // key: 4 bytes, version 0, type 1 (COMMIT)
  '0c' + '0000' + '00000005' + // value: 6 bytes, version 0, coordinatorEpoch 5
  '00'; // no headers

const commit = { type: 'COMMIT' as const, producerId: 1000, producerEpoch: 3, coordinatorEpoch: 5, timestampMs: 1_700_000_000_000 };

describe('end-transaction marker batches (EndTransactionMarker, KIP-98)', () => {
  it("encodes a COMMIT marker byte for byte in Kafka's layout", () => {
    const bytes = encodeEndTxnMarkerBatch({ ...commit, baseOffset: 42, partitionLeaderEpoch: 7 });
    expect(hex(bytes)).toBe(GOLDEN_COMMIT_MARKER);
    expect(verifyBatchCrc(bytes, 0)).toBe(true);
  });

  it('an ABORT marker differs only in its type and CRC, and carries the producer id, epoch and no sequence', () => {
    const bytes = encodeEndTxnMarkerBatch({ ...commit, type: 'ABORT', baseOffset: 42, partitionLeaderEpoch: 7 });
    expect(hex(bytes.subarray(21))).toBe(GOLDEN_COMMIT_MARKER.slice(42).replace('08' + '0000' + '0001', '08' + '0000' + '0000'));
    const header = readBatchHeader(bytes, 0);
    expect(header).toMatchObject({ attributes: 0x30, producerId: 1000, producerEpoch: 3, baseSequence: -1, recordsCount: 1, lastOffset: 42 });
  });

  it('reads back the marker of a batch: type, producer, coordinator epoch and its offset', () => {
    expect(readEndTxnMarker(decodeOne(encodeEndTxnMarkerBatch({ ...commit, baseOffset: 42 })))).toEqual({
      type: 'COMMIT',
      producerId: 1000,
      producerEpoch: 3,
      coordinatorEpoch: 5,
      offset: 42,
    });
    expect(readEndTxnMarker(decodeOne(encodeEndTxnMarkerBatch({ ...commit, type: 'ABORT', baseOffset: 9 })))).toMatchObject({ type: 'ABORT', offset: 9 });
  });

  it('is undefined for a data batch and for KRaft control batches', () => {
    const data = encodeRecordBatch({ records: [{ key: null, value: new Uint8Array([1]), timestamp: 1 }], producerId: 1000, producerEpoch: 3, baseSequence: 0, isTransactional: true });
    expect(readEndTxnMarker(decodeOne(data))).toBeUndefined();
    const leaderChange = encodeLeaderChangeBatch({ leaderEpoch: 1, baseOffset: 0, timestampMs: 1, leaderId: 1, voters: [{ voterId: 1 }], grantingVoters: [{ voterId: 1 }] });
    expect(readEndTxnMarker(decodeOne(leaderChange))).toBeUndefined();
  });

  it('refuses a marker batch of two records, a marker outside a transactional batch and a short marker value (INVALID_RECORD)', () => {
    const value = new Uint8Array([0, 0, 0, 0, 0, 1]);
    const two = encodeControlBatch({ records: [{ type: 'COMMIT', value }, { type: 'COMMIT', value }], timestampMs: 1, producerId: 1, producerEpoch: 0, isTransactional: true });
    expect(() => readEndTxnMarker(decodeOne(two))).toThrow(/holds 2 records, not 1/);
    const notTransactional = encodeControlBatch({ records: [{ type: 'ABORT', value }], timestampMs: 1, producerId: 1, producerEpoch: 0 });
    expect(() => readEndTxnMarker(decodeOne(notTransactional))).toThrow(/not transactional/);
    const short = encodeControlBatch({ records: [{ type: 'ABORT', value: value.subarray(0, 5) }], timestampMs: 1, producerId: 1, producerEpoch: 0, isTransactional: true });
    expect(() => readEndTxnMarker(decodeOne(short))).toThrow(ControlRecordError);
  });

  it('refuses to write a marker without a producer id or with an epoch past int16', () => {
    expect(() => encodeEndTxnMarkerBatch({ ...commit, producerId: -1 })).toThrow(/needs a producer id/);
    expect(() => encodeEndTxnMarkerBatch({ ...commit, producerEpoch: 0x8000 })).toThrow(/producer epoch/);
  });
});
