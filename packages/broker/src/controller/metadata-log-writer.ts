/**
 * The controller's way into `__cluster_metadata` when the disk may be full (issue 10 B7).
 *
 * Two kinds of records are written. What a client was promised (a topic created, deleted or grown) must be
 * on disk before the answer: `append` writes now or throws `KafkaStorageError`, and the controller then
 * answers KAFKA_STORAGE_ERROR and changes nothing. The brokers' lifecycle (registered, unfenced, fenced,
 * shutting down, and the leader moves these cause) is rebuilt by the brokers themselves after any restart:
 * `appendOrDefer` writes it now if it can, else keeps it in memory, in order, and writes it once there is
 * space (checked every `retryIntervalMs` on the injected clock), so that a broker on a full disk can still
 * register, start and serve reads. A deferred record holds the offset it will be written at: offsets stay
 * those of the log, and nothing else is written before the deferred records are.
 *
 * Kafka's controller stops when it cannot write its metadata log; this one keeps the cluster running and
 * refuses only the changes it could not keep. Deferred records lost in a crash are the brokers' lifecycle
 * of that moment, which their re-registration replaces.
 */
import type { Clock, Logger, TimerHandle } from '@kactor/runtime';
import { KafkaStorageError, type AppendOptions, type PartitionLog, type ReadResult } from '@kactor/storage';

/** What the controller needs of its metadata log. */
export interface MetadataLog {
  readonly logStartOffset: number;
  /** The offset the next record gets (records waiting for space included). */
  readonly logEndOffset: number;
  read(fetchOffset: number, maxBytes: number, maxOffsetExclusive: number): ReadResult;
  /** Writes now, or throws `KafkaStorageError` (and nothing is written, nothing waits). */
  append(batches: Uint8Array, options: AppendOptions): { baseOffset: number };
  /** Writes now if possible, else keeps the batch to write once there is space; returns its offset either way. */
  appendOrDefer(batches: Uint8Array, options: AppendOptions): { baseOffset: number };
}

export interface MetadataLogWriterOptions {
  clock: Clock;
  logger: Logger;
  /** How often deferred records are tried again (the broker heartbeat interval). */
  retryIntervalMs: number;
  /** Records that may wait for space; past it `appendOrDefer` throws like `append` (see docs/LIMITS.md). */
  maxDeferredRecords: number;
}

/** Deferred metadata records at most (the broker lifecycle of a large cluster through a long full disk). */
export const MAX_DEFERRED_METADATA_RECORDS = 10_000;

interface Deferred {
  batches: Uint8Array;
  options: AppendOptions;
  baseOffset: number;
}

export class MetadataLogWriter implements MetadataLog {
  private readonly deferred: Deferred[] = [];
  private deferredRecords = 0;
  private retryTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly log: PartitionLog,
    private readonly options: MetadataLogWriterOptions,
  ) {}

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset + this.deferredRecords;
  }

  /** Records waiting for space. */
  get waitingRecords(): number {
    return this.deferredRecords;
  }

  read(fetchOffset: number, maxBytes: number, maxOffsetExclusive: number): ReadResult {
    return this.log.read(fetchOffset, maxBytes, maxOffsetExclusive);
  }

  append(batches: Uint8Array, options: AppendOptions): { baseOffset: number } {
    if (!this.writeDeferred()) {
      throw new KafkaStorageError(`${this.deferredRecords} metadata record(s) still wait for disk space in ${this.log.topic}-${this.log.partition}`);
    }
    return this.log.append(batches, options);
  }

  appendOrDefer(batches: Uint8Array, options: AppendOptions): { baseOffset: number } {
    const baseOffset = this.logEndOffset;
    if (this.writeDeferred()) {
      try {
        return this.log.append(batches, options);
      } catch (error) {
        if (!(error instanceof KafkaStorageError)) throw error;
        this.options.logger.warn({ err: error }, 'cannot write the metadata log (a full disk?): broker lifecycle records wait in memory for space');
      }
    }
    if (this.deferredRecords + options.recordCount > this.options.maxDeferredRecords) {
      throw new KafkaStorageError(`more than ${this.options.maxDeferredRecords} metadata records wait for disk space`);
    }
    this.deferred.push({ batches, options, baseOffset });
    this.deferredRecords += options.recordCount;
    this.scheduleRetry();
    return { baseOffset };
  }

  /** Stops retrying (the node is shutting down); what still waits is lost, as in a crash. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Writes the deferred batches in order; true when none is left. */
  private writeDeferred(): boolean {
    while (this.deferred.length > 0) {
      const next = this.deferred[0]!;
      try {
        const { baseOffset } = this.log.append(next.batches, next.options);
        if (baseOffset !== next.baseOffset) {
          throw new Error(`deferred metadata records written at offset ${baseOffset}, not at ${next.baseOffset}`);
        }
      } catch (error) {
        if (error instanceof KafkaStorageError) return false;
        throw error;
      }
      this.deferred.shift();
      this.deferredRecords -= next.options.recordCount;
      if (this.deferred.length === 0) this.options.logger.info({ logEndOffset: this.log.logEndOffset }, 'the metadata log is written again: no record waits for space');
    }
    return true;
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.stopped) return;
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped || this.writeDeferred()) return;
      this.scheduleRetry();
    }, this.options.retryIntervalMs);
  }
}
