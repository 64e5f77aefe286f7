/**
 * The named actions, guards and delays of a KIP-848 consumer group's statechart (consumer-group.machine.ts); its
 * context, events and ports are in consumer-group-context.ts. The rules are the pure core beside it (consumer-group-heartbeat.ts,
 * consumer-group-replay.ts); these actions run them, append their records to `__consumer_offsets` with acks=all
 * through the shard (as the classic group does, group.setup.ts) and apply the records only once the append
 * succeeded, so a coordinator that replays the partition rebuilds the same group.
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 */
import type { RequestRef } from '@kactor/runtime';
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { OffsetCommitResponseDraft } from '../group-effects.js';
import { appendErrorForCommit, applyOffsetRecords, deletionRecords, failedCommitAnswer, offsetCommitEffects } from '../group-offsets.js';
import { reportDeletionAppended, unwrittenAppendAnswers, withoutToken, type UnwrittenAppendError } from '../group-pending-appends.js';
import type { GroupRecord } from '../group-records.js';
import { addPendingTransactionalOffsets, completeTransactionalOffsets, txnCommitAnswerWithError, txnOffsetCommitEffects } from '../group-txn-offsets.js';
import { failedOffsetDeleteAnswer, offsetDeleteAnswer, offsetDeleteEffects } from '../group-offset-delete.js';
import { consumerGroupStateOf } from './consumer-group-data.js';
import { applyRecord, commitProblem, runFence, runHeartbeat } from './consumer-group-core-calls.js';
import { preferredServerAssignor } from './consumer-group-subscription.js';
import {
  consumerGroupTombstones,
  heartbeatAppendError,
  heartbeatRefusal,
  isConsumerRecord,
  offsetEffects,
  recordSteps,
  type ConsumerGroupAppendRecord,
  type ConsumerGroupEffect,
  type ConsumerTimerEffect,
  consumerTimerId,
} from './consumer-group-effects.js';

export type { ConsumerAppendPurpose, ConsumerGroupAppendRecord, ConsumerGroupEffect, ConsumerTimerEffect, ConsumerTimerEvent } from './consumer-group-effects.js';
export { consumerGroupTombstones, heartbeatAppendError, heartbeatRefusal, recordSteps } from './consumer-group-effects.js';
import { emptyRebalanceLog } from '../rebalance-log.js';
import { noteConsumerAssignments, noteConsumerEpoch, openConsumerRebalance, settleConsumerRebalance, type ConsumerRebalanceCause } from '../rebalance-consumer.js';

export type { AppendResult } from '../../coordinator-runtime/coordinator-shard.js';
import {
  MAX_DEFERRED_HEARTBEATS,
  type ConsumerGroupContext,
  type ConsumerGroupEmitted,
  type ConsumerGroupEvent,
  type ConsumerGroupInput,
  type PendingConsumerAppend,
} from './consumer-group-context.js';

export {
  MAX_DEFERRED_HEARTBEATS,
  type ConsumerGroupConfig,
  type ConsumerGroupContext,
  type ConsumerGroupEmitted,
  type ConsumerGroupEvent,
  type ConsumerGroupInput,
  type ConsumerGroupPorts,
  type DeferrableEvent,
  type PendingConsumerAppend,
} from './consumer-group-context.js';

/** The part of XState's `enqueue` that `perform` uses. */
interface Enqueue {
  (action: (args: { self: AnyActorRef }) => void): void;
  assign(values: Partial<ConsumerGroupContext>): void;
  emit(event: ConsumerGroupEmitted): void;
  cancel(id: string): void;
  raise(event: ConsumerGroupEvent, options?: { delay: number; id: string }): void;
}

function performTimer(enqueue: Enqueue, effect: ConsumerTimerEffect): void {
  enqueue.cancel(consumerTimerId(effect.event));
  if (effect.kind === 'startTimer') enqueue.raise(effect.event, { delay: effect.delayMs, id: consumerTimerId(effect.event) });
}

/**
 * A timer started again or cancelled also drops its expiry that already fired while a change was being written and
 * still waits in `deferred`: that expiry belongs to the replaced timer. Kafka's coordinator timer ignores an expired
 * task whose key was rescheduled meanwhile; without this, a member whose heartbeat waited behind a slow write (its
 * session timeout passing meanwhile) was fenced right after that heartbeat renewed its session, and the partitions it
 * had just been asked to revoke went to another member while it still owned them.
 */
function withoutReplacedExpiry(deferred: ConsumerGroupContext['deferred'], effect: ConsumerTimerEffect): ConsumerGroupContext['deferred'] {
  const replaced = consumerTimerId(effect.event);
  return deferred.filter((waiting) => waiting.type === 'request.consumerGroupHeartbeat' || consumerTimerId(waiting) !== replaced);
}

/**
 * Performs effects in order: answers, keyed timers, appends (each remembered under a token until it completes). The
 * context is assigned only what changed: a heartbeat of a stable member (an answer and its session timer restarted)
 * leaves the group's context as it was, as Kafka's heartbeat builds no new group state.
 */
function perform(context: ConsumerGroupContext, enqueue: Enqueue, effects: readonly ConsumerGroupEffect[], deletionToken: number | null = null): void {
  let nextAppendToken = context.nextAppendToken;
  let pendingAppends: ConsumerGroupContext['pendingAppends'] | undefined;
  let deferred = context.deferred;
  for (const effect of effects) {
    if (effect.kind === 'respond') {
      enqueue(() => context.ports.responder.respond(effect.ref as RequestRef & { api: 'heartbeat' }, effect.body as never));
    } else if (effect.kind === 'append') {
      const token = nextAppendToken;
      nextAppendToken += 1;
      pendingAppends ??= { ...context.pendingAppends };
      pendingAppends[token] = { purpose: effect.purpose, records: effect.records, deletionToken };
      enqueue.emit({ type: 'records.toAppend', token, records: effect.records, transactional: effect.transactional });
    } else {
      performTimer(enqueue, effect);
      // Only a deferred timer expiry can be replaced: without any waiting, there is nothing to filter.
      if (deferred.length > 0) deferred = withoutReplacedExpiry(deferred, effect);
    }
  }
  if (pendingAppends !== undefined) enqueue.assign({ pendingAppends, nextAppendToken, ...(deferred.length === context.deferred.length ? {} : { deferred }) });
  else if (deferred.length !== context.deferred.length) enqueue.assign({ deferred });
}

/** An append completed: it is forgotten (assigned now), and the context without it is what the completion performs on. */
function withoutCompletedAppend(context: ConsumerGroupContext, enqueue: Enqueue, token: number): ConsumerGroupContext {
  const pendingAppends = withoutToken(context.pendingAppends, token);
  enqueue.assign({ pendingAppends });
  return { ...context, pendingAppends };
}

function appendOf(context: ConsumerGroupContext, event: ConsumerGroupEvent): PendingConsumerAppend | undefined {
  return event.type === 'records.appended' ? context.pendingAppends[event.token] : undefined;
}

/** Raises the written records step by step (see recordSteps); the chart takes its eventless transitions between them. */
function raiseRecordSteps(enqueue: Enqueue, records: readonly ConsumerGroupAppendRecord[]): void {
  for (const step of recordSteps(records)) enqueue.raise({ type: 'records.apply', records: step });
}

/** Answers every request still waiting on an append with `errorName` and forgets the appends. */
function settlePending(context: ConsumerGroupContext, enqueue: Enqueue, errorName: UnwrittenAppendError): void {
  const effects: ConsumerGroupEffect[] = unwrittenAppendAnswers(context.pendingAppends, errorName, context.ports.deletionDone, (purpose) =>
    purpose.kind === 'heartbeat' ? { kind: 'respond', ref: purpose.ref, body: heartbeatRefusal(errorName) } : null,
  );
  for (const deferred of context.deferred) if (deferred.type === 'request.consumerGroupHeartbeat') effects.push({ kind: 'respond', ref: deferred.ref, body: heartbeatRefusal(errorName) });
  enqueue.assign({ deferred: [] });
  perform(context, enqueue, effects);
  enqueue.assign({ pendingAppends: {} });
}

export const consumerGroupSetup = setup({
  types: { context: {} as ConsumerGroupContext, events: {} as ConsumerGroupEvent, input: {} as ConsumerGroupInput, emitted: {} as ConsumerGroupEmitted },
  actions: {
    enterEmpty: assign({ stateName: 'Empty' as const }),
    enterAssigning: assign({ stateName: 'Assigning' as const }),
    enterReconciling: assign({ stateName: 'Reconciling' as const }),
    enterStable: assign({ stateName: 'Stable' as const }),
    enterDead: assign({ stateName: 'Dead' as const }),

    /** Loaded groups keep their members; each gets a full session timeout to heartbeat again (Kafka's onLoaded), and a revoking one its rebalance timeout. */
    startLoadedSessions: enqueueActions(({ context, enqueue }) => {
      const effects: ConsumerGroupEffect[] = [];
      for (const member of Object.values(context.group.members)) {
        effects.push({ kind: 'startTimer', event: { type: 'timer.memberSessionExpired', memberId: member.memberId }, delayMs: context.config.sessionTimeoutMs });
        // A member that was revoking when the coordinator moved gets its whole rebalance timeout again, as in Kafka's onLoaded.
        if (member.state === 'UNREVOKED_PARTITIONS') {
          effects.push({ kind: 'startTimer', event: { type: 'timer.memberRebalanceExpired', memberId: member.memberId, memberEpoch: member.memberEpoch }, delayMs: member.rebalanceTimeoutMs });
        }
      }
      perform(context, enqueue, effects);
    }),

    /** Written records become the group, one step at a time (see recordSteps); members given a new current assignment get a receipt. */
    applyRecords: assign(({ context, event }) => {
      if (event.type !== 'records.apply') return {};
      const group = event.records.reduce(applyRecord, context.group);
      const assignedMembers = event.records.flatMap((record) => (record.type === 'ConsumerGroupCurrentMemberAssignment' && record.value !== null ? [record.memberId] : []));
      return { group, groupBeforeStep: context.group, rebalances: noteConsumerAssignments(context.rebalances, group, assignedMembers, context.ports.clock.now()) };
    }),

    /** ConsumerGroupHeartbeat: refused at once, or its records appended (the answer waits for them). */
    heartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.consumerGroupHeartbeat') return;
      const outcome = runHeartbeat(context, event.ref, event.body);
      if ('refusal' in outcome) {
        perform(context, enqueue, [{ kind: 'respond', ref: event.ref, body: heartbeatRefusal(outcome.refusal.errorName, outcome.refusal.errorMessage) }, ...outcome.timers]);
        return;
      }
      if (outcome.records.length === 0) {
        perform(context, enqueue, [{ kind: 'respond', ref: event.ref, body: outcome.response }, ...outcome.timers]);
        return;
      }
      perform(context, enqueue, [{ kind: 'append', records: outcome.records, purpose: { kind: 'heartbeat', ref: event.ref, response: outcome.response, timers: outcome.timers, cause: outcome.cause } }]);
    }),
    /**
     * The heartbeat's records are written: they are applied step by step (the chart takes its state after each), the
     * member's timers set, and the member answered. Not written: the member hears NOT_COORDINATOR or
     * COORDINATOR_NOT_AVAILABLE and retries; the group is as before.
     */
    completeHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'heartbeat') return;
      const { purpose } = pending;
      const rest = withoutCompletedAppend(context, enqueue, event.token);
      if (!event.result.ok) {
        perform(rest, enqueue, [{ kind: 'respond', ref: purpose.ref, body: heartbeatRefusal(heartbeatAppendError(event.result.errorName)) }]);
        return;
      }
      enqueue.assign({ lastCause: purpose.cause });
      raiseRecordSteps(enqueue, pending.records);
      perform(rest, enqueue, [...purpose.timers, { kind: 'respond', ref: purpose.ref, body: purpose.response }]);
    }),
    /** A member's session timeout passed without a heartbeat: it is fenced (removed, its partitions go to the others). */
    fenceExpiredMember: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.memberSessionExpired') return;
      context.ports.logger.info({ memberId: event.memberId }, 'member session expired: fencing it');
      const cause: ConsumerRebalanceCause = { trigger: 'session-timeout', reason: `member ${event.memberId} sent no heartbeat within group.consumer.session.timeout.ms` };
      perform(context, enqueue, fenceEffects(context, event.memberId, cause, null));
    }),
    /** A member did not revoke within its rebalance timeout: it is fenced, and only then are its partitions free for others. */
    fenceUnrevokingMember: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.memberRebalanceExpired') return;
      context.ports.logger.info({ memberId: event.memberId, memberEpoch: event.memberEpoch }, 'member did not revoke its partitions within its rebalance timeout: fencing it');
      const cause: ConsumerRebalanceCause = { trigger: 'member-removed', reason: `member ${event.memberId} did not revoke its partitions within its rebalance timeout` };
      perform(context, enqueue, fenceEffects(context, event.memberId, cause, event.memberEpoch));
    }),
    /** The fence is written (the member is gone; a heartbeat from it gets UNKNOWN_MEMBER_ID), or not: its next timeout tries again. */
    completeFence: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'fence') return;
      const rest = withoutCompletedAppend(context, enqueue, event.token);
      if (!event.result.ok) {
        const retry: ConsumerTimerEffect = { kind: 'startTimer', event: { type: 'timer.memberSessionExpired', memberId: pending.purpose.memberId }, delayMs: context.config.sessionTimeoutMs };
        perform(rest, enqueue, [retry]);
        return;
      }
      enqueue.assign({ lastCause: pending.purpose.cause });
      raiseRecordSteps(enqueue, pending.records);
      perform(rest, enqueue, pending.purpose.timers);
    }),

    /** A heartbeat or a fence while another change is being written waits for it (see `deferred`). */
    deferChange: assign(({ context, event }) => {
      if (event.type !== 'request.consumerGroupHeartbeat' && event.type !== 'timer.memberSessionExpired' && event.type !== 'timer.memberRebalanceExpired') return {};
      return { deferred: [...context.deferred, event] };
    }),
    /** Too many heartbeats already wait behind the change being written: the member retries (see MAX_DEFERRED_HEARTBEATS). */
    refuseBusyHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.consumerGroupHeartbeat') return;
      const message = `The group has ${context.deferred.length} heartbeats waiting for its last change to be written; retry.`;
      perform(context, enqueue, [{ kind: 'respond', ref: event.ref, body: heartbeatRefusal('COORDINATOR_NOT_AVAILABLE', message) }]);
    }),
    /** The change is written (or failed): what waited is served now, in order (the first that writes makes the rest wait again). */
    resumeDeferred: enqueueActions(({ context, enqueue }) => {
      if (context.deferred.length === 0) return;
      enqueue.assign({ deferred: [] });
      for (const deferred of context.deferred) enqueue.raise(deferred);
    }),

    /** Leaving Stable or Empty: the group epoch was bumped, a rebalance starts (recorded with its cause). */
    openRebalanceRecord: assign(({ context }) => ({
      rebalances: openConsumerRebalance(context.rebalances, context.groupBeforeStep ?? context.group, context.lastCause ?? { trigger: 'join', reason: null }, assignorOf(context), context.ports.clock.now()),
    })),
    noteRebalanceEpoch: assign(({ context }) => ({ rebalances: noteConsumerEpoch(context.rebalances, context.group) })),
    /** Stable (every member at the target epoch) or Empty: the open rebalance is over. */
    settleRebalanceRecord: assign(({ context }) => ({ rebalances: settleConsumerRebalance(context.rebalances, context.group, consumerGroupStateOf(context.group), context.ports.clock.now()) })),

    commitOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.offsetCommit') return;
      const problem = commitProblem(context, event.body.memberId, event.body.generationIdOrMemberEpoch);
      perform(context, enqueue, offsetEffects(offsetCommitEffects(context.group.groupId, event.ref, event.body, problem, context.limits, context.ports.clock.now())));
    }),
    completeOffsetCommit: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'offsetCommit') return;
      const { ref, response } = pending.purpose;
      if (event.result.ok) enqueue.assign({ group: applyOffsetRecords(context.group, pending.records.filter((record): record is GroupRecord => !isConsumerRecord(record))) });
      const body = event.result.ok ? { throttleTimeMs: 0, topics: response.topics } : failedCommitAnswer(response, event.result.errorName);
      perform(withoutCompletedAppend(context, enqueue, event.token), enqueue, [{ kind: 'respond', ref, body }]);
    }),
    commitTxnOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.txnOffsetCommit') return;
      const problem = commitProblem(context, event.body.memberId, event.body.generationId);
      perform(context, enqueue, offsetEffects(txnOffsetCommitEffects(event.ref, event.body, problem, context.limits, context.ports.clock.now())));
    }),
    completeTxnOffsetCommit: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'txnOffsetCommit') return;
      const { ref, response, producerId } = pending.purpose;
      if (event.result.ok) enqueue.assign({ group: addPendingTransactionalOffsets(context.group, producerId, pending.records.filter((record): record is GroupRecord => !isConsumerRecord(record))) });
      const body = event.result.ok ? { throttleTimeMs: 0, topics: response.topics } : txnCommitAnswerWithError(response, appendErrorForCommit(event.result.errorName));
      perform(withoutCompletedAppend(context, enqueue, event.token), enqueue, [{ kind: 'respond', ref, body }]);
    }),
    /** OffsetDelete (KIP-496): a topic some member subscribes to keeps its offsets (GROUP_SUBSCRIBED_TO_TOPIC, Kafka's ConsumerGroup.isSubscribedToTopic). */
    deleteOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.offsetDelete') return;
      const subscribed = new Set(Object.values(context.group.members).flatMap((member) => member.subscribedTopicNames));
      perform(context, enqueue, offsetEffects(offsetDeleteEffects(context.group, subscribed, event.ref, event.body)));
    }),
    completeOffsetDelete: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'offsetDelete') return;
      if (event.result.ok) enqueue.assign({ group: applyOffsetRecords(context.group, pending.records.filter((record): record is GroupRecord => !isConsumerRecord(record))) });
      const body = event.result.ok ? offsetDeleteAnswer(pending.purpose.response) : failedOffsetDeleteAnswer(event.result.errorName);
      perform(withoutCompletedAppend(context, enqueue, event.token), enqueue, [{ kind: 'respond', ref: pending.purpose.ref, body }]);
    }),
    completeTransaction: assign(({ context, event }) => (event.type === 'txn.completed' ? { group: completeTransactionalOffsets(context.group, event.producerId, event.result) } : {})),
    forgetAppend: assign(({ context, event }) => (event.type === 'records.appended' ? { pendingAppends: withoutToken(context.pendingAppends, event.token) } : {})),

    /** DeleteGroups of an Empty group: its metadata and offsets are tombstoned (Kafka's ConsumerGroup.createGroupTombstoneRecords). */
    deleteGroup: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'group.delete') return;
      const records: ConsumerGroupAppendRecord[] = [...consumerGroupTombstones(context.group), ...deletionRecords(context.group).filter((record) => record.type === 'OffsetCommit')];
      perform(context, enqueue, [{ kind: 'append', records, purpose: { kind: 'groupDeletion' } }], event.token);
    }),
    refuseDeletion: ({ context, event }) => {
      if (event.type === 'group.delete') context.ports.deletionDone(event.token, 'NON_EMPTY_GROUP');
    },
    reportDeletion: ({ context, event }) => {
      if (event.type === 'records.appended') reportDeletionAppended(appendOf(context, event), event.result, context.ports.deletionDone);
    },
    /** Deleted or stopped: what waits on an append is answered COORDINATOR_NOT_AVAILABLE (clients retry). */
    settlePendingAppends: enqueueActions(({ context, enqueue }) => settlePending(context, enqueue, 'COORDINATOR_NOT_AVAILABLE')),
    /** The coordinator moved (unload): NOT_COORDINATOR, so members look the coordinator up again at once. */
    settlePendingAppendsAsMoved: enqueueActions(({ context, enqueue }) => settlePending(context, enqueue, 'NOT_COORDINATOR')),
  },
  guards: {
    groupIsEmpty: ({ context }) => consumerGroupStateOf(context.group) === 'Empty',
    groupIsAssigning: ({ context }) => consumerGroupStateOf(context.group) === 'Assigning',
    groupIsReconciling: ({ context }) => consumerGroupStateOf(context.group) === 'Reconciling',
    groupIsStable: ({ context }) => consumerGroupStateOf(context.group) === 'Stable',
    hasMembers: ({ context }) => Object.keys(context.group.members).length > 0,
    isHeartbeatAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'heartbeat',
    deferredHeartbeatsFull: ({ context }) => context.deferred.filter((deferred) => deferred.type === 'request.consumerGroupHeartbeat').length >= (context.config.maxDeferredHeartbeats ?? MAX_DEFERRED_HEARTBEATS),
    /** A heartbeat's or a fence's records are being written: the next change waits for them. */
    groupChangeInFlight: ({ context }) => Object.values(context.pendingAppends).some((pending) => pending.purpose.kind === 'heartbeat' || pending.purpose.kind === 'fence'),
    isFenceAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'fence',
    /** The timer is of a member still in the group (a timer of a member that left, or was replaced, is stale). */
    sessionReallyExpired: ({ context, event }) => event.type === 'timer.memberSessionExpired' && context.group.members[event.memberId] !== undefined && !isBeingFenced(context, event.memberId),
    /** The member is still revoking at the epoch it was asked at (it revoked meanwhile, or moved on: the timer is stale). */
    rebalanceReallyExpired: ({ context, event }) => {
      if (event.type !== 'timer.memberRebalanceExpired') return false;
      const member = context.group.members[event.memberId];
      return member !== undefined && member.state === 'UNREVOKED_PARTITIONS' && member.memberEpoch === event.memberEpoch && !isBeingFenced(context, event.memberId);
    },
    isOffsetCommitAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'offsetCommit',
    isTxnOffsetCommitAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'txnOffsetCommit',
    isOffsetDeleteAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'offsetDelete',
    isDeletionAppended: ({ context, event }) => event.type === 'records.appended' && event.result.ok && appendOf(context, event)?.purpose.kind === 'groupDeletion',
  },
});

/** The server assignor the group's target is computed with: the one its members ask for most, else the first configured (Kafka's). */
function assignorOf(context: ConsumerGroupContext): string {
  const configured = context.config.assignors[0] ?? 'uniform';
  return preferredServerAssignor(Object.values(context.group.members), context.config.assignors) ?? configured;
}

/** A fence of the member is already being written (a second timeout must not write it twice). */
function isBeingFenced(context: ConsumerGroupContext, memberId: string): boolean {
  return Object.values(context.pendingAppends).some((pending) => pending.purpose.kind === 'fence' && pending.purpose.memberId === memberId);
}

/** A fence's records appended (the group applies them once written), its member's timers cancelled. */
function fenceEffects(context: ConsumerGroupContext, memberId: string, cause: ConsumerRebalanceCause, rebalanceEpoch: number | null): ConsumerGroupEffect[] {
  const { records, timers } = runFence(context, memberId, rebalanceEpoch);
  if (records.length === 0) return timers;
  return [{ kind: 'append', records, purpose: { kind: 'fence', memberId, timers, cause } }];
}

export { emptyRebalanceLog };
export type { OffsetCommitResponseDraft };

