/** Builders shared by the Raft core's tests, with QuorumStateTest's constants. */
import { LeaderEpochCache, MemoryLeaderEpochCheckpoint } from '@kactor/storage';
import type { EpochEndOffsetLookup } from './log-view.js';
import { initializeQuorumState } from './quorum-initialize.js';
import type { QuorumConfig, QuorumState, RaftStepContext } from './quorum-state.js';
import type { VoterNode } from './replica-key.js';
import type { ElectionState } from './election-state.js';
import { recordGrantedVote } from './epoch-election.js';
import { transitionToCandidate, transitionToLeader, transitionToProspective } from './quorum-transitions.js';

export const LOCAL_ID = 0;
export const ELECTION_TIMEOUT_MS = 5000;
export const FETCH_TIMEOUT_MS = 10000;

export function voter(id: number): VoterNode {
  return { id, endpoints: [`127.0.0.1:${9990 + id}`] };
}

export function config(voterIdList: readonly number[], localId: number = LOCAL_ID): QuorumConfig {
  return {
    localId,
    voters: voterIdList.map(voter),
    electionTimeoutMs: ELECTION_TIMEOUT_MS,
    fetchTimeoutMs: FETCH_TIMEOUT_MS,
  };
}

/** A RandomInt that always answers `jitter` (Kafka's MockableRandom.mockNextInt), clamped into [0, bound). */
export function fixedRandom(jitter: number): (bound: number) => number {
  return (bound) => Math.min(jitter, bound - 1);
}

export function step(nowMs: number, jitter = 0): RaftStepContext {
  return { nowMs, random: fixedRandom(jitter) };
}

/** A replica started from `stored` (or nothing) with an empty log at epoch `logEndEpoch`. */
export function started(voterIdList: readonly number[], stored?: ElectionState, logEndEpoch = 0, localId: number = LOCAL_ID): QuorumState {
  return initializeQuorumState(config(voterIdList, localId), stored, { offset: 0, epoch: logEndEpoch }, step(0)).quorum;
}

/**
 * Storage's own leader-epoch cache holding `entries` ((epoch, startOffset) pairs in order): the Raft core takes it
 * structurally as its EpochEndOffsetLookup, as the metadata log will hand it over.
 */
export function epochLookup(entries: readonly (readonly [epoch: number, startOffset: number])[]): EpochEndOffsetLookup {
  const cache = new LeaderEpochCache(new MemoryLeaderEpochCheckpoint());
  for (const [epoch, startOffset] of entries) cache.assign(epoch, startOffset);
  return cache;
}

/** A replica that won an election from stored epoch `storedEpoch` (so it leads `storedEpoch + 1`), every voter granting. */
export function electedLeader(voterIdList: readonly number[], storedEpoch: number, epochStartOffset: number): QuorumState {
  let quorum = transitionToCandidate(transitionToProspective(started(voterIdList, { epoch: storedEpoch }), step(0)).quorum, step(0)).quorum;
  for (const id of voterIdList.filter((id) => id !== quorum.config.localId)) {
    const state = quorum.state;
    if (state.name === 'Candidate') quorum = { ...quorum, state: { ...state, election: recordGrantedVote(state.election, id) } };
  }
  return transitionToLeader(quorum, epochStartOffset, step(0)).quorum;
}
