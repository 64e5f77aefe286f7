/**
 * The Kafka error names a record batch check can end in (codes in Kafka's `Errors.java`):
 * - `CORRUPT_MESSAGE` (2): the bytes are damaged: bad CRC, a size below the batch overhead, a
 *   length running past the end of the data.
 * - `INVALID_RECORD` (87): the bytes are intact but break the format's rules: magic other than 2,
 *   records that do not parse exactly within their batch, counts that disagree with offsets.
 * - `MESSAGE_TOO_LARGE` (10): a batch larger than `message.max.bytes` / `max.message.bytes`.
 * - `UNSUPPORTED_COMPRESSION_TYPE` (76): a codec this node cannot handle. Every codec is read now (gzip, snappy,
 *   lz4, zstd: compression.ts); Kafka's listener still answers it for zstd in a Produce older than v7 (KIP-110).
 */
export type RecordBatchErrorName =
  | 'CORRUPT_MESSAGE'
  | 'INVALID_RECORD'
  | 'MESSAGE_TOO_LARGE'
  | 'UNSUPPORTED_COMPRESSION_TYPE';

/** Why a batch was refused, as data (the decoders and validators never throw on input). */
export interface RecordBatchProblem {
  error: RecordBatchErrorName;
  message: string;
  /** Byte position of the offending batch in the input. */
  position: number;
}

/**
 * Thrown inside the record parsers and caught at their public entry points, which turn it into a
 * `RecordBatchProblem`. Never escapes `decodeRecordBatches` or `validateRecordBatches`.
 */
export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
  constructor(
    readonly error: RecordBatchErrorName,
    message: string,
  ) {
    super(message);
  }
}
