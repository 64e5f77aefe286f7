/**
 * A partition's log: append-only record batches (Kafka RecordBatch v2 bytes), addressed by offset.
 * Two implementations pass one shared test suite: `FileLog` (segment files under the data directory)
 * and `MemoryLog` (for the simulator). The interface is synchronous on purpose: appends go to the page
 * cache as in Kafka, and a synchronous log keeps the partition actor's transitions atomic and the
 * simulator deterministic. Offsets are JavaScript numbers (exact up to 2^53).
 */
import type { LeaderEpochCache } from './leader-epoch-cache.js';
import type { ProducerStateSnapshotStore } from './producer-snapshot.js';
import type { SnapshotStore } from './snapshot-store.js';

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** First offset still in the log. */
  readonly logStartOffset: number;
  /** Offset the next appended record gets (LEO). */
  readonly logEndOffset: number;
  /** Bytes in all segments. */
  readonly sizeBytes: number;
  readonly segmentCount: number;

  /**
   * Appends one or more validated record batches (concatenated bytes, baseOffset fields ignored): the log
   * rewrites each batch's baseOffset (and partitionLeaderEpoch) in place and writes the bytes, rolling a
   * segment first when the active one would exceed `segment.bytes` (or is older than `segment.ms`).
   * Honours `flush.messages` (fsync once that many messages are unflushed).
   */
  append(batches: Uint8Array, options: AppendOptions): AppendResult;

  /**
   * Appends a follower's copy of the leader's batches with the leader's offsets and leader epochs as they
   * are (nothing is stamped). The first batch must start at the log end offset and each batch right after
   * the one before: a gap or an overlap throws `UnexpectedAppendOffsetError` (Kafka's
   * `UnexpectedAppendOffsetException`) and appends nothing. Each batch's epoch is assigned in the
   * leader-epoch cache at the batch's base offset first, as Kafka does. Rolls and flushes as `append` does.
   */
  appendAsFollower(batches: Uint8Array, options: FollowerAppendOptions): AppendResult;

  /**
   * Removes every batch at and after `offset` (Kafka's `truncateTo`, for a follower whose tail diverged
   * from the leader's): later segments are deleted, the segment holding `offset` is cut at the boundary
   * of the batch holding it, and its index with it. A batch that holds `offset` in its middle goes whole,
   * so the log end becomes that batch's base offset. The truncation is on disk when it returns (a restart
   * sees the truncated log), and so are the leader-epoch cache's entries from `offset` on, which go too.
   * At or past the log end it removes no batch but still drops a leader-epoch entry starting at the log end
   * (an epoch begun by a leader deposed before its first append; Kafka does the same); below the log start
   * offset it throws `TruncateBelowLogStartError`. Returns whether any batch was removed.
   */
  truncateTo(offset: number): boolean;

  /**
   * Reads whole batches starting with the batch that contains `fetchOffset`, up to `maxBytes`, never
   * returning a batch whose last offset is at or above `maxOffsetExclusive` (the high watermark for
   * consumers). Like Kafka (KIP-74), the first batch is returned whole even when it alone exceeds
   * `maxBytes`, so a consumer always makes progress. Throws `OffsetOutOfRangeError` when
   * `fetchOffset` is below the log start or above the log end.
   */
  read(fetchOffset: number, maxBytes: number, maxOffsetExclusive: number): ReadResult;

  /**
   * Moves the log start offset up to `offset` (Kafka's `maybeIncrementLogStartOffset`, then `deleteOldSegments`): reads
   * below it are out of range, every segment wholly below it is deleted, and the leader-epoch cache keeps only what
   * covers it. Durable when it returns. The KRaft metadata log calls it once a snapshot holds everything below
   * `offset` (KIP-630). At or below the current start it changes nothing; past the log end it throws RangeError.
   * Returns whether the start moved.
   */
  advanceLogStartOffset(offset: number): boolean;

  /**
   * Deletes every batch and starts the log empty at `offset` (Kafka's `truncateFullyAndStartAt`): log start and end
   * are `offset`, the leader-epoch cache is cleared. A KRaft replica does this when it installs a snapshot fetched
   * from its leader. Durable when it returns.
   */
  truncateFullyAndStartAt(offset: number): void;

  /**
   * Which leader epoch began at which offset, kept durably beside the log (`leader-epoch-checkpoint`).
   * Follower appends add the epochs of the batches they bring, `truncateTo` drops the epochs it cuts, and
   * opening a log drops entries past its end (a crash can lose a tail the cache had seen). A leader adds
   * its epoch at its log end when it takes over; leader appends do not touch the cache.
   */
  readonly leaderEpochCache: LeaderEpochCache;

  /**
   * The producer-state snapshots kept beside the log (KIP-98, Kafka's `<offset>.snapshot` files). The partition
   * writes and reads them; the log only keeps them with its data: `truncateFullyAndStartAt` deletes them all, and
   * `delete` removes them with the folder.
   */
  readonly producerSnapshots: ProducerStateSnapshotStore;

  /**
   * The high watermark as last checkpointed beside the log (Kafka's `replication-offset-checkpoint`), or null when none
   * was. A replica opens with it rather than with its log end: the tail past it may never have been committed, and a
   * restarted leader that took its log end for its high watermark would answer writes (and show records) that its
   * followers never got.
   */
  readonly checkpointedHighWatermark: number | null;

  /** Writes `offset` as the checkpointed high watermark, durably (atomic replace). Throws KafkaStorageError on a full disk. */
  checkpointHighWatermark(offset: number): void;

  /** Writes everything to disk (fsync). */
  flush(): void;
  /** The settings in force (a topic's configs over the broker defaults). */
  readonly config: LogConfig;
  /** Applies changed topic settings (AlterConfigs); they take effect from the next append. */
  updateConfig(config: LogConfig): void;
  /** Milliseconds (on the injected clock) of the last flush, for `flush.ms`. */
  readonly lastFlushTimeMs: number;
  /** Messages appended since the last flush. */
  readonly unflushedMessages: number;

  /** Flushes and releases file handles. */
  close(): void;
  /** Closes and removes the partition's folder. */
  delete(): void;

  /** A short summary for logs and inspection, never file handles. */
  toJSON(): { topic: string; partition: number; logStartOffset: number; logEndOffset: number; sizeBytes: number };
}

export interface AppendOptions {
  /** The leader epoch stamped into each batch's partitionLeaderEpoch. */
  leaderEpoch: number;
  /** Number of records in `batches` (already known from validation), for flush.messages. */
  recordCount: number;
}

export interface FollowerAppendOptions {
  /** Number of records in `batches`, for flush.messages. */
  recordCount: number;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The clock's time at append (Kafka's log append time). */
  appendTimeMs: number;
}

export interface ReadResult {
  /** Concatenated whole batches (possibly empty). */
  records: Uint8Array;
  /** Log start and end at the time of the read. */
  logStartOffset: number;
  logEndOffset: number;
}

/** Per-topic log settings, from the topic's configs over the broker defaults (Kafka names in comments). */
export interface LogConfig {
  /** segment.bytes (broker: log.segment.bytes), default 1 GiB. */
  segmentBytes: number;
  /** segment.ms (broker: log.roll.ms), default 7 days. */
  segmentMs: number;
  /** index.interval.bytes, default 4096. */
  indexIntervalBytes: number;
  /** segment.index.bytes (broker: log.index.size.max.bytes), default 10 MiB: a full index rolls the segment. */
  segmentIndexBytes: number;
  /** flush.messages (broker: log.flush.interval.messages), default Long.MAX_VALUE: never forced. */
  flushMessages: number;
  /** flush.ms (broker: log.flush.interval.ms), default Long.MAX_VALUE: never forced. */
  flushMs: number;
  /** max.message.bytes (broker: message.max.bytes), default 1048588: the largest batch accepted. */
  maxMessageBytes: number;
}

/**
 * Opens and owns every partition log of one data directory (Kafka's LogManager): loads existing logs
 * at start (recovering them when the last shutdown was not clean), creates and deletes logs, writes the
 * clean-shutdown marker on close, and runs the `flush.ms` check every `log.flush.scheduler.interval.ms`
 * on the injected clock.
 */
export interface LogStore {
  /** Whether the previous shutdown was clean (the marker was present at open). */
  readonly wasCleanShutdown: boolean;
  /** Partitions found on disk at open: `{ topic, partition, topicId }`. */
  listLogs(): ReadonlyArray<{ topic: string; partition: number; topicId: string | null }>;
  /**
   * Opens (recovering if needed) or creates the log of a partition; `topicId` is written to
   * partition.metadata. A folder holding another topic id (a deleted-and-recreated topic) is replaced by
   * an empty log. Opening a log that is already open returns it with `config` applied.
   */
  open(topic: string, partition: number, topicId: string, config: LogConfig): PartitionLog;
  /**
   * The KRaft snapshots kept beside a partition's log (KIP-630: only `__cluster_metadata`-0 has any), in the
   * partition's folder; they survive a restart as the log does.
   */
  snapshots(topic: string, partition: number): SnapshotStore;
  /** Closes every log and writes the clean-shutdown marker. */
  close(): void;
}

export class OffsetOutOfRangeError extends Error {
  override readonly name = 'OffsetOutOfRangeError';
  constructor(
    readonly fetchOffset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
  ) {
    super(`offset ${fetchOffset} is out of range [${logStartOffset}, ${logEndOffset}]`);
  }
}
