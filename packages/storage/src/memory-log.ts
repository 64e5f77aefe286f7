/**
 * A partition log kept in memory, for the simulator and tests. It follows `FileLog` exactly where the
 * interface can tell: offsets, whole-batch reads and their limits, segment rolls (same rules, same
 * points, through `segment-policy.ts`), flush bookkeeping. Its data lives in a `MemoryLogData` owned by
 * the store's "disk", so a simulated broker restart finds it again.
 */
import type { Clock } from '@kactor/runtime';
import { readBatchSize, readLastOffsetDelta } from '@kactor/protocol';
import { LogClosedError, TruncateBelowLogStartError } from './errors.js';
import { LeaderEpochCache } from './leader-epoch-cache.js';
import { MemoryLeaderEpochCheckpoint } from './leader-epoch-checkpoint.js';
import { MemoryProducerStateSnapshotStore } from './producer-snapshot.js';
import { assignBatchEpochs, prepareAppend, prepareFollowerAppend } from './stamp-batches.js';
import { OffsetOutOfRangeError } from './log.js';
import type { AppendOptions, AppendResult, FollowerAppendOptions, LogConfig, PartitionLog, ReadResult } from './log.js';
import { maxIndexEntries, needsIndexEntry, rollReason } from './segment-policy.js';

export interface MemoryBatch {
  baseOffset: number;
  lastOffset: number;
  bytes: Uint8Array;
}

export interface MemorySegment {
  baseOffset: number;
  batches: MemoryBatch[];
  sizeBytes: number;
  /** When the segment got its first batch, or was reopened with data (for `segment.ms`). */
  ageStartMs: number;
  /** Entries a file index would hold: kept so that a full index rolls as it does on disk. */
  indexEntries: number;
  bytesSinceLastIndexEntry: number;
  nextOffset: number;
}

/** What survives a simulated restart: the segments, the flushed position and the leader-epoch checkpoint. */
export interface MemoryLogData {
  segments: MemorySegment[];
  recoveryPoint: number;
  leaderEpochCheckpoint: MemoryLeaderEpochCheckpoint;
  /** The log start when above the first segment's base (advanceLogStartOffset); durable like the file's checkpoint. */
  logStartOffset: number;
  /** Producer-state snapshots by offset, encoded as the file store writes them. */
  producerSnapshots: Map<number, string>;
  /** The checkpointed high watermark (the file log's replication-offset-checkpoint), null before the first. */
  highWatermarkCheckpoint: number | null;
}

const noRecords = new Uint8Array(0);

export function emptyMemoryLogData(nowMs: number): MemoryLogData {
  return { segments: [newSegment(0, nowMs)], recoveryPoint: 0, leaderEpochCheckpoint: new MemoryLeaderEpochCheckpoint(), logStartOffset: 0, producerSnapshots: new Map(), highWatermarkCheckpoint: null };
}

function newSegment(baseOffset: number, nowMs: number): MemorySegment {
  return { baseOffset, batches: [], sizeBytes: 0, ageStartMs: nowMs, indexEntries: 0, bytesSinceLastIndexEntry: 0, nextOffset: baseOffset };
}

export interface MemoryLogOptions {
  clock: Clock;
  data: MemoryLogData;
  /** The previous shutdown was not clean: recount the active segment's index as recovery rebuilds it. */
  recovered?: boolean;
  /** Told when the log closes or is deleted, so that its store forgets it. */
  onClosed?: (log: MemoryLog, reason: 'closed' | 'deleted') => void;
}

export class MemoryLog implements PartitionLog {
  /** The log's contents on the store's disk. */
  readonly data: MemoryLogData;
  readonly leaderEpochCache: LeaderEpochCache;
  readonly producerSnapshots: MemoryProducerStateSnapshotStore;
  private lastFlushMs: number;
  private unflushed = 0;
  private closed = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private logConfig: LogConfig,
    private readonly options: MemoryLogOptions,
  ) {
    this.data = options.data;
    this.lastFlushMs = options.clock.now();
    // As on disk, the active segment's age counts from when the log was (re)opened.
    this.active.ageStartMs = options.clock.now();
    if (options.recovered === true) recountIndexEntries(this.active, logConfig);
    this.leaderEpochCache = new LeaderEpochCache(this.data.leaderEpochCheckpoint);
    this.producerSnapshots = new MemoryProducerStateSnapshotStore(this.data.producerSnapshots);
    // As the file log at open: a lost tail takes its epochs with it.
    this.leaderEpochCache.truncateFromEnd(this.logEndOffset);
  }

  get config(): LogConfig {
    return this.logConfig;
  }

  get logStartOffset(): number {
    return Math.min(Math.max(this.data.segments[0]!.baseOffset, this.data.logStartOffset), this.logEndOffset);
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.data.segments) total += segment.sizeBytes;
    return total;
  }

  get segmentCount(): number {
    return this.data.segments.length;
  }

  get lastFlushTimeMs(): number {
    return this.lastFlushMs;
  }

  get unflushedMessages(): number {
    return this.unflushed;
  }

  get recoveryPoint(): number {
    return this.data.recoveryPoint;
  }

  get segmentBaseOffsets(): number[] {
    return this.data.segments.map((segment) => segment.baseOffset);
  }

  /** Whether the log was closed or deleted (also when its store was abandoned by a simulated crash). */
  get isClosed(): boolean {
    return this.closed;
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

  /** As the file log: later segments go, the segment holding `offset` loses the batches from the one holding it. */
  truncateTo(offset: number): boolean {
    this.checkOpen();
    if (offset < this.logStartOffset) throw new TruncateBelowLogStartError(this.topic, this.partition, offset, this.logStartOffset);
    if (offset >= this.logEndOffset) {
      // Nothing to cut, but an epoch may start at the log end (a leader deposed before its first append): it goes.
      this.leaderEpochCache.truncateFromEnd(this.logEndOffset);
      return false;
    }
    this.leaderEpochCache.truncateFromEnd(offset);
    const segments = this.data.segments;
    segments.splice(segmentIndexFor(segments, offset) + 1);
    const segment = this.active;
    segment.batches = segment.batches.slice(0, firstBatchReaching(segment.batches, offset));
    segment.sizeBytes = segment.batches.reduce((sum, batch) => sum + batch.bytes.length, 0);
    const last = segment.batches.at(-1);
    segment.nextOffset = last === undefined ? segment.baseOffset : last.lastOffset + 1;
    recountIndexEntries(segment, this.logConfig);
    this.flush();
    return true;
  }

  advanceLogStartOffset(offset: number): boolean {
    this.checkOpen();
    if (offset <= this.logStartOffset) return false;
    if (offset > this.logEndOffset) throw new RangeError(`log start ${offset} of ${this.topic}-${this.partition} would pass its end ${this.logEndOffset}`);
    this.data.logStartOffset = offset;
    this.leaderEpochCache.truncateFromStart(offset);
    const segments = this.data.segments;
    while (segments.length > 1 && segments[1]!.baseOffset <= offset) segments.shift();
    return true;
  }

  truncateFullyAndStartAt(offset: number): void {
    this.checkOpen();
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`cannot start ${this.topic}-${this.partition} at ${offset}`);
    this.leaderEpochCache.clear();
    this.producerSnapshots.clear();
    this.data.segments = [newSegment(offset, this.options.clock.now())];
    this.data.logStartOffset = offset;
    this.data.recoveryPoint = offset;
    this.unflushed = 0;
  }

  /** Writes stamped or checked batches to the active segment, rolling first when needed, and honours flush.messages. */
  private writeBatches(batches: Uint8Array, lastOffset: number, appendTimeMs: number, recordCount: number): void {
    if (rollReason(this.active, batches.length, lastOffset, this.logConfig, appendTimeMs) !== null) this.roll();
    const segment = this.active;
    if (segment.sizeBytes === 0) segment.ageStartMs = appendTimeMs;
    // A private copy: the caller's buffer (a request frame) may be reused after the append, and a stored view would keep
    // the whole frame alive. `new Uint8Array`, not `slice()`: records decoded from a frame are a Node Buffer, whose slice
    // is a view into the frame, not a copy.
    const stored = new Uint8Array(batches);
    const maxEntries = maxIndexEntries(this.logConfig);
    for (let position = 0; position < stored.length; ) {
      const size = readBatchSize(stored, position);
      const batchLastOffset = segment.nextOffset + readLastOffsetDelta(stored, position);
      if (needsIndexEntry(segment.bytesSinceLastIndexEntry, this.logConfig) && segment.indexEntries < maxEntries) {
        segment.indexEntries++;
        segment.bytesSinceLastIndexEntry = 0;
      }
      segment.bytesSinceLastIndexEntry += size;
      segment.batches.push({ baseOffset: segment.nextOffset, lastOffset: batchLastOffset, bytes: stored.subarray(position, position + size) });
      segment.nextOffset = batchLastOffset + 1;
      position += size;
    }
    segment.sizeBytes += stored.length;
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
    // Most reads of a caught-up reader find nothing: they share one empty array (a zero-length view holds nothing to change).
    if (fetchOffset === logEndOffset || fetchOffset >= maxOffsetExclusive) return { records: noRecords, logStartOffset, logEndOffset };
    const segments = this.data.segments;
    for (let s = segmentIndexFor(segments, fetchOffset); s < segments.length; s++) {
      const batches = segments[s]!.batches;
      const first = firstBatchReaching(batches, fetchOffset);
      if (first === batches.length) continue;
      let end = first;
      let total = 0;
      while (end < batches.length) {
        const batch = batches[end]!;
        if (batch.lastOffset >= maxOffsetExclusive) break;
        if (end > first && total + batch.bytes.length > maxBytes) break;
        total += batch.bytes.length;
        end++;
      }
      const records = new Uint8Array(total);
      let position = 0;
      for (let i = first; i < end; i++) {
        records.set(batches[i]!.bytes, position);
        position += batches[i]!.bytes.length;
      }
      return { records, logStartOffset, logEndOffset };
    }
    return { records: noRecords, logStartOffset, logEndOffset };
  }

  flush(): void {
    this.checkOpen();
    this.data.recoveryPoint = this.logEndOffset;
    this.lastFlushMs = this.options.clock.now();
    this.unflushed = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.options.onClosed?.(this, 'closed');
  }

  delete(): void {
    this.closed = true;
    this.data.segments = [newSegment(0, this.options.clock.now())];
    this.data.recoveryPoint = 0;
    this.data.logStartOffset = 0;
    this.data.leaderEpochCheckpoint = new MemoryLeaderEpochCheckpoint();
    this.options.onClosed?.(this, 'deleted');
  }

  /** Stops serving without flushing: what a crash does to the process holding the log. */
  abandon(): void {
    this.closed = true;
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

  private get active(): MemorySegment {
    return this.data.segments[this.data.segments.length - 1]!;
  }

  /** Like the file log: a roll flushes the previous segment and moves the recovery point. */
  private roll(): void {
    const next = newSegment(this.logEndOffset, this.options.clock.now());
    this.data.segments.push(next);
    this.data.recoveryPoint = next.baseOffset;
  }

  get checkpointedHighWatermark(): number | null {
    return this.data.highWatermarkCheckpoint;
  }

  checkpointHighWatermark(offset: number): void {
    this.checkOpen();
    this.data.highWatermarkCheckpoint = offset;
  }

  private checkOpen(): void {
    if (this.closed) throw new LogClosedError(this.topic, this.partition);
  }
}

function segmentIndexFor(segments: readonly MemorySegment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (segments[middle]!.baseOffset <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Index of the first batch whose last offset is at least `offset` (batches.length when none). */
function firstBatchReaching(batches: readonly MemoryBatch[], offset: number): number {
  let low = 0;
  let high = batches.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (batches[middle]!.lastOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Drops every batch at or above the recovery point: what a power loss does to unflushed data. */
export function dropUnflushed(data: MemoryLogData): void {
  const keepBelow = data.recoveryPoint;
  while (data.segments.length > 1 && data.segments.at(-1)!.baseOffset >= keepBelow) data.segments.pop();
  const last = data.segments.at(-1)!;
  const kept = last.batches.filter((batch) => batch.lastOffset < keepBelow);
  if (kept.length === last.batches.length) return;
  last.batches = kept;
  last.sizeBytes = kept.reduce((sum, batch) => sum + batch.bytes.length, 0);
  last.nextOffset = kept.length === 0 ? last.baseOffset : kept[kept.length - 1]!.lastOffset + 1;
}

/** Recounts a segment's index entries from its batches, as the file log's recovery rebuilds an index. */
function recountIndexEntries(segment: MemorySegment, config: LogConfig): void {
  const maxEntries = maxIndexEntries(config);
  segment.indexEntries = 0;
  segment.bytesSinceLastIndexEntry = 0;
  for (const batch of segment.batches) {
    if (needsIndexEntry(segment.bytesSinceLastIndexEntry, config) && segment.indexEntries < maxEntries) {
      segment.indexEntries++;
      segment.bytesSinceLastIndexEntry = 0;
    }
    segment.bytesSinceLastIndexEntry += batch.bytes.length;
  }
}
