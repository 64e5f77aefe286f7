/**
 * A partition's log on disk (Kafka's `UnifiedLog` + `LocalLog`): segments in the partition folder,
 * the last one active. Appends stamp offsets and the leader epoch into the batch headers in place and
 * go to the active segment in one write; reads binary-search the segment, then use its sparse index.
 *
 * Durability follows Kafka: writes reach the page cache; fsync happens when `flush.messages` or
 * `flush.ms` say so, when a segment rolls (the rolled segment, then the recovery point is
 * checkpointed) and on close. Kafka fsyncs a rolled segment in the background; here it happens inside
 * the append that rolls, which costs one fsync per `segment.bytes` written.
 */
import path from 'node:path';
import type { Clock } from '@kactor/runtime';
import { readHighWatermarkCheckpoint, readLogStartOffset, readRecoveryPoint, writeHighWatermarkCheckpoint, writeLogStartOffset, writeRecoveryPoint } from './checkpoint-files.js';
import { KafkaStorageError, LogClosedError, TruncateBelowLogStartError } from './errors.js';
import { OffsetOutOfRangeError } from './log.js';
import type { AppendOptions, AppendResult, FollowerAppendOptions, LogConfig, PartitionLog, ReadResult } from './log.js';
import { FileProducerStateSnapshotStore } from './file-producer-snapshot-store.js';
import { loadSegments } from './recovery.js';
import { LogSegment } from './segment.js';
import { rollReason } from './segment-policy.js';
import { LeaderEpochCache } from './leader-epoch-cache.js';
import { LeaderEpochCheckpointFile } from './leader-epoch-checkpoint.js';
import { assignBatchEpochs, prepareAppend, prepareFollowerAppend } from './stamp-batches.js';
import { fsyncDirectory, type StorageFs } from './storage-fs.js';
import type { StorageLogger } from './storage-logger.js';

export interface FileLogOptions {
  fs: StorageFs;
  clock: Clock;
  logger: StorageLogger;
  /** Whether the data directory was shut down cleanly (then the segments are trusted). */
  cleanShutdown: boolean;
  /** Told when the log closes or is deleted, so that its store forgets it. */
  onClosed?: (log: FileLog, reason: 'closed' | 'deleted') => void;
}

const EMPTY = new Uint8Array(0);

export class FileLog implements PartitionLog {
  private readonly segments: LogSegment[];
  private recoveryPointOffset: number;
  private lastFlushMs: number;
  private unflushed = 0;
  private closed = false;
  /** The log start when above the first segment's base (a snapshot covers what is below it). */
  private startOffset: number;
  private highWatermarkCheckpoint: number | null;
  readonly producerSnapshots: FileProducerStateSnapshotStore;

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    private logConfig: LogConfig,
    private readonly options: FileLogOptions,
    segments: LogSegment[],
    recoveryPoint: number,
    readonly leaderEpochCache: LeaderEpochCache,
    startOffset: number,
  ) {
    this.segments = segments;
    this.startOffset = startOffset;
    this.recoveryPointOffset = recoveryPoint;
    this.lastFlushMs = options.clock.now();
    this.producerSnapshots = new FileProducerStateSnapshotStore(options.fs, dir);
    this.highWatermarkCheckpoint = readHighWatermarkCheckpoint(options.fs, dir);
  }

  get checkpointedHighWatermark(): number | null {
    return this.highWatermarkCheckpoint;
  }

  checkpointHighWatermark(offset: number): void {
    this.checkOpen();
    try {
      writeHighWatermarkCheckpoint(this.options.fs, this.dir, this.topic, this.partition, offset);
    } catch (cause) {
      throw this.storageError('checkpointing the high watermark', cause);
    }
    this.highWatermarkCheckpoint = offset;
  }

  /**
   * Opens the log in `dir` (which must exist), recovering it when the shutdown was not clean. After a
   * recovery the checked segments are fsynced and the recovery point moves to the log end.
   */
  static open(dir: string, topic: string, partition: number, config: LogConfig, options: FileLogOptions): FileLog {
    const { fs, clock, logger } = options;
    try {
      const recoveryPoint = readRecoveryPoint(fs, dir) ?? 0;
      const loaded = loadSegments({ fs, dir, config, nowMs: clock.now(), cleanShutdown: options.cleanShutdown, recoveryPoint, logger });
      const logEndOffset = loaded.segments.at(-1)!.nextOffset;
      const leaderEpochCache = new LeaderEpochCache(new LeaderEpochCheckpointFile(fs, dir));
      // A crash can lose a tail whose epochs the cache had recorded (Kafka's LogLoader does the same).
      leaderEpochCache.truncateFromEnd(logEndOffset);
      const log = new FileLog(dir, topic, partition, config, options, loaded.segments, Math.min(recoveryPoint, logEndOffset), leaderEpochCache, readLogStartOffset(fs, dir));
      for (const segment of loaded.segments) {
        if (segment.indexWriteError !== null) {
          logger.warn({ topic, partition, segment: segment.logPath, error: errorText(segment.indexWriteError) }, 'could not write a rebuilt offset index: it serves from memory and is rebuilt at the next start');
        }
      }
      if (loaded.recovered) {
        logger.info({ topic, partition, logEndOffset, truncated: loaded.truncated }, 'recovered the log');
        log.checkpointAfterRecovery();
      }
      return log;
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new KafkaStorageError(`loading the log of ${topic}-${partition} from ${dir} failed: ${message}`, { cause });
    }
  }

  /**
   * Makes the recovered segments durable and moves the recovery point to the log end. On a full disk this
   * fails, and the log still opens: reads are served, appends fail (KAFKA_STORAGE_ERROR) until there is space
   * again, and the recovery point stays where it was, so the next start checks the same segments again.
   */
  private checkpointAfterRecovery(): void {
    const { fs, logger } = this.options;
    try {
      for (const segment of this.segments) segment.flush();
      fsyncDirectory(fs, this.dir);
      writeRecoveryPoint(fs, this.dir, this.topic, this.partition, this.logEndOffset);
      this.recoveryPointOffset = this.logEndOffset;
    } catch (cause) {
      logger.warn(
        { topic: this.topic, partition: this.partition, recoveryPoint: this.recoveryPointOffset, error: errorText(cause) },
        'could not checkpoint the recovered log (a full disk?): it opens for reads, and the next start recovers it again',
      );
    }
  }

  get config(): LogConfig {
    return this.logConfig;
  }

  get logStartOffset(): number {
    // A crash may have lost a tail the stored start had passed: the start is never past the end.
    return Math.min(Math.max(this.segments[0]!.baseOffset, this.startOffset), this.logEndOffset);
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.sizeBytes;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get lastFlushTimeMs(): number {
    return this.lastFlushMs;
  }

  get unflushedMessages(): number {
    return this.unflushed;
  }

  /** Offset below which everything is known to be on disk. */
  get recoveryPoint(): number {
    return this.recoveryPointOffset;
  }

  /** Base offsets of the segments, oldest first. */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((segment) => segment.baseOffset);
  }

  updateConfig(config: LogConfig): void {
    this.logConfig = config;
  }

  append(batches: Uint8Array, options: AppendOptions): AppendResult {
    this.checkOpen();
    const baseOffset = this.logEndOffset;
    const { lastOffset, appendTimeMs } = prepareAppend(batches, baseOffset, options.leaderEpoch, this.logConfig, this.options.clock);
    this.writeBatches(batches, lastOffset, appendTimeMs, options.recordCount);
    return { baseOffset, lastOffset, appendTimeMs };
  }

  appendAsFollower(batches: Uint8Array, options: FollowerAppendOptions): AppendResult {
    this.checkOpen();
    const baseOffset = this.logEndOffset;
    const { lastOffset, appendTimeMs } = prepareFollowerAppend(batches, baseOffset, this, this.options.clock);
    assignBatchEpochs(batches, this.leaderEpochCache);
    this.writeBatches(batches, lastOffset, appendTimeMs, options.recordCount);
    return { baseOffset, lastOffset, appendTimeMs };
  }

  truncateTo(offset: number): boolean {
    this.checkOpen();
    if (offset < this.logStartOffset) throw new TruncateBelowLogStartError(this.topic, this.partition, offset, this.logStartOffset);
    if (offset >= this.logEndOffset) {
      // Nothing to cut, but an epoch may start at the log end (a leader that became leader and was deposed before
      // its first append): Kafka's UnifiedLog.truncateTo drops it, or a follower would keep asking the leader with it.
      try {
        this.leaderEpochCache.truncateFromEnd(this.logEndOffset);
      } catch (cause) {
        throw this.storageError('truncate', cause);
      }
      return false;
    }
    const { fs, logger } = this.options;
    const previousEnd = this.logEndOffset;
    try {
      // First a recovery point at or below the cut and the epochs without the cut ones (a full disk fails here,
      // before the log changes): a stale recovery point past the new end would let the next start trust appends
      // made after the truncation without checking them.
      writeRecoveryPoint(fs, this.dir, this.topic, this.partition, Math.min(this.recoveryPointOffset, offset));
      this.recoveryPointOffset = Math.min(this.recoveryPointOffset, offset);
      this.leaderEpochCache.truncateFromEnd(offset);
      const removed = this.segments.splice(this.segmentIndexFor(offset) + 1);
      for (const segment of removed) segment.deleteFiles();
      if (removed.length > 0) this.active.activate();
      // Cutting a file and deleting files need no space, so this part does not fail on a full disk.
      this.active.truncateTo(offset);
      fsyncDirectory(fs, this.dir);
    } catch (cause) {
      throw this.storageError('truncate', cause);
    }
    // Cut and deleted for good before anyone is told: a restart must not bring the diverged tail back.
    this.flush();
    logger.info({ topic: this.topic, partition: this.partition, offset, previousEnd, logEndOffset: this.logEndOffset }, 'truncated the log');
    return true;
  }

  advanceLogStartOffset(offset: number): boolean {
    this.checkOpen();
    if (offset <= this.logStartOffset) return false;
    if (offset > this.logEndOffset) throw new RangeError(`log start ${offset} of ${this.topic}-${this.partition} would pass its end ${this.logEndOffset}`);
    const { fs, logger } = this.options;
    try {
      // The new start first: a crash after it leaves segments that are merely unreachable, never a start below them.
      writeLogStartOffset(fs, this.dir, this.topic, this.partition, offset);
      this.startOffset = offset;
      this.leaderEpochCache.truncateFromStart(offset);
      let deleted = 0;
      while (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) {
        this.segments.shift()!.deleteFiles();
        deleted++;
      }
      if (deleted > 0) fsyncDirectory(fs, this.dir);
      logger.info({ topic: this.topic, partition: this.partition, logStartOffset: offset, deletedSegments: deleted }, 'moved the log start up');
    } catch (cause) {
      throw this.storageError('advance the log start of', cause);
    }
    return true;
  }

  truncateFullyAndStartAt(offset: number): void {
    this.checkOpen();
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`cannot start ${this.topic}-${this.partition} at ${offset}`);
    const { fs, clock, logger } = this.options;
    try {
      writeLogStartOffset(fs, this.dir, this.topic, this.partition, offset);
      writeRecoveryPoint(fs, this.dir, this.topic, this.partition, offset);
      this.leaderEpochCache.clear();
      for (const snapshotOffset of this.producerSnapshots.offsets()) this.producerSnapshots.delete(snapshotOffset);
      for (const segment of this.segments.splice(0)) segment.deleteFiles();
      const next = LogSegment.create(fs, this.dir, offset, clock.now());
      next.loadIndex(offset, this.logConfig);
      next.activate();
      this.segments.push(next);
      fsyncDirectory(fs, this.dir);
      this.startOffset = offset;
      this.recoveryPointOffset = offset;
      this.unflushed = 0;
    } catch (cause) {
      throw this.storageError('truncate fully', cause);
    }
    logger.info({ topic: this.topic, partition: this.partition, offset }, 'truncated the whole log and started it again');
  }

  /** Writes stamped or checked batches to the active segment, rolling first when needed, and honours flush.messages. */
  private writeBatches(batches: Uint8Array, lastOffset: number, appendTimeMs: number, recordCount: number): void {
    try {
      const reason = rollReason(this.active, batches.length, lastOffset, this.logConfig, appendTimeMs);
      if (reason !== null) this.roll(reason);
      if (this.active.sizeBytes === 0) this.active.ageStartMs = appendTimeMs;
      this.active.append(batches, lastOffset, this.logConfig);
    } catch (cause) {
      throw this.storageError('append', cause);
    }
    this.unflushed += recordCount;
    if (this.unflushed >= this.logConfig.flushMessages) this.flush();
  }

  read(fetchOffset: number, maxBytes: number, maxOffsetExclusive: number): ReadResult {
    this.checkOpen();
    const logStartOffset = this.logStartOffset;
    const logEndOffset = this.logEndOffset;
    if (fetchOffset < logStartOffset || fetchOffset > logEndOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, logStartOffset, logEndOffset);
    }
    const result = { records: EMPTY, logStartOffset, logEndOffset };
    if (fetchOffset === logEndOffset || fetchOffset >= maxOffsetExclusive) return result;
    try {
      for (let i = this.segmentIndexFor(fetchOffset); i < this.segments.length; i++) {
        const records = this.segments[i]!.read(fetchOffset, maxBytes, maxOffsetExclusive);
        if (records !== null) return { ...result, records };
      }
    } catch (cause) {
      throw this.storageError('read', cause);
    }
    return result;
  }

  flush(): void {
    this.checkOpen();
    try {
      this.active.flush();
    } catch (cause) {
      throw this.storageError('flush', cause);
    }
    this.recoveryPointOffset = this.logEndOffset;
    this.lastFlushMs = this.options.clock.now();
    this.unflushed = 0;
  }

  /** Flushes and closes; throws (after closing) when the flush failed, since then the data is not known to be on disk. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
      try {
        writeRecoveryPoint(this.options.fs, this.dir, this.topic, this.partition, this.recoveryPointOffset);
      } catch (cause) {
        // Everything is flushed: the clean-shutdown marker alone lets the next start trust this log.
        this.options.logger.warn({ topic: this.topic, partition: this.partition, error: errorText(cause) }, 'could not checkpoint the recovery point at close');
      }
    } finally {
      this.closed = true;
      for (const segment of this.segments) segment.close();
      this.options.onClosed?.(this, 'closed');
    }
  }

  delete(): void {
    if (!this.closed) {
      this.closed = true;
      for (const segment of this.segments) segment.close();
    }
    this.options.fs.rmSync(this.dir, { recursive: true, force: true });
    fsyncDirectory(this.options.fs, path.dirname(this.dir));
    this.options.onClosed?.(this, 'deleted');
  }

  toJSON(): { topic: string; partition: number; logStartOffset: number; logEndOffset: number; sizeBytes: number } {
    return {
      topic: this.topic,
      partition: this.partition,
      logStartOffset: this.logStartOffset,
      logEndOffset: this.logEndOffset,
      sizeBytes: this.sizeBytes,
    };
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Starts a new segment at the log end after fsyncing the current one, then checkpoints the recovery point. */
  private roll(reason: string): void {
    const { fs, clock, logger } = this.options;
    const previous = this.active;
    const next = LogSegment.create(fs, this.dir, previous.nextOffset, clock.now());
    previous.deactivate();
    next.activate();
    fsyncDirectory(fs, this.dir);
    this.segments.push(next);
    this.recoveryPointOffset = next.baseOffset;
    writeRecoveryPoint(fs, this.dir, this.topic, this.partition, this.recoveryPointOffset);
    logger.info({ topic: this.topic, partition: this.partition, baseOffset: next.baseOffset, reason }, 'rolled a new segment');
  }

  /** The last segment whose base offset is at most `offset`. */
  private segmentIndexFor(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle]!.baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private checkOpen(): void {
    if (this.closed) throw new LogClosedError(this.topic, this.partition);
  }

  private storageError(operation: string, cause: unknown): Error {
    if (cause instanceof KafkaStorageError) return cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    return new KafkaStorageError(`${operation} on ${this.topic}-${this.partition} failed: ${message}`, { cause });
  }
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
