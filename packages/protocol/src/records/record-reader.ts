/**
 * Walks the records of one batch (Kafka's `DefaultRecord.readFrom`):
 *
 * ```
 * length varint            bytes after this field
 * attributes int8          unused, 0
 * timestampDelta varlong   from the batch's baseTimestamp
 * offsetDelta varint       from the batch's baseOffset
 * keyLength varint, key    -1 = null
 * valueLength varint, value
 * headerCount varint, then per header: keyLength varint, key (UTF-8), valueLength varint (-1 = null), value
 * ```
 *
 * Every length is checked against the bytes that remain before anything is read or allocated, so a
 * hostile length costs nothing (KAFKA-14063). Each record takes at least 7 bytes and each header 2, so
 * every loop is bounded by the buffer's length. Problems throw `RecordFormatError` (INVALID_RECORD).
 */
import { MIN_HEADER_SIZE, MIN_RECORD_SIZE } from './batch-layout.js';
import { RecordFormatError } from './record-errors.js';
import { readUtf8 } from './utf8.js';
import { readVarint, readVarlong } from './varint.js';

export interface DecodedHeader {
  key: string;
  value: Uint8Array | null;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  /** A view into the batch bytes (no copy), or null. */
  key: Uint8Array | null;
  /** A view into the batch bytes (no copy), or null. */
  value: Uint8Array | null;
  headers: DecodedHeader[];
}

/** What a record needs from its batch to get its absolute offset and timestamp. */
export interface RecordContext {
  baseOffset: number;
  baseTimestamp: number;
  /** For LogAppendTime batches every record's timestamp is the batch's maxTimestamp. */
  logAppendTimeMs: number | null;
}

interface MutableCursor {
  bytes: Uint8Array;
  position: number;
  end: number;
}

function invalid(message: string): RecordFormatError {
  return new RecordFormatError('INVALID_RECORD', message);
}

/**
 * Reads exactly `count` records from `bytes[start, end)`, which they must fill exactly. Appends them
 * to `out` when given; with `out` null it only checks the structure and allocates nothing.
 */
export function readRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  context: RecordContext,
  out: DecodedRecord[] | null,
): void {
  if (count < 0) throw invalid(`the batch declares a negative record count ${count}`);
  if (count > (end - start) / MIN_RECORD_SIZE) {
    throw invalid(`the batch declares ${count} records but has only ${end - start} bytes of records`);
  }
  const cursor: MutableCursor = { bytes, position: start, end };
  for (let i = 0; i < count; i++) {
    cursor.end = end;
    const length = readVarint(cursor);
    if (length < 0 || length > end - cursor.position) {
      throw invalid(`record ${i} declares ${length} bytes but ${end - cursor.position} remain in the batch`);
    }
    const recordEnd = cursor.position + length;
    cursor.end = recordEnd;
    readRecord(cursor, context, out);
    if (cursor.position !== recordEnd) {
      throw invalid(`record ${i} declares ${length} bytes but its fields take ${cursor.position - recordEnd + length}`);
    }
  }
  if (cursor.position !== end) {
    throw invalid(`${end - cursor.position} bytes remain in the batch after its ${count} records`);
  }
}

function readRecord(cursor: MutableCursor, context: RecordContext, out: DecodedRecord[] | null): void {
  if (cursor.position >= cursor.end) throw invalid('a record ends before its attributes');
  cursor.position += 1; // record attributes: unused in v2
  const timestampDelta = readVarlong(cursor);
  const offsetDelta = readVarint(cursor);
  const materialize = out !== null;
  const key = readNullableBytes(cursor, 'key', materialize);
  const value = readNullableBytes(cursor, 'value', materialize);
  const headerCount = readVarint(cursor);
  if (headerCount < 0) throw invalid(`a record declares a negative header count ${headerCount}`);
  if (headerCount > (cursor.end - cursor.position) / MIN_HEADER_SIZE) {
    throw invalid(`a record declares ${headerCount} headers in ${cursor.end - cursor.position} bytes`);
  }
  const headers: DecodedHeader[] | null = materialize ? [] : null;
  for (let h = 0; h < headerCount; h++) {
    const keyLength = readVarint(cursor);
    if (keyLength < 0) throw invalid(`a header key has the negative length ${keyLength}`);
    if (keyLength > cursor.end - cursor.position) throw invalid('a header key runs past the end of its record');
    const keyStart = cursor.position;
    cursor.position += keyLength;
    const headerValue = readNullableBytes(cursor, 'header value', materialize);
    if (headers !== null) headers.push({ key: readUtf8(cursor.bytes, keyStart, keyStart + keyLength), value: headerValue });
  }
  if (out === null || headers === null) return;
  out.push({
    offset: context.baseOffset + offsetDelta,
    timestamp: context.logAppendTimeMs ?? context.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  });
}

/** Reads a length-prefixed byte field; returns a view when `materialize`, else skips it and returns null. */
function readNullableBytes(cursor: MutableCursor, what: string, materialize: boolean): Uint8Array | null {
  const length = readVarint(cursor);
  if (length === -1) return null;
  if (length < -1) throw invalid(`a record ${what} has the invalid length ${length}`);
  if (length > cursor.end - cursor.position) throw invalid(`a record ${what} runs past the end of its record`);
  const start = cursor.position;
  cursor.position += length;
  return materialize ? cursor.bytes.subarray(start, start + length) : null;
}
