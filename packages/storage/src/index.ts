/**
 * @kactor/storage: partition logs. `FileLogStore` keeps them in a data directory as Kafka does
 * (segments, sparse offset indexes, recovery after an unclean shutdown); `MemoryLogStore` keeps them
 * in memory for simulations. Both pass one compliance suite.
 *
 * ```ts
 * const store = new FileLogStore('/var/kactor/broker-0', { clock, logger, logFlushSchedulerIntervalMs });
 * const log = store.open('orders', 3, topicId, topicConfig); // recovers if the last shutdown was unclean
 * const check = validateRecordBatches(batches, { maxBatchBytes: topicConfig.maxMessageBytes });
 * if (check.ok) log.append(batches, { leaderEpoch, recordCount: check.recordCount });
 * const { records } = log.read(fetchOffset, maxBytes, highWatermark);
 * // A follower: keep the leader's offsets and epochs, cut a diverged tail, track epochs durably.
 * followerLog.appendAsFollower(fetchedBatches, { recordCount });
 * followerLog.truncateTo(divergingEndOffset);
 * const epochs = new LeaderEpochCache(new LeaderEpochCheckpointFile(systemFs, partitionDir));
 * // A KRaft replica's election state, written before it takes effect (KIP-595).
 * const quorumState = new FileQuorumStateStore(systemFs, metadataPartitionDir);
 * quorumState.write({ leaderId: -1, leaderEpoch: 2, votedId: 1, votedDirectoryId: ZERO_DIRECTORY_ID });
 * store.close(); // flushes every log and writes .kafka_cleanshutdown
 * ```
 */
export type { AppendOptions, AppendResult, FollowerAppendOptions, LogConfig, LogStore, PartitionLog, ReadResult } from './log.js';
export { OffsetOutOfRangeError } from './log.js';
export {
  InvalidAppendError,
  KafkaStorageError,
  LogClosedError,
  RecordBatchTooLargeError,
  TruncateBelowLogStartError,
  UnexpectedAppendOffsetError,
} from './errors.js';
export { FileLog } from './file-log.js';
export type { FileLogOptions } from './file-log.js';
export { FileLogStore } from './file-log-store.js';
export type { FileLogStoreOptions, StoredLogInfo } from './file-log-store.js';
export { MemoryLog } from './memory-log.js';
export type { MemoryLogData, MemoryLogOptions } from './memory-log.js';
export { MemoryDisk, MemoryLogStore } from './memory-log-store.js';
export type { MemoryLogStoreOptions } from './memory-log-store.js';
export { systemFs } from './storage-fs.js';
export type { StorageFs } from './storage-fs.js';
export type { StorageLogger } from './storage-logger.js';
export { MAX_TIMER_DELAY_MS } from './constants.js';
export {
  assertEpochEntriesMonotonic,
  InvalidEpochEntryError,
  LeaderEpochCache,
  LeaderEpochCacheInvariantError,
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
} from './leader-epoch-cache.js';
export type { EpochEndOffset, EpochEntry, LeaderEpochCheckpoint } from './leader-epoch-cache.js';
export { LeaderEpochCheckpointFile, MemoryLeaderEpochCheckpoint } from './leader-epoch-checkpoint.js';
export {
  assertValidQuorumState,
  formatQuorumState,
  InvalidQuorumStateError,
  parseQuorumState,
  QUORUM_STATE_DATA_VERSION,
  QUORUM_STATE_NO_ID,
  ZERO_DIRECTORY_ID,
} from './quorum-state.js';
export type { QuorumStateData } from './quorum-state.js';
export { FileQuorumStateStore, MemoryQuorumStateStore } from './quorum-state-store.js';
export type { QuorumStateStore } from './quorum-state-store.js';
export {
  compareSnapshotIds,
  MAX_SNAPSHOT_READ_BYTES,
  parseSnapshotFileName,
  sameSnapshotId,
  snapshotFileName,
  SnapshotNotFoundError,
} from './snapshot-store.js';
export type { SnapshotId, SnapshotStore, SnapshotWriter } from './snapshot-store.js';
export { FileSnapshotStore } from './file-snapshot-store.js';
export { MemorySnapshotStore } from './memory-snapshot-store.js';
export { FileProducerStateSnapshotStore } from './file-producer-snapshot-store.js';
export { decodeProducerSnapshot, encodeProducerSnapshot, MemoryProducerStateSnapshotStore, PRODUCER_SNAPSHOT_FILE_SUFFIX } from './producer-snapshot.js';
export type { AbortedTransaction, ProducerSnapshotBatch, ProducerSnapshotEntry, ProducerStateSnapshot, ProducerStateSnapshotStore } from './producer-snapshot.js';
export type { MemorySnapshots } from './memory-snapshot-store.js';
