import { describe, expect, it } from 'vitest';
import { readBatchHeader, setBaseOffset, setPartitionLeaderEpoch, verifyBatchCrc } from './batch-header.js';
import { encodeRecordBatch } from './record-batch.js';

const batch = () =>
  encodeRecordBatch({
    producerId: 7,
    producerEpoch: 1,
    baseSequence: 100,
    records: [
      { key: null, value: new Uint8Array([1]), timestamp: 1000 },
      { key: null, value: new Uint8Array([2]), timestamp: 1500 },
    ],
  });

describe('batch header helpers', () => {
  it('reads the fixed header fields', () => {
    const bytes = batch();
    expect(readBatchHeader(bytes, 0)).toMatchObject({
      baseOffset: 0,
      sizeInBytes: bytes.length,
      batchLength: bytes.length - 12,
      lastOffsetDelta: 1,
      lastOffset: 1,
      recordsCount: 2,
      magic: 2,
      baseTimestamp: 1000,
      maxTimestamp: 1500,
      producerId: 7,
      producerEpoch: 1,
      baseSequence: 100,
      partitionLeaderEpoch: -1,
    });
  });

  it('returns null when fewer than a header of bytes remain', () => {
    expect(readBatchHeader(batch().subarray(0, 60), 0)).toBeNull();
    expect(readBatchHeader(batch(), -1)).toBeNull();
  });

  it('rewrites baseOffset and partitionLeaderEpoch in place without breaking the CRC', () => {
    const bytes = batch();
    setBaseOffset(bytes, 0, 2 ** 40 + 3);
    setPartitionLeaderEpoch(bytes, 0, 12);
    expect(verifyBatchCrc(bytes, 0)).toBe(true);
    expect(readBatchHeader(bytes, 0)).toMatchObject({ baseOffset: 2 ** 40 + 3, lastOffset: 2 ** 40 + 4, partitionLeaderEpoch: 12 });
  });

  it('finds a batch at a position inside concatenated bytes', () => {
    const first = batch();
    const joined = new Uint8Array(first.length * 2);
    joined.set(first, 0);
    joined.set(first, first.length);
    setBaseOffset(joined, first.length, 2);
    expect(readBatchHeader(joined, first.length)?.baseOffset).toBe(2);
    expect(verifyBatchCrc(joined, first.length)).toBe(true);
  });

  it('reports a CRC failure for a flipped byte inside the CRC range', () => {
    const bytes = batch();
    bytes[bytes.length - 1]! ^= 0x01;
    expect(verifyBatchCrc(bytes, 0)).toBe(false);
  });

  it('reports a truncated batch as not verified instead of throwing', () => {
    const bytes = batch();
    expect(verifyBatchCrc(bytes.subarray(0, bytes.length - 1), 0)).toBe(false);
    expect(verifyBatchCrc(new Uint8Array(3), 0)).toBe(false);
  });
});
