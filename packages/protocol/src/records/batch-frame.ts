/**
 * The steps shared by the decoder and the validator: find where the next batch ends (Kafka's
 * `ByteBufferLogInputStream.nextBatch`), check its magic and CRC (`DefaultRecordBatch.ensureValid`),
 * and locate its records, decompressing them when needed.
 */
import { readBatchHeader, computeBatchCrc, type RecordBatchHeader } from './batch-header.js';
import {
  ATTRIBUTE_COMPRESSION_MASK,
  ATTRIBUTE_TIMESTAMP_TYPE,
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MIN_BATCH_LENGTH,
  RECORDS_OFFSET,
} from './batch-layout.js';
import { readInt32BE, readInt8 } from './bytes.js';
import { decompressRecords } from './compression.js';
import { RecordFormatError } from './record-errors.js';
import type { RecordContext } from './record-reader.js';

/** Where the batch at a position stands. */
export type BatchFrame =
  | { kind: 'end' }
  /** Fewer bytes remain than the batch declares (a fetch response may cut its last batch). */
  | { kind: 'partial'; declaredSizeInBytes: number | null }
  | { kind: 'batch'; header: RecordBatchHeader };

/**
 * Frames the batch at `position`: its length must be at least the batch overhead (else
 * CORRUPT_MESSAGE); when the whole batch is present its magic must be 2 (else INVALID_RECORD, as
 * Kafka answers produce requests carrying older formats).
 */
export function frameBatch(bytes: Uint8Array, position: number): BatchFrame {
  const remaining = bytes.length - position;
  if (remaining <= 0) return { kind: 'end' };
  if (remaining < LOG_OVERHEAD) return { kind: 'partial', declaredSizeInBytes: null };
  const batchLength = readInt32BE(bytes, position + BATCH_LENGTH_OFFSET);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new RecordFormatError(
      'CORRUPT_MESSAGE',
      `batch length ${batchLength} is less than the minimum batch overhead ${MIN_BATCH_LENGTH}`,
    );
  }
  if (remaining < batchLength + LOG_OVERHEAD) return { kind: 'partial', declaredSizeInBytes: batchLength + LOG_OVERHEAD };
  const magic = readInt8(bytes, position + MAGIC_OFFSET);
  if (magic !== MAGIC_V2) throw new RecordFormatError('INVALID_RECORD', `batch magic ${magic} is not supported: only 2`);
  const header = readBatchHeader(bytes, position);
  if (header === null) throw new RecordFormatError('CORRUPT_MESSAGE', 'batch header is truncated');
  return { kind: 'batch', header };
}

/** Throws CORRUPT_MESSAGE unless the stored CRC matches the batch content. */
export function checkBatchCrc(bytes: Uint8Array, position: number, header: RecordBatchHeader): void {
  const computed = computeBatchCrc(bytes, position, header.sizeInBytes);
  if (computed !== header.crc) {
    throw new RecordFormatError(
      'CORRUPT_MESSAGE',
      `batch CRC is ${header.crc.toString(16)} but its content gives ${computed.toString(16)}`,
    );
  }
}

export interface BatchRecords {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/**
 * The records block of a framed batch, inflated when it is compressed (gzip, snappy, lz4, zstd: see
 * compression.ts); codec ids 5 to 7 do not exist (INVALID_RECORD).
 */
export function batchRecords(
  bytes: Uint8Array,
  position: number,
  header: RecordBatchHeader,
  maxDecompressedBytes: number,
): BatchRecords {
  const start = position + RECORDS_OFFSET;
  const end = position + header.sizeInBytes;
  const codec = header.attributes & ATTRIBUTE_COMPRESSION_MASK;
  if (codec === 0) return { bytes, start, end };
  if (codec > 4) throw new RecordFormatError('INVALID_RECORD', `unknown compression codec id ${codec}`);
  const inflated = decompressRecords(codec as 1 | 2 | 3 | 4, bytes.subarray(start, end), maxDecompressedBytes);
  return { bytes: inflated, start: 0, end: inflated.length };
}

export function recordContext(header: RecordBatchHeader): RecordContext {
  return {
    baseOffset: header.baseOffset,
    baseTimestamp: header.baseTimestamp,
    logAppendTimeMs: header.attributes & ATTRIBUTE_TIMESTAMP_TYPE ? header.maxTimestamp : null,
  };
}
