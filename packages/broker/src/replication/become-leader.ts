/**
 * What a broker sets up when metadata makes it the leader of a partition (Partition.makeLeader): its ISR state at
 * the new epochs and a fresh state for every follower (Replica.resetReplicaState). Follower positions from an
 * earlier epoch are forgotten, so the HW only moves once each ISR member has fetched in this epoch.
 */
import { assertLeaderEpochMove } from './invariants.js';
import { leaderIsrState, type LeaderIsrState } from './isr-changes.js';
import { followerStateForNewLeader, type FollowerReplicaState } from './replica-state.js';

export interface LeadershipImage {
  readonly leaderId: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

export interface LeaderReplicationState {
  readonly isrState: LeaderIsrState;
  readonly followers: readonly FollowerReplicaState[];
  /** Where this leader epoch starts in the log: a follower must reach it to join the ISR. */
  readonly leaderEpochStartOffset: number;
}

/**
 * `previousLeaderEpoch` is the epoch this broker knew before (-1 if none): becoming leader at an older epoch would
 * mean metadata went back, which is a bug (ReplicationInvariantError).
 */
export function becomeLeader(image: LeadershipImage, logEndOffset: number, nowMs: number, previousLeaderEpoch = -1): LeaderReplicationState {
  assertLeaderEpochMove(previousLeaderEpoch, image.leaderEpoch);
  return {
    isrState: leaderIsrState(image.leaderId, image.isr, image.leaderEpoch, image.partitionEpoch),
    followers: image.replicas.filter((id) => id !== image.leaderId).map((id) => followerStateForNewLeader(id, image.isr.includes(id), nowMs)),
    leaderEpochStartOffset: logEndOffset,
  };
}
