import { encodeRecordBatch, RECORD_BATCH_OVERHEAD, type RecordInput } from '@kactor/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordBatchSizeUpperBound, recordFixedBytes, recordSizeInBatch } from './record-size.js';

const recordArbitrary = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }),
  value: fc.option(fc.uint8Array({ maxLength: 3_000 }), { nil: null }),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 20 }), value: fc.option(fc.uint8Array({ maxLength: 50 }), { nil: null }) }), { maxLength: 3 }),
  timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
});

describe('record sizes', () => {
  it('add up to exactly the size encodeRecordBatch produces', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 20 }), (records: RecordInput[]) => {
        const baseTimestamp = records[0]!.timestamp;
        let expected = RECORD_BATCH_OVERHEAD;
        records.forEach((record, index) => {
          expected += recordSizeInBatch(recordFixedBytes(record.key, record.value, record.headers ?? []), index, record.timestamp - baseTimestamp);
        });
        expect(encodeRecordBatch({ records }).length).toBe(expected);
      }),
    );
  });

  it('bound a single-record batch from above', () => {
    fc.assert(
      fc.property(recordArbitrary, (record: RecordInput) => {
        const encoded = encodeRecordBatch({ records: [record] }).length;
        expect(recordBatchSizeUpperBound(recordFixedBytes(record.key, record.value, record.headers ?? []))).toBeGreaterThanOrEqual(encoded);
      }),
    );
  });

  it('counts header keys in UTF-8 bytes', () => {
    expect(recordFixedBytes(null, null, [{ key: 'é', value: null }]) - recordFixedBytes(null, null, [{ key: 'e', value: null }])).toBe(1);
  });
});
