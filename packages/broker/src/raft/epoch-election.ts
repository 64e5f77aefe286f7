/**
 * The tally of one election round (Kafka's internals/EpochElection), shared by Prospective (PreVotes) and Candidate
 * (standard votes). The local replica has granted itself. Immutable plain data (JSON-friendly for statechart
 * context and simulation traces): recording a vote answers a new tally.
 */
import { RaftInvariantError } from './raft-errors.js';
import { majoritySize } from './replica-key.js';

export type VoteState = 'unrecorded' | 'granted' | 'rejected';

export interface VoterVote {
  readonly voterId: number;
  readonly vote: VoteState;
}

export interface EpochElection {
  readonly localId: number;
  /** One entry per voter, in voter order. */
  readonly votes: readonly VoterVote[];
}

export function newEpochElection(localId: number, voterIds: readonly number[]): EpochElection {
  if (!voterIds.includes(localId)) throw new RaftInvariantError('vote-from-non-voter', `local replica ${localId} is not a voter of [${voterIds.join(', ')}]`);
  return { localId, votes: voterIds.map((voterId) => ({ voterId, vote: voterId === localId ? 'granted' : 'unrecorded' })) };
}

export function voteOf(election: EpochElection, voterId: number): VoteState | undefined {
  return election.votes.find((entry) => entry.voterId === voterId)?.vote;
}

function withVote(election: EpochElection, voterId: number, vote: VoteState): EpochElection {
  return { ...election, votes: election.votes.map((entry) => (entry.voterId === voterId ? { voterId, vote } : entry)) };
}

function record(election: EpochElection, voterId: number, vote: 'granted' | 'rejected'): EpochElection {
  const previous = voteOf(election, voterId);
  if (previous === undefined) throw new RaftInvariantError('vote-from-non-voter', `replica ${voterId} is not a voter`);
  if (previous !== 'unrecorded' && previous !== vote) {
    // A voter answers once per round; a flip means a duplicated or forged answer was mixed up with another round.
    throw new RaftInvariantError('conflicting-vote', `voter ${voterId} ${vote} after it ${previous}`);
  }
  return withVote(election, voterId, vote);
}

export function recordGrantedVote(election: EpochElection, voterId: number): EpochElection {
  return record(election, voterId, 'granted');
}

export function recordRejectedVote(election: EpochElection, voterId: number): EpochElection {
  return record(election, voterId, 'rejected');
}

/**
 * A PreVote answer may change within one round (a Follower grants before its first fetch and refuses after), so
 * the latest answer from a voter replaces the earlier one instead of failing.
 */
export function recordPreVote(election: EpochElection, voterId: number, granted: boolean): EpochElection {
  if (voteOf(election, voterId) === undefined) throw new RaftInvariantError('vote-from-non-voter', `replica ${voterId} is not a voter`);
  if (voterId === election.localId) return election;
  return withVote(election, voterId, granted ? 'granted' : 'rejected');
}

function votersIn(election: EpochElection, state: VoteState): number[] {
  return election.votes.filter((entry) => entry.vote === state).map((entry) => entry.voterId);
}

export const grantingVoters = (election: EpochElection): number[] => votersIn(election, 'granted');
export const rejectingVoters = (election: EpochElection): number[] => votersIn(election, 'rejected');
export const unrecordedVoters = (election: EpochElection): number[] => votersIn(election, 'unrecorded');

/** A majority of the voters granted (the local replica counts). */
export function isVoteGranted(election: EpochElection): boolean {
  return grantingVoters(election).length >= majoritySize(election.votes.length);
}

/** Even if every unrecorded voter granted, there would be no majority: the round is lost, back off at once. */
export function isVoteRejected(election: EpochElection): boolean {
  return grantingVoters(election).length + unrecordedVoters(election).length < majoritySize(election.votes.length);
}
