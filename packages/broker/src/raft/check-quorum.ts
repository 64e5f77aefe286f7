/**
 * The leader's liveness checks (LeaderState): check-quorum resigns a leader that has not received a Fetch (or
 * FetchSnapshot) from a majority of voters within 1.5 x `controller.quorum.fetch.timeout.ms` (the leader counts
 * itself; observers never count; a single voter never expires), so a leader cut off in a minority stops claiming
 * leadership. The BeginQuorumEpoch timer paces the re-sends to voters that have not fetched yet.
 */
import type { LeaderState } from './leader-state.js';
import { majoritySize, type ReplicaKey } from './replica-key.js';

/** A voter fetched: once a majority (the leader included) has, the check-quorum timer starts over. */
export function updateCheckQuorumForFollowingVoter(state: LeaderState, replica: ReplicaKey, nowMs: number): LeaderState {
  if (!state.voterIds.includes(replica.id) || replica.id === state.localId) return state;
  const fetchedVoters = state.fetchedVoters.includes(replica.id) ? state.fetchedVoters : [...state.fetchedVoters, replica.id];
  // The leader is implicitly part of the majority when it is a voter, but never a member of fetchedVoters.
  const needed = majoritySize(state.voterIds.length) - (state.voterIds.includes(state.localId) ? 1 : 0);
  if (fetchedVoters.length >= needed) {
    return { ...state, fetchedVoters: [], checkQuorumDeadlineMs: nowMs + state.checkQuorumTimeoutMs };
  }
  return { ...state, fetchedVoters };
}

/** Milliseconds left before the leader must resign; 0 once expired; Infinity for a single-voter quorum. */
export function timeUntilCheckQuorumExpires(state: LeaderState, nowMs: number): number {
  if (state.voterIds.length === 1) return Infinity;
  return Math.max(0, state.checkQuorumDeadlineMs - nowMs);
}

export function resetBeginQuorumEpochTimer(state: LeaderState, nowMs: number): LeaderState {
  return { ...state, beginQuorumEpochDeadlineMs: nowMs + state.beginQuorumEpochTimeoutMs };
}

export function timeUntilBeginQuorumEpochTimerExpires(state: LeaderState, nowMs: number): number {
  return Math.max(0, state.beginQuorumEpochDeadlineMs - nowMs);
}
