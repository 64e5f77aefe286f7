/**
 * A Prospective or Candidate counting Vote / PreVote answers (KafkaRaftClient.handleVoteResponse,
 * maybeTransitionForward, maybeHandleElectionLoss). A granted majority moves Prospective to Candidate and Candidate
 * to Leader; a rejected majority (no majority possible any more) ends the round at once: the Candidate backs off
 * `binaryExponentialElectionBackoffMs(retries)`, the Prospective returns to its known leader or to Unattached.
 * A peer too old for PreVote (UNSUPPORTED_VERSION) sends a Prospective straight to Candidate.
 */
import type { ErrorName } from '@kactor/protocol';
import { maybeHandleCommonResponse } from './common-response.js';
import type { ElectionState } from './election-state.js';
import { binaryExponentialElectionBackoffMs } from './election-timers.js';
import { isVoteGranted, isVoteRejected, recordGrantedVote, recordPreVote, recordRejectedVote } from './epoch-election.js';
import type { QuorumState, QuorumTransition, RaftStepContext } from './quorum-state.js';
import { transitionToCandidate, transitionToFollower, transitionToLeader, transitionToUnattached } from './quorum-transitions.js';

export interface VoteResponse {
  readonly from: number;
  readonly errorCode: ErrorName;
  readonly voteGranted: boolean;
  /** -1 on the wire when the voter knows no leader. */
  readonly leaderId?: number;
  readonly leaderEpoch: number;
  readonly leaderEndpoints?: readonly string[];
}

export interface VoteResponseInputs {
  /** `controller.quorum.election.backoff.max.ms` (Kafka's default 1000). */
  readonly electionBackoffMaxMs: number;
  /** This replica's log end offset: where its LeaderChangeMessage goes if it wins. */
  readonly logEndOffset: number;
}

export type VoteResponseEffect =
  | 'ignored'
  | 'recorded'
  | 'transitioned'
  | 'became-candidate'
  | 'became-leader'
  | 'election-lost'
  | 'backoff'
  | 'unexpected-error';

export interface VoteResponseOutcome {
  readonly quorum: QuorumState;
  /** The latest durable change to write before acting on `quorum` (Candidate's self-vote, Leader, Follower...). */
  readonly persist?: ElectionState;
  readonly effect: VoteResponseEffect;
}

function chain(first: QuorumTransition, next: QuorumTransition): QuorumTransition {
  const persist = next.persist ?? first.persist;
  return persist === undefined ? { quorum: next.quorum } : { quorum: next.quorum, persist };
}

/** Prospective won its pre-vote: Candidate, and Leader at once if its own vote is already a majority (a single voter). */
function becomeCandidate(quorum: QuorumState, inputs: VoteResponseInputs, context: RaftStepContext): VoteResponseOutcome {
  const candidate = transitionToCandidate(quorum, context);
  const state = candidate.quorum.state;
  if (state.name === 'Candidate' && isVoteGranted(state.election)) {
    return { ...chain(candidate, transitionToLeader(candidate.quorum, inputs.logEndOffset, context)), effect: 'became-leader' };
  }
  return { ...candidate, effect: 'became-candidate' };
}

/**
 * Move forward if the tally already has a majority (KafkaRaftClient.maybeTransitionForward): the only voter is
 * elected as soon as it becomes Prospective, without any Vote going out.
 */
export function maybeTransitionForward(quorum: QuorumState, inputs: VoteResponseInputs, context: RaftStepContext): VoteResponseOutcome {
  const state = quorum.state;
  if (state.name === 'Prospective' && isVoteGranted(state.election)) return becomeCandidate(quorum, inputs, context);
  if (state.name === 'Candidate' && isVoteGranted(state.election)) return { ...transitionToLeader(quorum, inputs.logEndOffset, context), effect: 'became-leader' };
  return { quorum, effect: 'ignored' };
}

/** A lost (or timed-out) pre-vote: back to the leader it knew, if it can reach it, else Unattached in the same epoch. */
export function prospectiveTransitionAfterElectionLoss(quorum: QuorumState, context: RaftStepContext): QuorumTransition {
  const state = quorum.state;
  if (state.name !== 'Prospective') return { quorum };
  if (state.leaderId !== undefined && state.leaderEndpoints.length > 0) {
    return transitionToFollower(quorum, state.epoch, state.leaderId, state.leaderEndpoints, context);
  }
  return transitionToUnattached(quorum, state.epoch, state.leaderId, context);
}

export function handleVoteResponse(quorum: QuorumState, response: VoteResponse, inputs: VoteResponseInputs, context: RaftStepContext): VoteResponseOutcome {
  const leaderId = response.leaderId === undefined || response.leaderId < 0 ? undefined : response.leaderId;
  const common = maybeHandleCommonResponse(
    quorum,
    { errorCode: response.errorCode, epoch: response.leaderEpoch, ...(leaderId === undefined ? {} : { leaderId }), ...(response.leaderEndpoints === undefined ? {} : { leaderEndpoints: response.leaderEndpoints }) },
    context,
  );
  if (common.kind === 'backoff') return { quorum, effect: 'backoff' };
  if (common.kind === 'handled') {
    return { quorum: common.quorum, ...(common.persist === undefined ? {} : { persist: common.persist }), effect: common.quorum === quorum ? 'ignored' : 'transitioned' };
  }
  const learned = common.quorum === quorum ? undefined : { quorum: common.quorum, ...(common.persist === undefined ? {} : { persist: common.persist }) };
  const current = common.quorum;
  const state = current.state;
  if (response.errorCode === 'UNSUPPORTED_VERSION' && state.name === 'Prospective') return becomeCandidate(current, inputs, context);
  if (response.errorCode !== 'NONE') return { quorum: current, effect: 'unexpected-error' };
  if (learned !== undefined) return { ...learned, effect: 'transitioned' };

  if (state.name === 'Prospective') {
    const election = recordPreVote(state.election, response.from, response.voteGranted);
    const counted: QuorumState = { ...current, state: { ...state, election } };
    if (isVoteGranted(election)) return becomeCandidate(counted, inputs, context);
    if (isVoteRejected(election)) return { ...prospectiveTransitionAfterElectionLoss(counted, context), effect: 'election-lost' };
    return { quorum: counted, effect: 'recorded' };
  }
  if (state.name === 'Candidate') {
    const election = response.voteGranted ? recordGrantedVote(state.election, response.from) : recordRejectedVote(state.election, response.from);
    const counted: QuorumState = { ...current, state: { ...state, election } };
    if (isVoteGranted(election)) return { ...transitionToLeader(counted, inputs.logEndOffset, context), effect: 'became-leader' };
    if (isVoteRejected(election) && state.backoffDeadlineMs === undefined) {
      // No majority is possible any more: back off now rather than wait for the election timeout.
      const backoffMs = binaryExponentialElectionBackoffMs(state.retries, inputs.electionBackoffMaxMs, context.random);
      return { quorum: { ...current, state: { ...state, election, backoffDeadlineMs: context.nowMs + backoffMs } }, effect: 'election-lost' };
    }
    return { quorum: counted, effect: 'recorded' };
  }
  // Already Leader, or no longer a nominee: a late answer changes nothing.
  return { quorum: current, effect: 'ignored' };
}
