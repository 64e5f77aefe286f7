/**
 * The Raft replica statechart's own changes to its QuorumState between the core's decisions: completing a follower's
 * Fetch, counting the leader's log end, restarting the BeginQuorumEpoch timer; and the tests its guards apply to a
 * decision (raft-replica-plan.ts). Kept apart so the chart file stays the design.
 */
import { resetBeginQuorumEpochTimer } from './check-quorum.js';
import { completeFollowerFetch } from './follower-fetch-response.js';
import { updateLocalState } from './leader-state.js';
import type { QuorumState } from './quorum-state.js';
import { planFor, quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import { nextTimerDeadlineMs } from './timer-expiry.js';

/** A successful Fetch answer: the fetch timer restarts and the high watermark moves to min(leader HW, LEO). */
export function withCompletedFetch(context: RaftReplicaContext, event: { type: string }): QuorumState {
  const completed = planFor(context, event).completedFetch;
  const quorum = quorumOf(context);
  if (completed === undefined) return quorum;
  return completeFollowerFetch(quorum, { leaderHighWatermark: completed.leaderHighWatermark, logEndOffset: context.ports.log.endOffset().offset, nowMs: context.ports.now() });
}

/** The leader counts its own log end (its LeaderChangeMessage, its appends) towards the high watermark. */
export function withLeaderLogEnd(context: RaftReplicaContext): QuorumState {
  const quorum = quorumOf(context);
  if (quorum.state.name !== 'Leader') return quorum;
  const update = updateLocalState(quorum.state.leader, context.ports.log.endOffset().offset);
  return { ...quorum, state: { ...quorum.state, leader: update.state } };
}

export function withBeginQuorumEpochTimerReset(context: RaftReplicaContext): QuorumState {
  const quorum = quorumOf(context);
  if (quorum.state.name !== 'Leader') return quorum;
  return { ...quorum, state: { ...quorum.state, leader: resetBeginQuorumEpochTimer(quorum.state.leader, context.ports.now()) } };
}

/** The decision keeps the state and epoch (nothing learned). */
export function keepsStateAndEpoch(context: RaftReplicaContext, event: { type: string }): boolean {
  const next = planFor(context, event).quorum.state;
  const current = quorumOf(context).state;
  return next.name === current.name && next.epoch === current.epoch;
}

/** Same state and epoch, and no timer due earlier than the armed one: no need to re-enter (to re-arm it). */
export function keepsStateWithoutEarlierTimer(context: RaftReplicaContext, event: { type: string }): boolean {
  return keepsStateAndEpoch(context, event) && nextTimerDeadlineMs(planFor(context, event).quorum) >= nextTimerDeadlineMs(quorumOf(context));
}

/** A Fetch answer that failed while still following the same leader in the same epoch: retry after the backoff. */
export function fetchFailedStillFollowing(context: RaftReplicaContext, event: { type: string }): boolean {
  const plan = planFor(context, event);
  const next = plan.quorum.state;
  const current = quorumOf(context).state;
  return plan.fetchFailed === true && next.name === 'Follower' && current.name === 'Follower' && next.epoch === current.epoch && next.leaderId === current.leaderId;
}
