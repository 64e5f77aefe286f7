/**
 * Whether a replica in a given state may grant a Vote or PreVote (EpochState.canGrantVote per state, KIP-996
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-996%3A+Pre-Vote). A PreVote changes nothing persisted, so
 * most states grant it on an up-to-date log alone; a standard vote is granted at most once per epoch.
 */
import type { EpochState } from './epoch-state.js';
import { sameReplica, type ReplicaKey } from './replica-key.js';

/**
 * Unattached and Prospective (QuorumState.unattachedOrProspectiveCanGrantVote): PreVote iff up to date; a standard
 * vote only again for the same candidate if already voted, never while a leader is known, else iff up to date.
 */
function unattachedOrProspectiveCanGrantVote(
  leaderId: number | undefined,
  votedKey: ReplicaKey | undefined,
  candidate: ReplicaKey,
  isLogUpToDate: boolean,
  isPreVote: boolean,
): boolean {
  if (isPreVote) return isLogUpToDate;
  if (votedKey !== undefined) return sameReplica(votedKey, candidate);
  if (leaderId !== undefined) return false;
  return isLogUpToDate;
}

export function canGrantVote(state: EpochState, candidate: ReplicaKey, isLogUpToDate: boolean, isPreVote: boolean): boolean {
  switch (state.name) {
    case 'Unattached':
    case 'Prospective':
      return unattachedOrProspectiveCanGrantVote(state.leaderId, state.votedKey, candidate, isLogUpToDate, isPreVote);
    case 'Follower':
      // Once it has fetched from its leader the leader is alive: a pre-vote would only disturb it. Before that
      // (the leader may have died right after being elected) it helps the others elect a new one.
      return isPreVote && isLogUpToDate && !state.hasFetchedFromLeader;
    case 'Candidate':
    case 'Resigned':
      // Their own vote in this epoch is spent (on themselves, or implicitly as leader).
      return isPreVote && isLogUpToDate;
    case 'Leader':
      return false;
  }
}
