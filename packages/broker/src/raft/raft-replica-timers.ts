/**
 * How long each timer of the Raft replica statechart (raft-replica.machine.ts) waits. The core keeps absolute
 * deadlines; the chart's delays are what is left of them on the ports' clock, capped at what a host timer can hold.
 */
import { timeUntilBeginQuorumEpochTimerExpires } from './check-quorum.js';
import { quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import { nextTimerDeadlineMs } from './timer-expiry.js';

/** The longest a host timer may be armed for (setTimeout's limit); a timer that is never due re-arms this often. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function remainingMs(context: RaftReplicaContext, deadlineMs: number | undefined): number {
  if (deadlineMs === undefined || deadlineMs === Infinity) return MAX_TIMER_MS;
  return Math.min(MAX_TIMER_MS, Math.max(0, deadlineMs - context.ports.now()));
}

/** Until the earliest held Fetch's MaxWaitMs runs out. */
export function untilEarliestHeldFetchExpires(context: RaftReplicaContext): number {
  return remainingMs(context, Math.min(...context.parkedFetches.map((parked) => parked.deadlineMs)));
}

/** Until the election timer of an Unattached, Prospective, Candidate or Resigned replica runs out. */
export function untilElectionTimeout(context: RaftReplicaContext): number {
  const state = quorumOf(context).state;
  return remainingMs(context, 'electionDeadlineMs' in state ? state.electionDeadlineMs : undefined);
}

/** Until the current state's next timer (fetch timeout, check-quorum) is due. */
export function untilNextTimer(context: RaftReplicaContext): number {
  return remainingMs(context, nextTimerDeadlineMs(quorumOf(context)));
}

/** Until a Candidate that lost its election may try again. */
export function untilCandidateBackoffEnds(context: RaftReplicaContext): number {
  const state = quorumOf(context).state;
  return remainingMs(context, state.name === 'Candidate' ? state.backoffDeadlineMs : undefined);
}

/** Until the Leader's next round of BeginQuorumEpoch to voters that have not acknowledged it. */
export function untilBeginQuorumEpochResend(context: RaftReplicaContext): number {
  const state = quorumOf(context).state;
  return state.name === 'Leader' ? Math.min(MAX_TIMER_MS, timeUntilBeginQuorumEpochTimerExpires(state.leader, context.ports.now())) : MAX_TIMER_MS;
}
