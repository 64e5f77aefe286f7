/**
 * One partition's batch of records on its way to the leader (Kafka's `ProducerBatch`). It keeps the
 * records as given (key and value bytes are referenced, not copied) and encodes them once, into one
 * RecordBatch v2, when first drained; a retry resends the same bytes. Each record's completion is a
 * pair of callbacks that the batch calls once, with the record's offset or the batch's error.
 *
 * With idempotence the batch gets its producer id, epoch and base sequence when first drained (they are in the
 * encoded header); a retry keeps them and its bytes, unless an epoch bump rewrites its sequence (Kafka's
 * `resetProducerState`), which re-encodes it.
 */
import type { CompressionCodec, RecordInput } from '@kactor/protocol';
import { encodeRecordBatch, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, RECORD_BATCH_OVERHEAD } from '@kactor/protocol';
import type { RecordMetadata } from './producer-types.js';
import { recordSizeInBatch, recordSizeUpperBound } from './record-size.js';

export interface RecordCompletion {
  resolve(metadata: RecordMetadata): void;
  reject(error: unknown): void;
}

/**
 * A record ready to be appended: its bytes, the size of its position-independent part, and its waiter.
 * It holds `recordSizeUpperBound(fixedBytes)` bytes of buffer.memory until its batch completes.
 */
export interface PendingRecord {
  readonly input: RecordInput;
  readonly fixedBytes: number;
  readonly completion: RecordCompletion;
}

/** A producer id and its epoch (Kafka's `ProducerIdAndEpoch`); -1/-1 is none. */
export interface ProducerIdAndEpoch {
  readonly producerId: number;
  readonly epoch: number;
}

export const NO_PRODUCER_ID_AND_EPOCH: ProducerIdAndEpoch = Object.freeze({ producerId: NO_PRODUCER_ID, epoch: NO_PRODUCER_EPOCH });

/** Int32 max: sequences wrap from it back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
const MAX_SEQUENCE = 2_147_483_647;

/** `sequence + increment`, wrapping past Int32 max to 0 as the broker does. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > MAX_SEQUENCE - increment ? increment - (MAX_SEQUENCE - sequence) - 1 : sequence + increment;
}

export class ProducerBatch {
  readonly records: RecordInput[] = [];
  /** Records appended (kept after completion, when `records` is emptied). */
  private appendedCount = 0;
  producerId = NO_PRODUCER_ID;
  producerEpoch = NO_PRODUCER_EPOCH;
  /** The first record's sequence; NO_SEQUENCE until an idempotent producer drains the batch. */
  baseSequence = NO_SEQUENCE;
  isTransactional = false;
  /** Its sequence was rewritten after an epoch bump (Kafka's `sequenceHasBeenReset`): the broker never saw these bytes. */
  sequenceHasBeenReset = false;
  /** Put back in its queue at least once for a retry (Kafka's `inRetry`). */
  retried = false;
  private completions: RecordCompletion[] = [];
  private fixedSizes: number[] = [];
  /** Exact encoded size so far. */
  sizeBytes = RECORD_BATCH_OVERHEAD;
  reservedBytes = 0;
  /** Sends so far (0 until drained). */
  attempts = 0;
  /** Not drained again before this time (retry backoff). */
  retryNotBeforeMs = 0;
  /**
   * After an error meaning stale metadata, not drained again before metadata newer than this version
   * arrived: resending to the same stale leader would only fail again.
   */
  awaitsMetadataAfterVersion = -1;
  /** Closed for appends once drained. */
  drained = false;
  done = false;
  private encoded: Uint8Array | undefined;
  private doneListeners: Array<() => void> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
    /** createdMs + delivery.timeout.ms: the batch fails with a timeout at this time. */
    readonly deliveryDeadlineMs: number,
  ) {}

  get recordCount(): number {
    return this.appendedCount;
  }

  get hasSequence(): boolean {
    return this.baseSequence !== NO_SEQUENCE;
  }

  /** The last record's sequence (wrapping past Int32 max). */
  get lastSequence(): number {
    return incrementSequence(this.baseSequence, this.appendedCount - 1);
  }

  /** Stamps the producer's id, epoch and this batch's first sequence (Kafka's `setProducerState`, at first drain). */
  setProducerState(producer: ProducerIdAndEpoch, baseSequence: number, isTransactional: boolean): void {
    this.producerId = producer.producerId;
    this.producerEpoch = producer.epoch;
    this.baseSequence = baseSequence;
    this.isTransactional = isTransactional;
    this.encoded = undefined;
  }

  /** A new epoch or sequence for a batch already drained (Kafka's `resetProducerState`): re-encoded before it goes again. */
  resetProducerState(producer: ProducerIdAndEpoch, baseSequence: number): void {
    this.sequenceHasBeenReset = true;
    this.setProducerState(producer, baseSequence, this.isTransactional);
  }

  /** Whether the batch reached batch.size (Kafka's `isFull`). */
  isFull(batchSize: number): boolean {
    return this.sizeBytes >= batchSize;
  }

  /**
   * Appends the record when it fits within `batchSize` (a first record always fits, however large) and
   * returns the bytes it added, or 0 when it does not fit.
   */
  tryAppend(record: PendingRecord, batchSize: number): number {
    if (this.drained || this.done) return 0;
    const index = this.records.length;
    const baseTimestamp = index === 0 ? record.input.timestamp : (this.records[0] as RecordInput).timestamp;
    const size = recordSizeInBatch(record.fixedBytes, index, record.input.timestamp - baseTimestamp);
    if (index > 0 && this.sizeBytes + size > batchSize) return 0;
    this.records.push(record.input);
    this.appendedCount += 1;
    this.completions.push(record.completion);
    this.fixedSizes.push(record.fixedBytes);
    this.sizeBytes += size;
    this.reservedBytes += recordSizeUpperBound(record.fixedBytes);
    return size;
  }

  /** The batch as Kafka RecordBatch v2 bytes, encoded on first use and reused for retries. */
  encode(): Uint8Array {
    this.encoded ??= encodeRecordBatch({
      records: this.records,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      isTransactional: this.isTransactional,
      compression: this.compression,
    });
    return this.encoded;
  }

  /** Completes every record: offsets from `baseOffset` (-1 for acks=0), LogAppendTime when the broker set it. */
  complete(baseOffset: number, logAppendTimeMs: number): void {
    if (this.done) return;
    this.done = true;
    const { topic, partition } = this;
    for (let index = 0; index < this.completions.length; index++) {
      const record = this.records[index] as RecordInput;
      (this.completions[index] as RecordCompletion).resolve({
        topic,
        partition,
        offset: baseOffset < 0 ? -1 : baseOffset + index,
        timestamp: logAppendTimeMs >= 0 ? logAppendTimeMs : record.timestamp,
      });
    }
    this.release();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    for (const completion of this.completions) completion.reject(error);
    this.release();
  }

  /**
   * Splits the records into batches of at most `batchSize` bytes each (one record at least), in order,
   * for a retry after MESSAGE_TOO_LARGE; a batch already within `batchSize` is halved, so that repeated
   * refusals end with single records. The parts complete the records; this batch's done listeners run
   * once every part is done.
   */
  split(maxBatchSize: number): ProducerBatch[] {
    const halfSize = RECORD_BATCH_OVERHEAD + Math.ceil((this.sizeBytes - RECORD_BATCH_OVERHEAD) / 2);
    const batchSize = Math.min(maxBatchSize, halfSize);
    const parts: ProducerBatch[] = [];
    let current: ProducerBatch | undefined;
    for (let index = 0; index < this.records.length; index++) {
      const pending: PendingRecord = {
        input: this.records[index] as RecordInput,
        fixedBytes: this.fixedSizes[index] as number,
        completion: this.completions[index] as RecordCompletion,
      };
      if (current === undefined || current.tryAppend(pending, batchSize) === 0) {
        current = new ProducerBatch(this.topic, this.partition, this.createdMs, this.deliveryDeadlineMs);
        current.attempts = this.attempts;
        current.releaseMemory = this.releaseMemory;
        current.compression = this.compression;
        current.tryAppend(pending, batchSize);
        parts.push(current);
      }
    }
    // An idempotent batch's parts take its sequence range in order (Kafka's ProducerBatch.split).
    if (this.hasSequence) {
      let sequence = this.baseSequence;
      for (const part of parts) {
        part.setProducerState({ producerId: this.producerId, epoch: this.producerEpoch }, sequence, this.isTransactional);
        sequence = incrementSequence(sequence, part.recordCount);
      }
    }
    // Each part now holds its own records' memory; this batch is done once every part is.
    this.reservedBytes = 0;
    this.done = true;
    this.completions = [];
    let remaining = parts.length;
    for (const part of parts) {
      part.onDone(() => {
        remaining -= 1;
        if (remaining === 0) this.notifyDone();
      });
    }
    return parts;
  }

  /** Calls `listener` once the batch is done (at once if it is); used by flush() and close(). */
  onDone(listener: () => void): void {
    if (this.done) listener();
    else (this.doneListeners ??= []).push(listener);
  }

  /**
   * compression.type, set by the accumulator: the codec of the records block. batch.size and
   * max.request.size still count records uncompressed, so a compressed batch only comes out smaller.
   */
  compression: CompressionCodec = 'none';

  /** Set by the accumulator to give the memory back; called once when the batch is done. */
  releaseMemory: (bytes: number) => void = () => undefined;

  private release(): void {
    const bytes = this.reservedBytes;
    this.reservedBytes = 0;
    this.completions = [];
    this.fixedSizes = [];
    this.records.length = 0; // drop the application's bytes: nothing reads them after completion
    this.encoded = undefined;
    if (bytes > 0) this.releaseMemory(bytes);
    this.notifyDone();
  }

  private notifyDone(): void {
    const listeners = this.doneListeners;
    this.doneListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
