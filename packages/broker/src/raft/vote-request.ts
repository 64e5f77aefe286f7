/**
 * A replica answering Vote / PreVote (KafkaRaftClient.handleVoteRequest, Vote v2 with PreVote from KIP-996).
 * Checks in Kafka's order: cluster id, partition and epochs, fenced epoch, then a higher epoch moves this replica
 * to Unattached in it FIRST (PreVote too), then the voter key, then the grant. A granted standard vote is persisted
 * (Unattached or Prospective adds the voted key) before the response may be sent: `persist` comes first.
 */
import type { ErrorName } from '@kactor/protocol';
import { canGrantVote } from './can-grant-vote.js';
import type { ElectionState } from './election-state.js';
import { isLogUpToDate, type OffsetAndEpoch } from './log-view.js';
import { isProspectiveNotVoted, isUnattachedNotVoted, leaderIdOrSentinel, type QuorumState, type RaftStepContext } from './quorum-state.js';
import { prospectiveAddVotedState, transitionToUnattached, unattachedAddVotedState } from './quorum-transitions.js';
import type { ReplicaKey } from './replica-key.js';

/** The KRaft metadata partition every quorum RPC names. */
export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';
export const CLUSTER_METADATA_PARTITION = 0;

export interface VoteRequest {
  /** Absent from old peers: not checked then. */
  readonly clusterId?: string;
  readonly topicName: string;
  readonly partitionIndex: number;
  /** ReplicaId (CandidateId before KIP-853) and ReplicaDirectoryId. */
  readonly candidate: ReplicaKey;
  /** ReplicaEpoch: the candidate's new epoch, or a prospective's current epoch for a PreVote. */
  readonly replicaEpoch: number;
  /** VoterId and VoterDirectoryId: whom the request is for (Vote v1+); absent from older peers. */
  readonly voterKey?: ReplicaKey;
  readonly lastOffsetEpoch: number;
  readonly lastOffset: number;
  readonly preVote: boolean;
}

export interface VoteAnswer {
  readonly errorCode: ErrorName;
  readonly voteGranted: boolean;
  /** The leader this replica knows in `leaderEpoch`, -1 if none. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export interface VoteRequestOutcome {
  readonly quorum: QuorumState;
  /** The election state to write before sending `response` (a higher epoch seen, or a vote granted). */
  readonly persist?: ElectionState;
  readonly response: VoteAnswer;
}

export interface VoteReceiver {
  readonly clusterId: string;
  /** This replica's log end offset and the epoch of its last record. */
  readonly logEnd: OffsetAndEpoch;
}

function answer(quorum: QuorumState, errorCode: ErrorName, voteGranted: boolean, persist?: ElectionState): VoteRequestOutcome {
  return {
    quorum,
    ...(persist === undefined ? {} : { persist }),
    response: { errorCode, voteGranted, leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch },
  };
}

/** The request is for this replica: same id, and same directory id when both are known (KIP-853). */
function isValidVoterKey(quorum: QuorumState, voterKey: ReplicaKey | undefined): boolean {
  if (voterKey === undefined) return true;
  if (voterKey.id !== quorum.config.localId) return false;
  return voterKey.directoryId === undefined || quorum.config.localDirectoryId === undefined || voterKey.directoryId === quorum.config.localDirectoryId;
}

export function handleVoteRequest(quorum: QuorumState, request: VoteRequest, receiver: VoteReceiver, context: RaftStepContext): VoteRequestOutcome {
  if (request.clusterId !== undefined && request.clusterId !== receiver.clusterId) return answer(quorum, 'INCONSISTENT_CLUSTER_ID', false);
  if (request.topicName !== CLUSTER_METADATA_TOPIC || request.partitionIndex !== CLUSTER_METADATA_PARTITION) return answer(quorum, 'INVALID_REQUEST', false);
  // A PreVote is sent in the prospective's current epoch, so its last epoch may equal it; a standard vote's may not.
  const illegalEpoch = request.preVote ? request.lastOffsetEpoch > request.replicaEpoch : request.lastOffsetEpoch >= request.replicaEpoch;
  if (request.lastOffset < 0 || request.lastOffsetEpoch < 0 || illegalEpoch) return answer(quorum, 'INVALID_REQUEST', false);
  if (request.replicaEpoch < quorum.state.epoch) return answer(quorum, 'FENCED_LEADER_EPOCH', false);
  if (request.candidate.id < 0) return answer(quorum, 'INVALID_REQUEST', false);

  let current = quorum;
  let persist: ElectionState | undefined;
  if (request.replicaEpoch > current.state.epoch) {
    // Learning of a higher epoch is durable even if the vote is then refused (or is only a PreVote).
    const moved = transitionToUnattached(current, request.replicaEpoch, undefined, context);
    current = moved.quorum;
    persist = moved.persist;
  }
  if (!isValidVoterKey(current, request.voterKey)) return answer(current, 'INVALID_VOTER_KEY', false, persist);

  const upToDate = isLogUpToDate({ offset: request.lastOffset, epoch: request.lastOffsetEpoch }, receiver.logEnd);
  const granted = canGrantVote(current.state, request.candidate, upToDate, request.preVote);
  if (granted && !request.preVote) {
    const voted = isUnattachedNotVoted(current)
      ? unattachedAddVotedState(current, request.replicaEpoch, request.candidate, context)
      : isProspectiveNotVoted(current)
        ? prospectiveAddVotedState(current, request.replicaEpoch, request.candidate, context)
        : undefined;
    if (voted !== undefined) {
      current = voted.quorum;
      persist = voted.persist;
    }
  }
  return answer(current, 'NONE', granted, persist);
}
