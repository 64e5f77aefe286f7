/**
 * What each state does when its timer runs out (KafkaRaftClient.pollUnattached, pollProspective, pollCandidate,
 * pollFollower, pollResigned, pollLeader, post-KIP-996): a voter whose election or fetch timer expires pre-votes
 * (Prospective); a Prospective that times out falls back to its known leader or Unattached; a Candidate whose
 * backoff or election timer expires pre-votes again; a Resigned leader moves to the next epoch; a Leader that has
 * not heard from a majority within the check-quorum timeout resigns, naming its most caught-up voters as
 * successors. Observers never start elections. The caller's statechart owns the actual timers.
 */
import { timeUntilCheckQuorumExpires } from './check-quorum.js';
import { nonLeaderVotersByDescendingFetchOffset } from './leader-state.js';
import { isObserver, type QuorumState, type QuorumTransition, type RaftStepContext } from './quorum-state.js';
import { transitionToProspective, transitionToResigned, transitionToUnattached } from './quorum-transitions.js';
import { prospectiveTransitionAfterElectionLoss } from './vote-response.js';

/** When this state next needs `onTimersDue` (Infinity: never, e.g. an observer waiting for a leader). */
export function nextTimerDeadlineMs(quorum: QuorumState): number {
  const state = quorum.state;
  switch (state.name) {
    case 'Unattached':
    case 'Prospective':
    case 'Resigned':
      return state.electionDeadlineMs;
    case 'Candidate':
      return state.backoffDeadlineMs ?? state.electionDeadlineMs;
    case 'Follower':
      return isObserver(quorum.config) ? Infinity : state.fetchDeadlineMs;
    case 'Leader':
      return state.leader.voterIds.length === 1 ? Infinity : state.leader.checkQuorumDeadlineMs;
  }
}

/** Applies the transition for an expired timer; answers `{ quorum }` unchanged when nothing is due. */
export function onTimersDue(quorum: QuorumState, context: RaftStepContext): QuorumTransition {
  const state = quorum.state;
  const due = context.nowMs >= nextTimerDeadlineMs(quorum);
  if (!due) return { quorum };
  switch (state.name) {
    case 'Unattached':
    case 'Follower':
      return isObserver(quorum.config) ? { quorum } : transitionToProspective(quorum, context);
    case 'Prospective':
      return prospectiveTransitionAfterElectionLoss(quorum, context);
    case 'Candidate':
      return transitionToProspective(quorum, context);
    case 'Resigned':
      return transitionToUnattached(quorum, state.epoch + 1, undefined, context);
    case 'Leader':
      if (timeUntilCheckQuorumExpires(state.leader, context.nowMs) > 0) return { quorum };
      return transitionToResigned(quorum, nonLeaderVotersByDescendingFetchOffset(state.leader), context);
  }
}
