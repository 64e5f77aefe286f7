/**
 * The pure KRaft core (issue 12): a Raft replica's election states and their guarded transitions, vote and fetch
 * handling, and the leader's high watermark and check-quorum, as functions over values with no actors, I/O or clock
 * (Kafka's QuorumState, EpochState classes, LeaderState, EpochElection; KIP-595 and KIP-996). Times are passed in
 * as milliseconds and randomness as `random(bound)`. The statechart (raft-replica.machine.ts) wraps them; its events,
 * emitted messages and ports are exported here for the host (packages/broker/src/quorum/).
 *
 * ```ts
 * const { quorum, persist } = initializeQuorumState(config, storedElection, { offset: 0, epoch: 0 }, { nowMs, random });
 * if (persist) await store.write(persist); // always before adopting `quorum`
 * ```
 */
export { RaftInvariantError, IllegalRaftTransitionError, assertEpochMove, assertHighWatermarkMove, type RaftInvariant } from './raft-errors.js';
export { isVoterId, majoritySize, replicaKey, sameReplica, voterEndpoints, voterIds, type ReplicaKey, type VoterNode, type VoterSet } from './replica-key.js';
export {
  EMPTY_ELECTION_STATE,
  electionState,
  fromQuorumStateData,
  isElectedLeader,
  isVotedCandidate,
  toQuorumStateData,
  type ElectionState,
  type QuorumStateDataV1,
} from './election-state.js';
export {
  RETRY_BACKOFF_BASE_MS,
  beginQuorumEpochTimeoutMs,
  binaryExponentialElectionBackoffMs,
  checkQuorumTimeoutMs,
  endEpochElectionBackoffMs,
  randomElectionTimeoutMs,
  type RandomInt,
} from './election-timers.js';
export {
  grantingVoters,
  isVoteGranted,
  isVoteRejected,
  newEpochElection,
  recordGrantedVote,
  voteOf,
  recordRejectedVote,
  rejectingVoters,
  unrecordedVoters,
  type EpochElection,
  type VoteState,
  type VoterVote,
} from './epoch-election.js';
export {
  electionOf,
  highWatermarkOf,
  leaderEndpointsOf,
  leaderIdOf,
  votedKeyOf,
  type CandidateState,
  type EpochState,
  type EpochStateName,
  type FollowerState,
  type LeaderEpochState,
  type ProspectiveState,
  type ResignedState,
  type UnattachedState,
} from './epoch-state.js';
export {
  electionOfQuorum,
  epochOf,
  highWatermarkOfQuorum,
  isObserver,
  isOnlyVoter,
  isProspectiveNotVoted,
  isUnattachedNotVoted,
  isVoter,
  leaderEndpointsOfQuorum,
  leaderIdOfQuorum,
  leaderIdOrSentinel,
  localKeyOf,
  type QuorumConfig,
  type QuorumState,
  type QuorumTransition,
  type RaftStepContext,
} from './quorum-state.js';
export {
  newElectionDeadlineMs,
  prospectiveAddVotedState,
  transitionToCandidate,
  transitionToFollower,
  transitionToLeader,
  transitionToProspective,
  transitionToResigned,
  transitionToUnattached,
  unattachedAddVotedState,
} from './quorum-transitions.js';
export { initializeQuorumState, type LogEndOffsetAndEpoch } from './quorum-initialize.js';
export {
  newLeaderState,
  nonAcknowledgingVoters,
  nonLeaderVotersByDescendingFetchOffset,
  replicaStateOf,
  updateLocalState,
  updateReplicaState,
  type LeaderState,
  type LeaderUpdate,
  type NewLeaderInputs,
  type ReplicaFetchState,
} from './leader-state.js';
export { resetBeginQuorumEpochTimer, timeUntilBeginQuorumEpochTimerExpires, timeUntilCheckQuorumExpires, updateCheckQuorumForFollowingVoter } from './check-quorum.js';
export {
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  endOffsetForEpoch,
  isLogUpToDate,
  type EpochEndOffset,
  type EpochEndOffsetLookup,
  type OffsetAndEpoch,
  type RaftLogView,
} from './log-view.js';
export { canGrantVote } from './can-grant-vote.js';
export {
  CLUSTER_METADATA_PARTITION,
  CLUSTER_METADATA_TOPIC,
  handleVoteRequest,
  type VoteAnswer,
  type VoteReceiver,
  type VoteRequest,
  type VoteRequestOutcome,
} from './vote-request.js';
export { maybeHandleCommonResponse, maybeTransition, type CommonResponseOutcome, type QuorumNews } from './common-response.js';
export {
  handleVoteResponse,
  maybeTransitionForward,
  prospectiveTransitionAfterElectionLoss,
  type VoteResponse,
  type VoteResponseEffect,
  type VoteResponseInputs,
  type VoteResponseOutcome,
} from './vote-response.js';
export { recordPreVote } from './epoch-election.js';
export {
  handleLeaderFetch,
  validateLeaderOnlyRequest,
  validateOffsetAndEpoch,
  type LeaderFetchContext,
  type LeaderFetchOutcome,
  type RaftFetchRequest,
} from './leader-fetch.js';
export {
  completeFollowerFetch,
  decideFollowerFetch,
  overrideFetchTimeout,
  truncationOffsetFor,
  type CompletedFetch,
  type FollowerFetchDecision,
  type RaftFetchResponse,
} from './follower-fetch-response.js';
export {
  acknowledgeResignation,
  handleBeginQuorumEpochRequest,
  handleEndQuorumEpochRequest,
  type BeginQuorumEpochRequest,
  type EndQuorumEpochRequest,
  type QuorumEpochAnswer,
  type QuorumEpochOutcome,
  type QuorumEpochReceiver,
} from './quorum-epoch-requests.js';
export { nextTimerDeadlineMs, onTimersDue } from './timer-expiry.js';
export { OBSERVER_SESSION_TIMEOUT_MS, describeQuorum, type QuorumDescription, type QuorumReplicaDescription } from './describe-quorum.js';
export { LEADER_CHANGE_CONTROL_TYPE, leaderChangeMessage, type LeaderChangeMessage } from './leader-change-message.js';
export { raftReplicaMachine } from './raft-replica.machine.js';
export { MAX_TIMER_MS } from './raft-replica-timers.js';
export { MAX_FETCH_WAIT_MS } from './raft-replica-messages.js';
export type {
  RaftFetchAnswer,
  RaftLeaderChanged,
  RaftLogPort,
  RaftRecords,
  RaftReplicaEmitted,
  RaftReplicaEvent,
  RaftReplicaInput,
  RaftReplicaPorts,
  RaftReplicaProgress,
} from './raft-replica-ports.js';
export { partitionLogRaftPort, type PartitionLogRaftPortOptions } from './partition-log-raft-port.js';
export {
  decideSnapshotChunk,
  handleFetchSnapshotRequest,
  type FetchingSnapshot,
  type FollowerChunkDecision,
  type LeaderFetchSnapshotContext,
  type LeaderFetchSnapshotOutcome,
  type RaftFetchSnapshotRequest,
  type RaftFetchSnapshotResponse,
  type SnapshotReader,
} from './fetch-snapshot.js';
