/**
 * The Raft replica's log port over storage's PartitionLog (MemoryLog or FileLog) and its leader-epoch cache: the
 * metadata log reuses partition replication's follower append, `truncateTo` and epoch cache rather than forking
 * them (issue 12's design). Records travel as the log's own batch bytes.
 */
import { encodeLeaderChangeBatch, readBatchHeader, readBatchSize } from '@kactor/protocol';
import type { PartitionLog, SnapshotStore, SnapshotWriter } from '@kactor/storage';
import type { RaftLogPort } from './raft-replica-ports.js';

export interface PartitionLogRaftPortOptions {
  /** The clock for the LeaderChangeMessage's timestamp. */
  now(): number;
  /** How many bytes one Fetch answer reads at most. */
  maxFetchBytes: number;
  /** The most bytes of a snapshot one FetchSnapshot answer carries; `maxFetchBytes` by default (as Kafka bounds both alike). */
  maxSnapshotChunkBytes?: number | undefined;
  /** The snapshots beside the log (KIP-630): an empty log starting at the latest one has that snapshot's epoch. */
  snapshots?: SnapshotStore | undefined;
}

/** Records in concatenated batches (each batch holds lastOffsetDelta + 1). */
function countRecords(batches: Uint8Array): number {
  let count = 0;
  let position = 0;
  while (position < batches.length) {
    const header = readBatchHeader(batches, position);
    if (header === null) break;
    count += header.lastOffsetDelta + 1;
    position += readBatchSize(batches, position);
  }
  return count;
}

/**
 * A log emptied at a snapshot's end (a replica that installed it) has no epoch of its own yet: its last fetched epoch
 * is the snapshot's, as Kafka's KafkaMetadataLog.lastFetchedEpoch falls back to the latest snapshot.
 */
function snapshotEpochAtEnd(log: PartitionLog, snapshots: SnapshotStore | undefined): number | undefined {
  const latest = snapshots?.latest();
  return latest !== undefined && latest.endOffset === log.logEndOffset ? latest.epoch : undefined;
}

/** The snapshot side of the port (KIP-630): ids as (end offset, epoch), and a snapshot fetched from the leader installed. */
function snapshotPort(log: PartitionLog, snapshots: SnapshotStore, maxChunkBytes: number): Partial<RaftLogPort> {
  const idOf = (id: { endOffset: number; epoch: number } | undefined) => (id === undefined ? undefined : { offset: id.endOffset, epoch: id.epoch });
  let writer: SnapshotWriter | undefined;
  return {
    earliestSnapshotId: () => idOf(snapshots.list()[0]),
    latestSnapshotId: () => idOf(snapshots.latest()),
    snapshotReader: () => ({
      sizeOf: (id) => (snapshots.list().some((stored) => stored.endOffset === id.offset && stored.epoch === id.epoch) ? snapshots.sizeBytes({ endOffset: id.offset, epoch: id.epoch }) : undefined),
      read: (id, position, maxBytes) => snapshots.read({ endOffset: id.offset, epoch: id.epoch }, position, Math.min(maxBytes, maxChunkBytes)),
    }),
    beginFetchedSnapshot: (snapshotId) => {
      writer?.abort();
      writer = snapshots.createWriter({ endOffset: snapshotId.offset, epoch: snapshotId.epoch });
    },
    appendFetchedSnapshot: (bytes) => {
      if (writer === undefined) throw new Error('a snapshot chunk arrived with no snapshot being fetched');
      writer.append(bytes);
    },
    installFetchedSnapshot: () => {
      if (writer === undefined) throw new Error('no snapshot being fetched to install');
      const { id } = writer;
      writer.freeze();
      writer = undefined;
      // Kafka's truncateToLatestSnapshot: the whole log goes, and it continues at the snapshot's end.
      log.truncateFullyAndStartAt(id.endOffset);
      snapshots.deleteBefore(id);
    },
  };
}

export function partitionLogRaftPort(log: PartitionLog, options: PartitionLogRaftPortOptions): RaftLogPort {
  return {
    ...(options.snapshots === undefined ? {} : snapshotPort(log, options.snapshots, options.maxSnapshotChunkBytes ?? options.maxFetchBytes)),
    endOffset: () => ({ offset: log.logEndOffset, epoch: log.leaderEpochCache.latestEpoch ?? snapshotEpochAtEnd(log, options.snapshots) ?? 0 }),
    logStartOffset: () => log.logStartOffset,
    endOffsetFor: (requestedEpoch, logEndOffset) => log.leaderEpochCache.endOffsetFor(requestedEpoch, logEndOffset),
    appendLeaderChangeAsLeader: (message, epoch) => {
      const baseOffset = log.logEndOffset;
      // A leader records its epoch at its log end when it takes over; leader appends leave the cache alone.
      log.leaderEpochCache.assign(epoch, baseOffset);
      log.append(encodeLeaderChangeBatch({ leaderEpoch: epoch, baseOffset, timestampMs: options.now(), ...message }), { leaderEpoch: epoch, recordCount: 1 });
      log.flush();
    },
    appendAsLeader: (records, epoch) => {
      const batches = records as Uint8Array;
      const appended = log.append(batches, { leaderEpoch: epoch, recordCount: countRecords(batches) });
      // The leader counts its own log end towards the high watermark (as a voter's fetch offset counts): only what
      // survives a crash may count, so flush first (Kafka's KafkaRaftClient.flushLeaderLog before updateLocalState).
      log.flush();
      return { baseOffset: appended.baseOffset, lastOffset: appended.lastOffset };
    },
    read: (fetchOffset) => {
      if (fetchOffset >= log.logEndOffset) return undefined;
      const read = log.read(fetchOffset, options.maxFetchBytes, log.logEndOffset);
      return read.records.length === 0 ? undefined : read.records;
    },
    appendAsFollower: (records) => {
      const batches = records as Uint8Array;
      log.appendAsFollower(batches, { recordCount: countRecords(batches) });
      // The leader counts a voter's next fetch offset as durable: flush before that Fetch goes out.
      log.flush();
    },
    truncateTo: (offset) => {
      log.truncateTo(offset);
    },
  };
}
