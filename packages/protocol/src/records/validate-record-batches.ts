/**
 * The partition leader's check of produced record batches before they are appended, after Kafka's
 * `ProduceRequest.validateRecords`, `UnifiedLog.analyzeAndValidateRecords` and
 * `LogValidator.validateBatch`. Never throws on input and allocates nothing driven by a declared
 * length: every length is checked against the bytes that remain.
 *
 * For each batch, in order:
 * 1. a whole batch is there, its length at least the batch overhead        else CORRUPT_MESSAGE
 * 2. magic is 2                                                             else INVALID_RECORD
 * 3. (from clients) baseOffset is 0                                         else INVALID_RECORD
 * 4. its size is at most `maxBatchBytes` (`message.max.bytes`)              else MESSAGE_TOO_LARGE
 * 5. the CRC matches                                                        else CORRUPT_MESSAGE
 * 6. lastOffsetDelta >= 0; (from clients) lastOffsetDelta + 1 == recordsCount,
 *    not a control batch, a producer id comes with a sequence >= 0          else INVALID_RECORD
 * 7. the codec is one of Kafka's (none, gzip, snappy, lz4, zstd), and compressed
 *    records inflate, within `maxDecompressedBytes`                        else INVALID_RECORD
 * 8. the records parse exactly within the batch                             else INVALID_RECORD
 *
 * A follower's copy of its leader's batches (`parseRecords: false`) stops after step 6, as Kafka's does
 * (UnifiedLog.analyzeAndValidateRecords for AppendOrigin.REPLICATION checks each batch's header and CRC; only
 * the leader's LogValidator walks the records): the leader already parsed them, and the CRC covers them.
 */
import { ATTRIBUTE_CONTROL } from './batch-layout.js';
import type { RecordBatchHeader } from './batch-header.js';
import { batchRecords, checkBatchCrc, frameBatch, recordContext } from './batch-frame.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './compression.js';
import { RecordFormatError, type RecordBatchErrorName } from './record-errors.js';
import { readRecords } from './record-reader.js';

export interface ValidateRecordBatchesOptions {
  /** The largest batch accepted, in bytes: the topic's `max.message.bytes` (broker `message.max.bytes`). */
  maxBatchBytes: number;
  /**
   * Apply the checks Kafka reserves for batches from clients (AppendOrigin.CLIENT): baseOffset 0,
   * count matching offsets, no control batches. Default true; false for replicated batches.
   */
  fromClient?: boolean;
  /** Bound on what one compressed batch may inflate to (default `MAX_DECOMPRESSED_BATCH_BYTES`). */
  maxDecompressedBytes?: number;
  /** Check the codec and that the records parse exactly within each batch (steps 7 and 8). Default true. */
  parseRecords?: boolean;
}

export interface ValidatedRecordBatches {
  ok: true;
  batchCount: number;
  /** Records over all batches (the sum of recordsCount). */
  recordCount: number;
  /** Offsets the append will take: the sum of lastOffsetDelta + 1. */
  offsetCount: number;
  /** The largest maxTimestamp of the batches. */
  maxTimestamp: number;
  sizeInBytes: number;
  /** Each batch's header, in order (for idempotence: producerId, producerEpoch, baseSequence). */
  batches: RecordBatchHeader[];
}

export interface RejectedRecordBatches {
  ok: false;
  error: RecordBatchErrorName;
  message: string;
  /** Byte position of the offending batch. */
  position: number;
}

export type ValidateRecordBatchesResult = ValidatedRecordBatches | RejectedRecordBatches;

export function validateRecordBatches(
  bytes: Uint8Array,
  options: ValidateRecordBatchesOptions,
): ValidateRecordBatchesResult {
  const fromClient = options.fromClient ?? true;
  const parseRecords = options.parseRecords ?? true;
  const maxDecompressedBytes = options.maxDecompressedBytes ?? MAX_DECOMPRESSED_BATCH_BYTES;
  const batches: RecordBatchHeader[] = [];
  let recordCount = 0;
  let offsetCount = 0;
  let maxTimestamp = -1;
  let position = 0;
  try {
    if (bytes.length === 0) throw new RecordFormatError('INVALID_RECORD', 'the records hold no batch');
    // Each pass consumes a whole batch of at least 61 bytes or leaves: bounded by the input.
    while (position < bytes.length) {
      const frame = frameBatch(bytes, position);
      if (frame.kind !== 'batch') {
        throw new RecordFormatError(
          'CORRUPT_MESSAGE',
          `the last ${bytes.length - position} bytes do not hold a whole batch` +
            (frame.kind === 'partial' && frame.declaredSizeInBytes !== null
              ? ` (it declares ${frame.declaredSizeInBytes} bytes)`
              : ''),
        );
      }
      const { header } = frame;
      checkBatch(bytes, position, header, options.maxBatchBytes, fromClient);
      if (parseRecords) {
        const block = batchRecords(bytes, position, header, maxDecompressedBytes);
        readRecords(block.bytes, block.start, block.end, header.recordsCount, recordContext(header), null);
      }
      batches.push(header);
      recordCount += header.recordsCount;
      offsetCount += header.lastOffsetDelta + 1;
      if (header.maxTimestamp > maxTimestamp) maxTimestamp = header.maxTimestamp;
      position += header.sizeInBytes;
    }
  } catch (cause) {
    if (!(cause instanceof RecordFormatError)) throw cause;
    return { ok: false, error: cause.error, message: cause.message, position };
  }
  return { ok: true, batchCount: batches.length, recordCount, offsetCount, maxTimestamp, sizeInBytes: bytes.length, batches };
}

function checkBatch(
  bytes: Uint8Array,
  position: number,
  header: RecordBatchHeader,
  maxBatchBytes: number,
  fromClient: boolean,
): void {
  if (fromClient && header.baseOffset !== 0) {
    throw new RecordFormatError('INVALID_RECORD', `a produced batch must have baseOffset 0, not ${header.baseOffset}`);
  }
  if (header.sizeInBytes > maxBatchBytes) {
    throw new RecordFormatError(
      'MESSAGE_TOO_LARGE',
      `the batch is ${header.sizeInBytes} bytes, larger than the ${maxBatchBytes} bytes allowed (max.message.bytes)`,
    );
  }
  checkBatchCrc(bytes, position, header);
  if (header.lastOffsetDelta < 0) {
    throw new RecordFormatError('INVALID_RECORD', `the batch has a negative lastOffsetDelta ${header.lastOffsetDelta}`);
  }
  if (!fromClient) return;
  if (header.recordsCount <= 0) {
    throw new RecordFormatError('INVALID_RECORD', `the batch declares ${header.recordsCount} records`);
  }
  if (header.recordsCount !== header.lastOffsetDelta + 1) {
    throw new RecordFormatError(
      'INVALID_RECORD',
      `the batch declares ${header.recordsCount} records but spans ${header.lastOffsetDelta + 1} offsets`,
    );
  }
  if (header.attributes & ATTRIBUTE_CONTROL) {
    throw new RecordFormatError('INVALID_RECORD', 'clients may not write control batches');
  }
  if (header.producerId >= 0 && header.baseSequence < 0) {
    throw new RecordFormatError(
      'INVALID_RECORD',
      `the batch has producerId ${header.producerId} but the invalid sequence ${header.baseSequence}`,
    );
  }
}
