/**
 * A replica receiving BeginQuorumEpoch (a new leader announcing itself: replication is pull-based, so followers
 * must learn whom to fetch from) and EndQuorumEpoch (a leader resigning gracefully, naming its preferred successors)
 * (KafkaRaftClient.handleBeginQuorumEpochRequest, handleEndQuorumEpochRequest; KIP-595). Both check the cluster id,
 * fence older epochs, then follow the named leader; EndQuorumEpoch then shortens a follower's wait to its rank in the
 * successor list, so the most caught-up voter starts the next election first.
 */
import type { ErrorName } from '@kactor/protocol';
import { maybeTransition } from './common-response.js';
import type { ElectionState } from './election-state.js';
import { endEpochElectionBackoffMs } from './election-timers.js';
import { overrideFetchTimeout } from './follower-fetch-response.js';
import { leaderIdOrSentinel, type QuorumState, type RaftStepContext } from './quorum-state.js';
import type { ReplicaKey } from './replica-key.js';

export interface QuorumEpochAnswer {
  readonly errorCode: ErrorName;
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export interface QuorumEpochOutcome {
  readonly quorum: QuorumState;
  /** Written before the answer goes out (following the new leader is durable). */
  readonly persist?: ElectionState;
  readonly response: QuorumEpochAnswer;
}

interface LeaderAnnouncement {
  readonly clusterId?: string;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  /** The leader's endpoints from the request (KIP-853); else looked up in the voter set. */
  readonly leaderEndpoints?: readonly string[];
}

export interface BeginQuorumEpochRequest extends LeaderAnnouncement {
  /** VoterId / VoterDirectoryId: whom the request is for (v1+). */
  readonly voterKey?: ReplicaKey;
}

export interface EndQuorumEpochRequest extends LeaderAnnouncement {
  /** Other voters, most caught-up first (PreferredCandidates; PreferredSuccessors in v0). */
  readonly preferredSuccessors: readonly number[];
}

export interface QuorumEpochReceiver {
  readonly clusterId: string;
  /** `controller.quorum.election.backoff.max.ms` (Kafka's default 1000). */
  readonly electionBackoffMaxMs: number;
}

function answer(quorum: QuorumState, errorCode: ErrorName, persist?: ElectionState): QuorumEpochOutcome {
  return { quorum, ...(persist === undefined ? {} : { persist }), response: { errorCode, leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch } };
}

/** Cluster id, then validateVoterOnlyRequest (FENCED_LEADER_EPOCH, INVALID_REQUEST), then follow the leader. */
function followAnnouncedLeader(quorum: QuorumState, request: LeaderAnnouncement, receiver: QuorumEpochReceiver, context: RaftStepContext): QuorumEpochOutcome {
  if (request.clusterId !== undefined && request.clusterId !== receiver.clusterId) return answer(quorum, 'INCONSISTENT_CLUSTER_ID');
  if (request.leaderEpoch < quorum.state.epoch) return answer(quorum, 'FENCED_LEADER_EPOCH');
  if (request.leaderId < 0) return answer(quorum, 'INVALID_REQUEST');
  const moved = maybeTransition(
    quorum,
    { leaderId: request.leaderId, epoch: request.leaderEpoch, ...(request.leaderEndpoints === undefined ? {} : { leaderEndpoints: request.leaderEndpoints }) },
    context,
  );
  return answer(moved.quorum, 'NONE', moved.persist);
}

export function handleBeginQuorumEpochRequest(quorum: QuorumState, request: BeginQuorumEpochRequest, receiver: QuorumEpochReceiver, context: RaftStepContext): QuorumEpochOutcome {
  const followed = followAnnouncedLeader(quorum, request, receiver, context);
  if (followed.response.errorCode !== 'NONE') return followed;
  const voterKey = request.voterKey;
  const forThisReplica =
    voterKey === undefined ||
    (voterKey.id === quorum.config.localId &&
      (voterKey.directoryId === undefined || quorum.config.localDirectoryId === undefined || voterKey.directoryId === quorum.config.localDirectoryId));
  return forThisReplica ? followed : answer(followed.quorum, 'INVALID_VOTER_KEY', followed.persist);
}

export function handleEndQuorumEpochRequest(quorum: QuorumState, request: EndQuorumEpochRequest, receiver: QuorumEpochReceiver, context: RaftStepContext): QuorumEpochOutcome {
  const followed = followAnnouncedLeader(quorum, request, receiver, context);
  const state = followed.quorum.state;
  if (followed.response.errorCode !== 'NONE' || state.name !== 'Follower' || state.leaderId !== request.leaderId || quorum.config.localId === undefined) return followed;
  const backoffMs = endEpochElectionBackoffMs(request.preferredSuccessors, quorum.config.localId, receiver.electionBackoffMaxMs);
  return { ...followed, quorum: overrideFetchTimeout(followed.quorum, context.nowMs, backoffMs) };
}

/** A Resigned leader stops re-sending EndQuorumEpoch to a voter once it has answered. */
export function acknowledgeResignation(quorum: QuorumState, voterId: number): QuorumState {
  const state = quorum.state;
  if (state.name !== 'Resigned') return quorum;
  return { ...quorum, state: { ...state, unackedVoters: state.unackedVoters.filter((id) => id !== voterId) } };
}
