/**
 * fast-check generators for record batches, shared by the codec's property tests. Test support only:
 * not exported from the package.
 */
import fc from 'fast-check';
import { encodeRecordBatch, type EncodeRecordBatchOptions, type RecordInput } from './record-batch.js';

const nullableBytes = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });

export const arbitraryRecord: fc.Arbitrary<RecordInput> = fc.record({
  key: nullableBytes,
  value: nullableBytes,
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: nullableBytes }), { maxLength: 3 }),
  timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
});

export function arbitraryRecordBatch(): fc.Arbitrary<{ options: EncodeRecordBatchOptions; bytes: Uint8Array }> {
  return fc
    .record({
      records: fc.array(arbitraryRecord, { minLength: 1, maxLength: 6 }),
      idempotent: fc.boolean(),
      compression: fc.constantFrom<'none' | 'gzip'>('none', 'none', 'gzip'),
    })
    .map(({ records, idempotent, compression }) => {
      const options: EncodeRecordBatchOptions = idempotent
        ? { records, compression, producerId: 9, producerEpoch: 0, baseSequence: 0 }
        : { records, compression };
      return { options, bytes: encodeRecordBatch(options) };
    });
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}
