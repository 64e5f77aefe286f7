/**
 * Errors the logs throw. Each names the Kafka error a broker should answer with.
 */

/**
 * A file operation failed (a full disk, an I/O error). Kafka's KAFKA_STORAGE_ERROR (56): Kafka takes
 * the log directory offline; the broker should stop serving the partition.
 */
export class KafkaStorageError extends Error {
  override readonly name = 'KafkaStorageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An append larger than `segment.bytes` could never fit in a segment: Kafka's RECORD_LIST_TOO_LARGE
 * (18, `RecordBatchTooLargeException`).
 */
export class RecordBatchTooLargeError extends Error {
  override readonly name = 'RecordBatchTooLargeError';
  constructor(
    readonly sizeInBytes: number,
    readonly segmentBytes: number,
  ) {
    super(`an append of ${sizeInBytes} bytes exceeds segment.bytes ${segmentBytes}`);
  }
}

/**
 * `append()` was given bytes that are not whole record batches. The broker validates batches before
 * appending (`validateRecordBatches`), so this is a programming error, not bad client input.
 */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

/** An operation on a log that was closed or deleted. */
export class LogClosedError extends Error {
  override readonly name = 'LogClosedError';
  constructor(readonly topic: string, readonly partition: number) {
    super(`the log of ${topic}-${partition} is closed`);
  }
}
