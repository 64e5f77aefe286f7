/**
 * The bytes a record takes inside a RecordBatch v2, computed without encoding it (the layout is in
 * @kactor/protocol's `record-reader.ts`). The accumulator uses the exact size to decide when a batch has
 * reached batch.size; the upper bound (maximal offset and timestamp deltas) is what Kafka checks against
 * max.request.size and buffer.memory before a record is accepted.
 */
import type { RecordHeaderInput } from '@kactor/protocol';
import { RECORD_BATCH_OVERHEAD, sizeOfVarint, sizeOfVarlong } from '@kactor/protocol';

/** The largest offset delta a batch can hold and the largest timestamp delta, for the upper bound. */
const OFFSET_DELTA_MAX = 0x7fff_ffff;
const TIMESTAMP_DELTA_MAX = Number.MAX_SAFE_INTEGER;
/** Their encoded sizes, computed once: the varlong of 2^53 takes the slow BigInt path, and this runs per record. */
const WORST_DELTAS_BYTES = sizeOfVarint(OFFSET_DELTA_MAX) + sizeOfVarlong(TIMESTAMP_DELTA_MAX);

function sizeOfNullableBytes(value: Uint8Array | null): number {
  return value === null ? 1 : sizeOfVarint(value.length) + value.length;
}

/**
 * The part of a record's body that does not depend on where it sits in its batch: attributes, key,
 * value and headers.
 */
export function recordFixedBytes(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeaderInput[]): number {
  let size = 1 + sizeOfNullableBytes(key) + sizeOfNullableBytes(value) + sizeOfVarint(headers.length);
  for (const header of headers) {
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarint(keyBytes) + keyBytes + sizeOfNullableBytes(header.value);
  }
  return size;
}

/** The exact bytes of a record at `offsetDelta`, `timestampDelta` in its batch, length prefix included. */
export function recordSizeInBatch(fixedBytes: number, offsetDelta: number, timestampDelta: number): number {
  const body = fixedBytes + sizeOfVarint(offsetDelta) + sizeOfVarlong(timestampDelta);
  return sizeOfVarint(body) + body;
}

/** The most bytes the record can take in any batch (at the worst deltas): what buffer.memory holds for it. */
export function recordSizeUpperBound(fixedBytes: number): number {
  const body = fixedBytes + WORST_DELTAS_BYTES;
  return sizeOfVarint(body) + body;
}

/** Kafka's `estimateSizeInBytesUpperBound`: a batch holding only this record, at the worst deltas. */
export function recordBatchSizeUpperBound(fixedBytes: number): number {
  return RECORD_BATCH_OVERHEAD + recordSizeUpperBound(fixedBytes);
}
