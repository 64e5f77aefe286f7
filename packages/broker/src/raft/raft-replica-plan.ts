/**
 * The decision the pure core takes for one event in the Raft replica statechart: the next QuorumState, what to
 * persist first, and the answer to send. The chart's guards read the decision (which state it lands in) and its
 * actions persist, adopt and answer it; both ask `planFor` with the same (context, event) and get the same object,
 * so the core (and its random port) runs once per event.
 */
import type { ElectionState } from './election-state.js';
import { acknowledgeResignation, handleBeginQuorumEpochRequest, handleEndQuorumEpochRequest } from './quorum-epoch-requests.js';
import { initializeQuorumState } from './quorum-initialize.js';
import type { QuorumConfig, QuorumState, RaftStepContext } from './quorum-state.js';
import { transitionToResigned } from './quorum-transitions.js';
import { nonLeaderVotersByDescendingFetchOffset } from './leader-state.js';
import type { RaftReplicaEmitted, RaftReplicaEvent, RaftReplicaPorts } from './raft-replica-ports.js';
import { onTimersDue } from './timer-expiry.js';
import { handleVoteRequest } from './vote-request.js';
import { handleVoteResponse } from './vote-response.js';

export interface RaftReplicaContext {
  readonly config: QuorumConfig;
  readonly clusterId: string;
  readonly electionBackoffMaxMs: number;
  readonly stored?: ElectionState;
  readonly ports: RaftReplicaPorts;
  /** Undefined only before startup has run. */
  readonly quorum: QuorumState | undefined;
}

export interface RaftPlan {
  readonly quorum: QuorumState;
  readonly persist?: ElectionState;
  /** Answers to send once `persist` is durable. */
  readonly replies: readonly RaftReplicaEmitted[];
}

const plans = new WeakMap<object, { context: RaftReplicaContext; plan: RaftPlan }>();

function stepContext(ports: RaftReplicaPorts): RaftStepContext {
  return { nowMs: ports.now(), random: ports.random };
}

/** The started quorum; startup runs before any other event, so a missing one is a bug. */
export function quorumOf(context: RaftReplicaContext): QuorumState {
  if (context.quorum === undefined) throw new Error('the Raft replica has not started');
  return context.quorum;
}

function decide(context: RaftReplicaContext, event: { type: string }): RaftPlan {
  const step = stepContext(context.ports);
  if (event.type === 'xstate.init') {
    const started = initializeQuorumState(context.config, context.stored, context.ports.log.endOffset(), step);
    return { ...started, replies: [] };
  }
  const quorum = quorumOf(context);
  const raftEvent = event as RaftReplicaEvent;
  switch (raftEvent.type) {
    case 'raft.vote.request': {
      const outcome = handleVoteRequest(quorum, raftEvent.request, { clusterId: context.clusterId, logEnd: context.ports.log.endOffset() }, step);
      return { ...outcome, replies: [{ type: 'raft.send.vote-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.vote.response': {
      const outcome = handleVoteResponse(quorum, raftEvent.response, { electionBackoffMaxMs: context.electionBackoffMaxMs, logEndOffset: context.ports.log.endOffset().offset }, step);
      return { quorum: outcome.quorum, ...(outcome.persist === undefined ? {} : { persist: outcome.persist }), replies: [] };
    }
    case 'raft.begin-quorum-epoch.request': {
      const outcome = handleBeginQuorumEpochRequest(quorum, raftEvent.request, { clusterId: context.clusterId, electionBackoffMaxMs: context.electionBackoffMaxMs }, step);
      return { ...outcome, replies: [{ type: 'raft.send.begin-quorum-epoch-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.end-quorum-epoch.request': {
      const outcome = handleEndQuorumEpochRequest(quorum, raftEvent.request, { clusterId: context.clusterId, electionBackoffMaxMs: context.electionBackoffMaxMs }, step);
      return { ...outcome, replies: [{ type: 'raft.send.end-quorum-epoch-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.end-quorum-epoch.response':
      return { quorum: raftEvent.response.errorCode === 'NONE' ? acknowledgeResignation(quorum, raftEvent.from) : quorum, replies: [] };
    case 'raft.resign':
      if (quorum.state.name !== 'Leader') return { quorum, replies: [] };
      return { ...transitionToResigned(quorum, nonLeaderVotersByDescendingFetchOffset(quorum.state.leader), step), replies: [] };
    default:
      // A timer of the current state fired (xstate.after.*): the core says what is due.
      return { ...onTimersDue(quorum, step), replies: [] };
  }
}

/** The core's decision for `event` in `context`, computed once and shared by the guards and actions that ask. */
export function planFor(context: RaftReplicaContext, event: { type: string }): RaftPlan {
  const memo = plans.get(event);
  if (memo !== undefined && memo.context === context) return memo.plan;
  const plan = decide(context, event);
  plans.set(event, { context, plan });
  return plan;
}
