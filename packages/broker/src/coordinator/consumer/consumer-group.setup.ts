/**
 * The named actions, guards and delays of a KIP-848 consumer group's statechart (consumer-group.machine.ts), with
 * its context, events and ports. The rules are the pure core beside it (consumer-group-heartbeat.ts,
 * consumer-group-replay.ts); these actions run them, append their records to `__consumer_offsets` with acks=all
 * through the shard (as the classic group does, group.setup.ts) and apply the records only once the append
 * succeeded, so a coordinator that replays the partition rebuilds the same group.
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 */
import type { ConsumerGroupRecord, ErrorName, MetadataImage, RequestBody } from '@kactor/protocol';
import { errorByName, memberEpochs, wireLimits } from '@kactor/protocol';
import { serverAssignorByName, type ServerPartitionAssignor } from '@kactor/assignors';
import type { Clock, Logger, RequestRef, Responder } from '@kactor/runtime';
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { AppendResult, TransactionalWrite, TransactionResult } from '../../coordinator-runtime/coordinator-shard.js';
import type { AppendPurpose, GroupEffect, OffsetCommitResponseDraft } from '../group-effects.js';
import { appendErrorForCommit, applyOffsetRecords, commitAnswerWithError, deletionRecords, failedCommitAnswer, offsetCommitEffects } from '../group-offsets.js';
import type { GroupRecord } from '../group-records.js';
import { addPendingTransactionalOffsets, completeTransactionalOffsets, txnCommitAnswerWithError, txnOffsetCommitEffects } from '../group-txn-offsets.js';
import type { GroupLimits } from '../classic-group.js';
import { failedOffsetDeleteAnswer, offsetDeleteAnswer, offsetDeleteEffects } from '../group-offset-delete.js';
import { consumerGroupStateOf, type ConsumerGroupData, type ConsumerGroupStateName } from './consumer-group-data.js';
import { applyConsumerGroupRecord } from './consumer-group-replay.js';
import { consumerGroupHeartbeat, isHeartbeatRefusal, type ConsumerGroupTimer } from './consumer-group-heartbeat.js';
import { fenceMember, fenceMemberOnRebalanceTimeout } from './consumer-group-leave.js';
import { topicsOfImage } from './consumer-group-subscription.js';
import { validateOffsetCommit } from './consumer-group-offset-validation.js';
import { emptyRebalanceLog, type RebalanceLog } from '../rebalance-log.js';
import { noteConsumerAssignments, noteConsumerEpoch, openConsumerRebalance, settleConsumerRebalance, type ConsumerRebalanceCause } from '../rebalance-consumer.js';

export type { AppendResult } from '../../coordinator-runtime/coordinator-shard.js';

/** A record of either kind of group, as a consumer group appends them (its own, types 3 to 8, and offset commits). */
export type ConsumerGroupAppendRecord = GroupRecord | ConsumerGroupRecord;

/** The broker's group.consumer.* settings (Kafka's GroupCoordinatorConfig), read by every consumer group. */
export interface ConsumerGroupConfig {
  /** group.consumer.session.timeout.ms */
  sessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms */
  heartbeatIntervalMs: number;
  /** group.consumer.max.size */
  maxSize: number;
  /** group.consumer.assignors: the names members may ask for; the first is the default. */
  assignors: readonly string[];
  /** MAX_DEFERRED_HEARTBEATS unless given (tests lower it to reach it cheaply). */
  maxDeferredHeartbeats?: number;
}

export interface ConsumerGroupPorts {
  clock: Clock;
  logger: Logger;
  responder: Responder;
  /** The broker's current metadata image: the subscribed topics' ids and partition counts are read from it. */
  currentImage(): MetadataImage | null;
  /** Told when a DeleteGroups for this group finished (NONE) or was refused. */
  deletionDone(token: number, errorName: ErrorName): void;
}

export interface ConsumerGroupInput {
  group: ConsumerGroupData;
  config: ConsumerGroupConfig;
  /** offset.metadata.max.bytes and the other offset limits shared with classic groups. */
  limits: GroupLimits;
  ports: ConsumerGroupPorts;
}

/** Why a consumer group appends records: the offset purposes of classic groups, and its own. */
export type ConsumerAppendPurpose =
  | Extract<AppendPurpose, { kind: 'offsetCommit' | 'txnOffsetCommit' | 'offsetDelete' | 'groupDeletion' }>
  /** A heartbeat's records: the answer goes out once they are written. */
  | { kind: 'heartbeat'; ref: RequestRef; response: unknown; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause }
  /** The coordinator removed a member (session or rebalance timeout): nobody waits. */
  | { kind: 'fence'; memberId: string; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause };

export type ConsumerTimerEvent =
  | { type: 'timer.memberSessionExpired'; memberId: string }
  /** The member did not revoke within its rebalance timeout (it was asked at `memberEpoch`). */
  | { type: 'timer.memberRebalanceExpired'; memberId: string; memberEpoch: number };

export type ConsumerTimerEffect = { kind: 'startTimer'; event: ConsumerTimerEvent; delayMs: number } | { kind: 'cancelTimer'; event: ConsumerTimerEvent };

export interface PendingConsumerAppend {
  purpose: ConsumerAppendPurpose;
  records: ConsumerGroupAppendRecord[];
  deletionToken: number | null;
}

export interface ConsumerGroupContext extends ConsumerGroupInput {
  /** The state the chart is in, kept in context so that answers (describe, list) read it without the snapshot. */
  stateName: ConsumerGroupStateName;
  pendingAppends: Record<number, PendingConsumerAppend>;
  nextAppendToken: number;
  /** Every rebalance of the group, recorded for DescribeRebalances (bookkeeping only: no guard reads it). */
  rebalances: RebalanceLog;
  /** What the records being applied do (a join, a leave, a fence...), so that a rebalance they start is recorded with its cause. */
  lastCause: ConsumerRebalanceCause | null;
  /** The group before the step of records last applied: a rebalance that step starts is recorded from what members held before it. */
  groupBeforeStep: ConsumerGroupData | null;
  /**
   * Heartbeats and fences that arrived while another change of the group was being written, in arrival order. Each is
   * computed from the group once that change is applied, as Kafka's coordinator runtime serves a shard's writes one
   * after the other against its latest (uncommitted) state: two joins computed from the same group would both take
   * the next epoch and assign the same partitions.
   */
  deferred: DeferrableEvent[];
}

/**
 * Heartbeats one group keeps waiting behind the change being written (docs/LIMITS.md). Each member has one heartbeat in
 * flight at a time, so a group of at most wireLimits.maxGroupMembers members stays under it; past it a heartbeat is
 * answered COORDINATOR_NOT_AVAILABLE, which the member retries after its backoff. Timers always wait (two per member).
 */
export const MAX_DEFERRED_HEARTBEATS = wireLimits.maxGroupMembers;

/** The events that change the group's membership and so wait for the change being written. */
export type DeferrableEvent = Extract<ConsumerGroupEvent, { type: 'request.consumerGroupHeartbeat' | 'timer.memberSessionExpired' | 'timer.memberRebalanceExpired' }>;

export type ConsumerGroupEvent =
  | { type: 'request.consumerGroupHeartbeat'; ref: RequestRef; body: RequestBody<'consumerGroupHeartbeat'> }
  | { type: 'request.offsetCommit'; ref: RequestRef; body: RequestBody<'offsetCommit'> }
  | { type: 'request.txnOffsetCommit'; ref: RequestRef; body: RequestBody<'txnOffsetCommit'> }
  | { type: 'request.offsetDelete'; ref: RequestRef; body: RequestBody<'offsetDelete'> }
  | { type: 'txn.completed'; producerId: number; result: TransactionResult }
  | ConsumerTimerEvent
  | { type: 'records.appended'; token: number; result: AppendResult }
  /** One step of written records applied (raised per step so that the chart decides its state after each). */
  | { type: 'records.apply'; records: ConsumerGroupRecord[] }
  | { type: 'group.delete'; token: number }
  | { type: 'group.unload' };

/** Emitted when the group has records to write; the host appends them and sends `records.appended` back. */
export type ConsumerGroupEmitted = { type: 'records.toAppend'; token: number; records: ConsumerGroupAppendRecord[]; transactional?: TransactionalWrite | undefined };

export type ConsumerGroupEffect =
  | { kind: 'respond'; ref: RequestRef; body: unknown }
  | ConsumerTimerEffect
  | { kind: 'append'; records: ConsumerGroupAppendRecord[]; purpose: ConsumerAppendPurpose; transactional?: TransactionalWrite };

/** The part of XState's `enqueue` that `perform` uses. */
interface Enqueue {
  (action: (args: { self: AnyActorRef }) => void): void;
  assign(values: Partial<ConsumerGroupContext>): void;
  emit(event: ConsumerGroupEmitted): void;
  cancel(id: string): void;
  raise(event: ConsumerGroupEvent, options?: { delay: number; id: string }): void;
}

/** One id per timer subject, so starting a timer again replaces it (Kafka's keyed timers). */
export function consumerTimerId(event: ConsumerTimerEvent): string {
  return event.type === 'timer.memberSessionExpired' ? `session-${event.memberId}` : `rebalance-${event.memberId}`;
}

function performTimer(enqueue: Enqueue, effect: ConsumerTimerEffect): void {
  enqueue.cancel(consumerTimerId(effect.event));
  if (effect.kind === 'startTimer') enqueue.raise(effect.event, { delay: effect.delayMs, id: consumerTimerId(effect.event) });
}

/** Performs effects in order: answers, keyed timers, appends (each remembered under a token until it completes). */
function perform(context: ConsumerGroupContext, enqueue: Enqueue, effects: readonly ConsumerGroupEffect[], deletionToken: number | null = null): void {
  let nextAppendToken = context.nextAppendToken;
  const pendingAppends = { ...context.pendingAppends };
  for (const effect of effects) {
    if (effect.kind === 'respond') {
      enqueue(() => context.ports.responder.respond(effect.ref as RequestRef & { api: 'heartbeat' }, effect.body as never));
    } else if (effect.kind === 'append') {
      const token = nextAppendToken;
      nextAppendToken += 1;
      pendingAppends[token] = { purpose: effect.purpose, records: effect.records, deletionToken };
      enqueue.emit({ type: 'records.toAppend', token, records: effect.records, transactional: effect.transactional });
    } else {
      performTimer(enqueue, effect);
    }
  }
  enqueue.assign({ pendingAppends, nextAppendToken });
}

/** The offset rules shared with classic groups answer or append; they never start timers here. */
function offsetEffects(effects: readonly GroupEffect[]): ConsumerGroupEffect[] {
  return effects.map((effect) => {
    if (effect.kind === 'respond') return effect;
    if (effect.kind === 'append' && effect.purpose.kind !== 'groupMetadata' && effect.purpose.kind !== 'staticReplacement') {
      return { kind: 'append', records: effect.records, purpose: effect.purpose, ...(effect.transactional === undefined ? {} : { transactional: effect.transactional }) };
    }
    throw new Error(`a consumer group cannot perform a classic group's ${effect.kind} effect`);
  });
}

function appendOf(context: ConsumerGroupContext, event: ConsumerGroupEvent): PendingConsumerAppend | undefined {
  return event.type === 'records.appended' ? context.pendingAppends[event.token] : undefined;
}

function withoutToken(pending: Record<number, PendingConsumerAppend>, token: number): Record<number, PendingConsumerAppend> {
  const copy = { ...pending };
  delete copy[token];
  return copy;
}

const isConsumerRecord = (record: ConsumerGroupAppendRecord): record is ConsumerGroupRecord => record.type !== 'OffsetCommit' && record.type !== 'GroupMetadata';

/**
 * Kafka's heartbeat takes three steps, and its records come in that order: the member and the group epoch (with the
 * subscribed topics' metadata), then the target assignment, then the member's current assignment. Applying them step
 * by step lets the chart pass through the states Kafka's group passes through: Assigning once the epoch is bumped,
 * Reconciling once the target is there, Stable once every member reached it. Removals (tombstones) belong to the
 * first step. Order within a step is the records' own.
 */
export function recordSteps(records: readonly ConsumerGroupAppendRecord[]): ConsumerGroupRecord[][] {
  const steps: ConsumerGroupRecord[][] = [[], [], []];
  for (const record of records) {
    if (!isConsumerRecord(record)) continue;
    const target = record.type === 'ConsumerGroupTargetAssignmentMember' || record.type === 'ConsumerGroupTargetAssignmentMetadata';
    const current = record.type === 'ConsumerGroupCurrentMemberAssignment';
    const step = record.value === null ? 0 : target ? 1 : current ? 2 : 0;
    steps[step]?.push(record);
  }
  return steps.filter((step) => step.length > 0);
}

/** Raises the written records step by step (see recordSteps); the chart takes its eventless transitions between them. */
function raiseRecordSteps(enqueue: Enqueue, records: readonly ConsumerGroupAppendRecord[]): void {
  for (const step of recordSteps(records)) enqueue.raise({ type: 'records.apply', records: step });
}

/** Answers every request still waiting on an append with `errorName` and forgets the appends. */
function settlePending(context: ConsumerGroupContext, enqueue: Enqueue, errorName: 'COORDINATOR_NOT_AVAILABLE' | 'NOT_COORDINATOR'): void {
  const effects: ConsumerGroupEffect[] = [];
  for (const pending of Object.values(context.pendingAppends)) {
    if (pending.deletionToken !== null) context.ports.deletionDone(pending.deletionToken, errorName);
    const { purpose } = pending;
    if (purpose.kind === 'offsetCommit') effects.push({ kind: 'respond', ref: purpose.ref, body: commitAnswerWithError(purpose.response, errorName) });
    if (purpose.kind === 'txnOffsetCommit') effects.push({ kind: 'respond', ref: purpose.ref, body: txnCommitAnswerWithError(purpose.response, errorName) });
    if (purpose.kind === 'offsetDelete') effects.push({ kind: 'respond', ref: purpose.ref, body: failedOffsetDeleteAnswer(errorName) });
    if (purpose.kind === 'heartbeat') effects.push({ kind: 'respond', ref: purpose.ref, body: heartbeatRefusal(errorName) });
  }
  for (const deferred of context.deferred) if (deferred.type === 'request.consumerGroupHeartbeat') effects.push({ kind: 'respond', ref: deferred.ref, body: heartbeatRefusal(errorName) });
  enqueue.assign({ deferred: [] });
  perform(context, enqueue, effects);
  enqueue.assign({ pendingAppends: {} });
}

/** A ConsumerGroupHeartbeat answer carrying only an error (Kafka's, with the error's message). */
export function heartbeatRefusal(errorName: ErrorName, errorMessage: string | null = null): Record<string, unknown> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorName).code, errorMessage, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
}

/**
 * What a heartbeat whose records could not be written answers: as a commit's append failure, mapped to what the
 * member does next (NOT_COORDINATOR: find the coordinator again; COORDINATOR_NOT_AVAILABLE: retry), as Kafka does.
 */
export function heartbeatAppendError(errorName: ErrorName): ErrorName {
  const mapped = appendErrorForCommit(errorName);
  return mapped === 'NOT_COORDINATOR' ? 'NOT_COORDINATOR' : mapped === 'UNKNOWN_SERVER_ERROR' ? 'UNKNOWN_SERVER_ERROR' : 'COORDINATOR_NOT_AVAILABLE';
}

export const consumerGroupSetup = setup({
  types: { context: {} as ConsumerGroupContext, events: {} as ConsumerGroupEvent, input: {} as ConsumerGroupInput, emitted: {} as ConsumerGroupEmitted },
  actions: {
    enterEmpty: assign({ stateName: 'Empty' as const }),
    enterAssigning: assign({ stateName: 'Assigning' as const }),
    enterReconciling: assign({ stateName: 'Reconciling' as const }),
    enterStable: assign({ stateName: 'Stable' as const }),
    enterDead: assign({ stateName: 'Dead' as const }),

    /** Loaded groups keep their members; each gets a full session timeout to heartbeat again (Kafka's onLoaded). */
    startLoadedSessions: enqueueActions(({ context, enqueue }) => {
      const effects: ConsumerGroupEffect[] = Object.keys(context.group.members).map((memberId) => ({
        kind: 'startTimer',
        event: { type: 'timer.memberSessionExpired', memberId },
        delayMs: context.config.sessionTimeoutMs,
      }));
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
      const rest = { ...context, pendingAppends: withoutToken(context.pendingAppends, event.token) };
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
      const rest = { ...context, pendingAppends: withoutToken(context.pendingAppends, event.token) };
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
      rebalances: openConsumerRebalance(context.rebalances, context.groupBeforeStep ?? context.group, context.lastCause ?? { trigger: 'join', reason: null }, context.config.assignors[0] ?? 'uniform', context.ports.clock.now()),
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
      perform({ ...context, pendingAppends: withoutToken(context.pendingAppends, event.token) }, enqueue, [{ kind: 'respond', ref, body }]);
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
      perform({ ...context, pendingAppends: withoutToken(context.pendingAppends, event.token) }, enqueue, [{ kind: 'respond', ref, body }]);
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
      perform({ ...context, pendingAppends: withoutToken(context.pendingAppends, event.token) }, enqueue, [{ kind: 'respond', ref: pending.purpose.ref, body }]);
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
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.deletionToken == null) return;
      context.ports.deletionDone(pending.deletionToken, event.result.ok ? 'NONE' : 'COORDINATOR_NOT_AVAILABLE');
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

/** The tombstones that end a consumer group's own records (offsets are tombstoned beside them). */
export function consumerGroupTombstones(group: ConsumerGroupData): ConsumerGroupRecord[] {
  const { groupId } = group;
  const records: ConsumerGroupRecord[] = [];
  for (const memberId of Object.keys(group.members)) {
    records.push({ type: 'ConsumerGroupCurrentMemberAssignment', groupId, memberId, value: null });
    records.push({ type: 'ConsumerGroupTargetAssignmentMember', groupId, memberId, value: null });
    records.push({ type: 'ConsumerGroupMemberMetadata', groupId, memberId, value: null });
  }
  records.push({ type: 'ConsumerGroupTargetAssignmentMetadata', groupId, value: null });
  records.push({ type: 'ConsumerGroupPartitionMetadata', groupId, value: null });
  records.push({ type: 'ConsumerGroupMetadata', groupId, value: null });
  return records;
}

export { emptyRebalanceLog };
export type { OffsetCommitResponseDraft };

// The pure core's entry points (consumer-group-heartbeat.ts, consumer-group-leave.ts, consumer-group-replay.ts), adapted to the chart's effects.

type HeartbeatOutcome =
  | { refusal: { errorName: ErrorName; errorMessage: string | null }; timers: ConsumerTimerEffect[] }
  | { records: ConsumerGroupRecord[]; response: unknown; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause };

/** group.consumer.assignors as instances, in the configured order (names kactor does not implement are left out: UNSUPPORTED_ASSIGNOR). */
function configuredAssignors(names: readonly string[]): Map<string, ServerPartitionAssignor> {
  const assignors = new Map<string, ServerPartitionAssignor>();
  for (const name of names) {
    const assignor = serverAssignorByName(name);
    if (assignor !== undefined) assignors.set(name, assignor);
  }
  return assignors;
}

function timerEffect(timer: ConsumerGroupTimer): ConsumerTimerEffect {
  switch (timer.type) {
    case 'scheduleSessionTimeout':
      return { kind: 'startTimer', event: { type: 'timer.memberSessionExpired', memberId: timer.memberId }, delayMs: timer.timeoutMs };
    case 'cancelSessionTimeout':
      return { kind: 'cancelTimer', event: { type: 'timer.memberSessionExpired', memberId: timer.memberId } };
    case 'scheduleRebalanceTimeout':
      return { kind: 'startTimer', event: { type: 'timer.memberRebalanceExpired', memberId: timer.memberId, memberEpoch: timer.memberEpoch }, delayMs: timer.timeoutMs };
    case 'cancelRebalanceTimeout':
      return { kind: 'cancelTimer', event: { type: 'timer.memberRebalanceExpired', memberId: timer.memberId, memberEpoch: -1 } };
  }
}

/** What a heartbeat does to the group, in DescribeRebalances' trigger names (it matters when it bumps the group epoch). */
function heartbeatCause(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>): ConsumerRebalanceCause {
  const member = group.members[request.memberId];
  if (request.memberEpoch === memberEpochs.leave || request.memberEpoch === memberEpochs.leaveStatic) return { trigger: 'leave', reason: `member ${request.memberId} left the group` };
  if (request.memberEpoch === memberEpochs.join) {
    if (member !== undefined) return { trigger: 'rejoin', reason: `member ${request.memberId} joined again` };
    const replaces = request.instanceId !== null && Object.values(group.members).some((other) => other.instanceId === request.instanceId);
    return replaces ? { trigger: 'static-member-replaced', reason: `a new incarnation of static member ${request.instanceId} joined` } : { trigger: 'join', reason: `member ${request.memberId} joined` };
  }
  const names = request.subscribedTopicNames === null ? null : [...new Set(request.subscribedTopicNames)].sort();
  if (member !== undefined && names !== null && names.join('\u0000') !== member.subscribedTopicNames.join('\u0000')) return { trigger: 'subscription-change', reason: `member ${request.memberId} changed its subscription` };
  return { trigger: 'partition-change', reason: 'the subscribed topics changed' };
}

function runHeartbeat(context: ConsumerGroupContext, ref: RequestRef, request: RequestBody<'consumerGroupHeartbeat'>): HeartbeatOutcome {
  const image = context.ports.currentImage();
  const result = consumerGroupHeartbeat(context.group, request, {
    nowMs: context.ports.clock.now(),
    topics: image === null ? new Map() : topicsOfImage(image),
    assignors: configuredAssignors(context.config.assignors),
    defaultAssignor: context.config.assignors[0] ?? 'uniform',
    heartbeatIntervalMs: context.config.heartbeatIntervalMs,
    sessionTimeoutMs: context.config.sessionTimeoutMs,
    maxSize: context.config.maxSize,
    // kactor's request header carries no client.id (Kafka's does); the member is known by its id and address.
    clientId: '',
    clientHost: ref.remoteAddress,
  });
  if (isHeartbeatRefusal(result)) return { refusal: result, timers: [] };
  return { records: result.records, response: result.response, timers: result.timers.map(timerEffect), cause: heartbeatCause(context.group, request) };
}

function runFence(context: ConsumerGroupContext, memberId: string, rebalanceEpoch: number | null): { records: ConsumerGroupRecord[]; timers: ConsumerTimerEffect[] } {
  const change = rebalanceEpoch === null ? fenceMember(context.group, memberId) : fenceMemberOnRebalanceTimeout(context.group, memberId, rebalanceEpoch);
  return change === null ? { records: [], timers: [] } : { records: change.records, timers: change.timers.map(timerEffect) };
}

/** OffsetCommit / TxnOffsetCommit by member epoch (Kafka's ConsumerGroup.validateOffsetCommit). */
function commitProblem(context: ConsumerGroupContext, memberId: string, memberEpoch: number): ErrorName | undefined {
  return validateOffsetCommit(context.group, memberId, memberEpoch);
}

function applyRecord(group: ConsumerGroupData, record: ConsumerGroupRecord): ConsumerGroupData {
  return applyConsumerGroupRecord(group, record);
}
