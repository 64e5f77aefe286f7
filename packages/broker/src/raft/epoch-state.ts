/**
 * The six states of a KRaft replica and what each holds (Kafka's UnattachedState, ProspectiveState, CandidateState,
 * LeaderState, FollowerState, ResignedState). Timers are absolute deadlines in milliseconds on the caller's clock;
 * `Infinity` means never (an observer's election timer).
 */
import { electionState, type ElectionState } from './election-state.js';
import type { EpochElection } from './epoch-election.js';
import type { LeaderState } from './leader-state.js';
import type { ReplicaKey } from './replica-key.js';

export type EpochStateName = 'Unattached' | 'Prospective' | 'Candidate' | 'Leader' | 'Follower' | 'Resigned';

/** No leader known for the epoch yet (or its endpoints are unknown); may have voted in it. */
export interface UnattachedState {
  readonly name: 'Unattached';
  readonly epoch: number;
  readonly leaderId?: number;
  readonly votedKey?: ReplicaKey;
  readonly electionDeadlineMs: number;
  readonly highWatermark?: number;
}

/** KIP-996 pre-vote: asks the voters whether they would vote, without bumping the epoch. Voters only. */
export interface ProspectiveState {
  readonly name: 'Prospective';
  readonly epoch: number;
  readonly leaderId?: number;
  readonly leaderEndpoints: readonly string[];
  readonly votedKey?: ReplicaKey;
  readonly retries: number;
  readonly electionDeadlineMs: number;
  readonly election: EpochElection;
  readonly highWatermark?: number;
}

/** Voted for itself in a new epoch and asks for votes; backs off after losing. Voters only. */
export interface CandidateState {
  readonly name: 'Candidate';
  readonly epoch: number;
  readonly localKey: ReplicaKey;
  readonly retries: number;
  readonly electionDeadlineMs: number;
  /** Set once the election is lost: the Candidate waits until then before trying again as Prospective. */
  readonly backoffDeadlineMs?: number;
  readonly election: EpochElection;
  readonly highWatermark?: number;
}

/** Elected: accepts appends, serves Fetch, advances the high watermark. */
export interface LeaderEpochState {
  readonly name: 'Leader';
  readonly epoch: number;
  readonly leader: LeaderState;
}

/** Fetches from a known leader of this epoch. */
export interface FollowerState {
  readonly name: 'Follower';
  readonly epoch: number;
  readonly leaderId: number;
  readonly leaderEndpoints: readonly string[];
  /** Kept from earlier in the same epoch so the replica never votes twice in it (KIP-996). */
  readonly votedKey?: ReplicaKey;
  readonly fetchDeadlineMs: number;
  readonly highWatermark?: number;
  /**
   * Whether a Fetch to this leader has succeeded since becoming Follower: until then a PreVote may be granted,
   * so a replica whose leader died before it ever fetched does not block a new election (KAFKA-17641).
   */
  readonly hasFetchedFromLeader: boolean;
}

/** A leader that stepped down in its epoch: never votes again in it and tells the voters (EndQuorumEpoch). */
export interface ResignedState {
  readonly name: 'Resigned';
  readonly epoch: number;
  readonly localId: number;
  readonly unackedVoters: readonly number[];
  readonly preferredSuccessors: readonly number[];
  readonly electionDeadlineMs: number;
}

export type EpochState = UnattachedState | ProspectiveState | CandidateState | LeaderEpochState | FollowerState | ResignedState;

/** What the state persists in `quorum-state` (EpochState.election()). */
export function electionOf(state: EpochState): ElectionState {
  switch (state.name) {
    case 'Unattached':
    case 'Prospective':
      return electionState(state.epoch, state.leaderId, state.votedKey);
    case 'Candidate':
      return electionState(state.epoch, undefined, state.localKey);
    case 'Leader':
      return electionState(state.epoch, state.leader.localId, undefined);
    case 'Follower':
      return electionState(state.epoch, state.leaderId, state.votedKey);
    case 'Resigned':
      return electionState(state.epoch, state.localId, undefined);
  }
}

/** The known high watermark: kept across states, unknown again on becoming Leader (and in Resigned). */
export function highWatermarkOf(state: EpochState): number | undefined {
  switch (state.name) {
    case 'Leader':
      return state.leader.highWatermark;
    case 'Resigned':
      return undefined;
    default:
      return state.highWatermark;
  }
}

export function leaderIdOf(state: EpochState): number | undefined {
  return electionOf(state).leaderId;
}

export function votedKeyOf(state: EpochState): ReplicaKey | undefined {
  return electionOf(state).votedKey;
}

export function leaderEndpointsOf(state: EpochState): readonly string[] {
  return state.name === 'Follower' || state.name === 'Prospective' ? state.leaderEndpoints : [];
}
