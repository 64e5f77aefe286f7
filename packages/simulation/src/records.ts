/** Helpers to build and read record batches in tests. */
import { decodeRecordBatches, encodeRecordBatch } from '@kactor/protocol';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function batchOf(values: string[], timestamp = 1_700_000_000_000): Uint8Array {
  return encodeRecordBatch({ records: values.map((value, index) => ({ key: encoder.encode(`key-${index}`), value: encoder.encode(value), headers: [], timestamp })) });
}

export function valuesOf(bytes: Uint8Array, fromOffset = 0): Array<{ offset: number; value: string }> {
  return decodeRecordBatches(bytes).batches.flatMap((batch) =>
    batch.records.filter((record) => record.offset >= fromOffset).map((record) => ({ offset: record.offset, value: record.value === null ? '' : decoder.decode(record.value) })),
  );
}
