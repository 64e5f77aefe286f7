/**
 * The pure replication core (issue 11): what a partition leader and a follower decide, with no actors, I/O or
 * clock. Times are passed in as milliseconds. The partition actor and the replica manager wire these in later.
 *
 * ```ts
 * const follower = followerFetched(state, { fetchOffset: 12, logStartOffset: 0, fetchTimeMs: now, leaderLogEndOffset: 15 });
 * const highWatermark = nextHighWatermark({ ...partitionView, followers: [follower], nowMs: now });
 * ```
 */
export { ReplicationInvariantError, assertHighWatermarkMove, assertLeaderEpochMove, type ReplicationInvariant } from './invariants.js';
export { NEVER_CAUGHT_UP, UNKNOWN_OFFSET, followerFetched, followerStateForNewLeader, isFollowerCaughtUp, unknownFollowerState, type FollowerFetch, type FollowerReplicaState } from './replica-state.js';
export { effectiveMinInsyncReplicas, isUnderMinIsr, nextHighWatermark, type HighWatermarkInputs } from './high-watermark.js';
export {
  alterPartitionRequestFor,
  applyAlterPartitionAnswer,
  applyPartitionMetadata,
  canJoinIsr,
  leaderIsrState,
  maximalIsr,
  outOfSyncReplicas,
  proposeIsrExpand,
  proposeIsrShrink,
  type AlterPartitionAnswer,
  type AlterPartitionOutcome,
  type AlterPartitionRequest,
  type ExpandInputs,
  type IsrProposal,
  type LeaderIsrState,
  type OutOfSyncInputs,
  type PendingIsrChange,
} from './isr-changes.js';
export { checkBeforeAppend, produceCompletion, validateRequiredAcks, type PartitionViewForProduce, type ProduceCompletion, type RequiredAcks, type WaitingProduce } from './acks.js';
export { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, isUndefinedEpochEndOffset, type EpochEndOffset, type EpochEndOffsetLookup } from './epoch-lookup.js';
export {
  NO_LEADER_EPOCH,
  checkCurrentLeaderEpoch,
  checkFollowerAssigned,
  checkFollowerBrokerEpoch,
  checkLastFetchedEpoch,
  type LastFetchedEpochCheck,
  type LastFetchedEpochInputs,
} from './fetch-validation.js';
export { actionOnOffsetOutOfRange, truncationForDivergingEpoch, type OutOfRangeAction, type TruncationDecision } from './follower-truncation.js';
export { handleFollowerFetch, type FollowerFetchOutcome, type FollowerFetchRequest, type LeaderViewForFetch } from './follower-fetch.js';
export { becomeLeader, type LeaderReplicationState, type LeadershipImage } from './become-leader.js';
