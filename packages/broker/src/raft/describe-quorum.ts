/**
 * The leader's view of the quorum as DescribeQuorum answers it (LeaderState.describeQuorum, KIP-595/KIP-836) and
 * `kafka-metadata-quorum describe --status/--replication` prints it: leader, epoch, high watermark, and for each voter
 * and observer its log end offset, lag behind the leader, last fetch and last caught-up times (-1 when unknown).
 * Observers not heard from for OBSERVER_SESSION_TIMEOUT_MS are left out.
 */
import { replicaStateOf, type LeaderState, type ReplicaFetchState } from './leader-state.js';

/** Kafka's LeaderState.OBSERVER_SESSION_TIMEOUT_MS: 5 minutes. */
export const OBSERVER_SESSION_TIMEOUT_MS = 300_000;

export interface QuorumReplicaDescription {
  readonly replicaId: number;
  readonly replicaDirectoryId?: string;
  readonly logEndOffset: number;
  readonly lag: number;
  readonly lastFetchTimestamp: number;
  readonly lastCaughtUpTimestamp: number;
}

export interface QuorumDescription {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly voters: readonly QuorumReplicaDescription[];
  readonly observers: readonly QuorumReplicaDescription[];
}

function describeReplica(state: LeaderState, replica: ReplicaFetchState, leaderEndOffset: number, nowMs: number): QuorumReplicaDescription {
  const isLeader = replica.key.id === state.localId;
  const logEndOffset = replica.endOffset ?? -1;
  return {
    replicaId: replica.key.id,
    ...(replica.key.directoryId === undefined ? {} : { replicaDirectoryId: replica.key.directoryId }),
    logEndOffset,
    lag: logEndOffset < 0 ? leaderEndOffset : Math.max(0, leaderEndOffset - logEndOffset),
    // The leader has, by definition, everything it has right now.
    lastFetchTimestamp: isLeader ? nowMs : (replica.lastFetchTimeMs ?? -1),
    lastCaughtUpTimestamp: isLeader ? nowMs : (replica.lastCaughtUpTimeMs ?? -1),
  };
}

export function describeQuorum(state: LeaderState, nowMs: number): QuorumDescription {
  const leaderEndOffset = replicaStateOf(state, state.localId)?.endOffset ?? 0;
  const byId = (a: QuorumReplicaDescription, b: QuorumReplicaDescription): number => a.replicaId - b.replicaId;
  const activeObservers = state.observerStates.filter(
    (replica) => replica.key.id === state.localId || (replica.lastFetchTimeMs !== undefined && nowMs - replica.lastFetchTimeMs < OBSERVER_SESSION_TIMEOUT_MS),
  );
  return {
    leaderId: state.localId,
    leaderEpoch: state.epoch,
    highWatermark: state.highWatermark ?? -1,
    voters: state.voterStates.map((replica) => describeReplica(state, replica, leaderEndOffset, nowMs)).sort(byId),
    observers: activeObservers.map((replica) => describeReplica(state, replica, leaderEndOffset, nowMs)).sort(byId),
  };
}
