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

/**
 * A follower append whose batches do not continue the log: the first batch does not start at the log
 * end offset, or a batch does not start right after the one before it. Kafka's
 * `UnexpectedAppendOffsetException`; the replica fetcher treats it as a divergence to resolve, not data
 * to store.
 */
export class UnexpectedAppendOffsetError extends Error {
  override readonly name = 'UnexpectedAppendOffsetError';
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The offset the batch had to start at (the log end offset, or the previous batch's last offset + 1). */
    readonly expectedOffset: number,
    /** The batch's base offset. */
    readonly actualOffset: number,
  ) {
    super(
      `unexpected offset in a follower append to ${topic}-${partition}: a batch starts at ${actualOffset}, expected ${expectedOffset} (${actualOffset < expectedOffset ? 'an overlap' : 'a gap'})`,
    );
  }
}

/**
 * `truncateTo` below the log start offset: the log cannot keep a prefix it no longer has. Kafka then
 * truncates fully and restarts the log at the offset (`truncateFullyAndStartAt`), which this log does
 * not offer yet: the caller must not ask for it.
 */
export class TruncateBelowLogStartError extends Error {
  override readonly name = 'TruncateBelowLogStartError';
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly logStartOffset: number,
  ) {
    super(`cannot truncate ${topic}-${partition} to ${offset}: it is below the log start offset ${logStartOffset}`);
  }
}
