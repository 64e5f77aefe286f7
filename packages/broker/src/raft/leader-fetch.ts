/**
 * The Raft leader answering a Fetch from a voter or an observer (KafkaRaftClient.handleFetchRequest and
 * tryCompleteFetchRequest, ReplicatedLog.validateOffsetAndEpoch; KIP-595's pull-based replication). Checks in
 * Kafka's order; errors carry the current leader and epoch, which is how observers find the leader. A fetch whose
 * last fetched epoch ends earlier in the leader's log gets `DivergingEpoch` at once, with no records; a consistent
 * one records `fetchOffset` as the replica's end offset, which may advance the high watermark.
 * A fetch below the leader's log start (the records a snapshot replaced, KIP-630) gets the latest `SnapshotId` instead,
 * and the replica then reads that snapshot with FetchSnapshot (fetch-snapshot.ts).
 */
import type { ErrorName } from '@kactor/protocol';
import { updateCheckQuorumForFollowingVoter } from './check-quorum.js';
import { updateReplicaState } from './leader-state.js';
import { endOffsetForEpoch, type OffsetAndEpoch, type RaftLogView } from './log-view.js';
import { leaderIdOrSentinel, type QuorumState } from './quorum-state.js';
import type { ReplicaKey } from './replica-key.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from './vote-request.js';

export interface RaftFetchRequest {
  readonly clusterId?: string;
  readonly topicName: string;
  readonly partitionIndex: number;
  /** ReplicaState.ReplicaId (+ ReplicaDirectoryId); a negative id is a plain reader, not a replica. */
  readonly replica: ReplicaKey;
  readonly maxWaitMs: number;
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  readonly lastFetchedEpoch: number;
  /**
   * The high watermark the fetcher knows, -1 if none yet (KIP-1166): a leader whose high watermark is above it
   * answers at once instead of holding the Fetch, so followers and observers learn of commits without waiting for
   * new records. Absent: the fetcher does not say (it is then answered on new records or MaxWaitMs only).
   */
  readonly highWatermark?: number;
}

/** KIP-1166: the leader's high watermark is news to a fetcher that reported a lower one. */
export function isFetcherBehindHighWatermark(request: RaftFetchRequest, leaderHighWatermark: number | undefined): boolean {
  return request.highWatermark !== undefined && leaderHighWatermark !== undefined && leaderHighWatermark > request.highWatermark;
}

/** The log as a leader answering Fetch sees it: its start, and the snapshots that hold what is below it (KIP-630). */
export type LeaderLogView = RaftLogView & {
  readonly logStartOffset: number;
  readonly earliestSnapshotId?: OffsetAndEpoch | undefined;
  readonly latestSnapshotId?: OffsetAndEpoch | undefined;
};

export interface LeaderFetchContext {
  readonly clusterId: string;
  readonly log: LeaderLogView;
  /** The leader is shutting down: fetchers back off (BROKER_NOT_AVAILABLE). */
  readonly shuttingDown?: boolean;
  readonly nowMs: number;
}

export type LeaderFetchOutcome =
  | { readonly kind: 'error'; readonly errorCode: ErrorName; readonly leaderId: number; readonly leaderEpoch: number }
  /** Truncate to this (epoch, end offset) and fetch again; nothing was recorded for the replica's offset. */
  | { readonly kind: 'diverging'; readonly quorum: QuorumState; readonly divergingEpoch: OffsetAndEpoch; readonly highWatermark?: number }
  /** The log the replica asks for is gone: it reads this snapshot (FetchSnapshot); nothing was recorded for it. */
  | { readonly kind: 'snapshot'; readonly quorum: QuorumState; readonly snapshotId: OffsetAndEpoch; readonly highWatermark?: number }
  /** Read from `fetchOffset`; the replica's end offset is recorded. */
  | { readonly kind: 'valid'; readonly quorum: QuorumState; readonly highWatermarkUpdated: boolean; readonly highWatermark?: number };

function error(quorum: QuorumState, errorCode: ErrorName): LeaderFetchOutcome {
  return { kind: 'error', errorCode, leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch };
}

/** Leader-only requests (KafkaRaftClient.validateLeaderOnlyRequest). */
export function validateLeaderOnlyRequest(quorum: QuorumState, requestEpoch: number, shuttingDown = false): ErrorName {
  if (requestEpoch < quorum.state.epoch) return 'FENCED_LEADER_EPOCH';
  if (requestEpoch > quorum.state.epoch) return 'UNKNOWN_LEADER_EPOCH';
  if (quorum.state.name !== 'Leader') return 'NOT_LEADER_OR_FOLLOWER';
  if (shuttingDown) return 'BROKER_NOT_AVAILABLE';
  return 'NONE';
}

/**
 * Valid, the snapshot to read instead, or where the leader's log ends for the fetcher's last epoch
 * (ReplicatedLog.validateOffsetAndEpoch). A fetch below the log start reads the latest snapshot; one at the log start
 * is valid when it comes from the snapshot there (same end offset and epoch: the same committed prefix), and reads the
 * latest snapshot otherwise, as Kafka's KafkaMetadataLog decides.
 */
export function validateOffsetAndEpoch(log: LeaderLogView, fetchOffset: number, lastFetchedEpoch: number): OffsetAndEpoch | 'valid' | { readonly snapshot: OffsetAndEpoch } {
  if (log.logStartOffset === 0 && fetchOffset === 0) return 'valid';
  const earliest = log.earliestSnapshotId;
  const latest = log.latestSnapshotId;
  if (earliest !== undefined && latest !== undefined) {
    if (fetchOffset < log.logStartOffset) return { snapshot: latest };
    if (fetchOffset === log.logStartOffset && earliest.offset === log.logStartOffset) return lastFetchedEpoch === earliest.epoch ? 'valid' : { snapshot: latest };
  }
  const end = endOffsetForEpoch(log, lastFetchedEpoch);
  if (end.epoch !== lastFetchedEpoch || end.offset < fetchOffset) return end;
  return 'valid';
}

export function handleLeaderFetch(quorum: QuorumState, request: RaftFetchRequest, context: LeaderFetchContext): LeaderFetchOutcome {
  if (request.clusterId !== undefined && request.clusterId !== context.clusterId) return error(quorum, 'INCONSISTENT_CLUSTER_ID');
  if (request.topicName !== CLUSTER_METADATA_TOPIC || request.partitionIndex !== CLUSTER_METADATA_PARTITION) return error(quorum, 'INVALID_REQUEST');
  if (request.maxWaitMs < 0 || request.fetchOffset < 0 || request.lastFetchedEpoch < 0 || request.lastFetchedEpoch > request.currentLeaderEpoch) {
    return error(quorum, 'INVALID_REQUEST');
  }
  const leaderOnly = validateLeaderOnlyRequest(quorum, request.currentLeaderEpoch, context.shuttingDown);
  if (leaderOnly !== 'NONE' || quorum.state.name !== 'Leader') return error(quorum, leaderOnly === 'NONE' ? 'NOT_LEADER_OR_FOLLOWER' : leaderOnly);

  // Any fetch from a voter in this epoch shows the leader still has its quorum, diverging or not.
  let leader = updateCheckQuorumForFollowingVoter(quorum.state.leader, request.replica, context.nowMs);
  const validation = validateOffsetAndEpoch(context.log, request.fetchOffset, request.lastFetchedEpoch);
  if (validation !== 'valid' && 'snapshot' in validation) {
    const withLeader: QuorumState = { ...quorum, state: { ...quorum.state, leader } };
    return { kind: 'snapshot', quorum: withLeader, snapshotId: validation.snapshot, ...(leader.highWatermark === undefined ? {} : { highWatermark: leader.highWatermark }) };
  }
  if (validation !== 'valid') {
    const withLeader: QuorumState = { ...quorum, state: { ...quorum.state, leader } };
    return { kind: 'diverging', quorum: withLeader, divergingEpoch: validation, ...(leader.highWatermark === undefined ? {} : { highWatermark: leader.highWatermark }) };
  }
  const update = updateReplicaState(leader, request.replica, context.nowMs, request.fetchOffset);
  leader = update.state;
  return {
    kind: 'valid',
    quorum: { ...quorum, state: { ...quorum.state, leader } },
    highWatermarkUpdated: update.highWatermarkUpdated,
    ...(leader.highWatermark === undefined ? {} : { highWatermark: leader.highWatermark }),
  };
}
