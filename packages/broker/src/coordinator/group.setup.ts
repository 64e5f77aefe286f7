/**
 * The named actions, guards and delays of the group coordinator's statechart (group.machine.ts), with the
 * group's context, events and ports. Kept apart from the states so each file reads on its own: the
 * visualizer shows these names on the transitions of group.machine.ts.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import type { Clock, Logger, RequestRef, Responder } from '@kactor/runtime';
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import {
  allMembersJoined,
  isMember,
  joinRequestProblem,
  memberList,
  newMemberId,
  protocolsEqual,
  rebalanceTimeoutMs,
  supportsProtocols,
  type ClassicGroupData,
  type ClassicGroupStateName,
  type GroupLimits,
} from './classic-group.js';
import { timerId, type AppendPurpose, type GroupTimerEvent, type Outcome } from './group-effects.js';
import { addMember, completeJoin, joinAnswer, membersRejoined, rejectJoin, removeMembers, requireMemberId, updateMember } from './group-join.js';
import { appendErrorForCommit, applyOffsetRecords, deletionRecords, failedCommitAnswer, prepareOffsetCommit } from './group-offsets.js';
import { addPendingTransactionalOffsets, completeTransactionalOffsets, prepareTxnOffsetCommit, txnCommitAnswerWithError } from './group-txn-offsets.js';
import { reportDeletionAppended, unwrittenAppendAnswers, withoutToken, type PendingGroupAppend, type UnwrittenAppendError } from './group-pending-appends.js';
import type { AppendResult, TransactionalWrite, TransactionResult } from '../coordinator-runtime/coordinator-shard.js';
import { failedOffsetDeleteAnswer, offsetDeleteAnswer, prepareOffsetDelete } from './group-offset-delete.js';
import type { GroupMetadataValue, GroupRecord } from './group-records.js';
import { applyAssignments, failParkedSyncs, heartbeat, leave, parkSync, proposeAssignments, syncAnswer, syncProblem } from './group-sync.js';
import { effectiveGroupMaxSize, syncErrorBody } from './group-join.js';
import {
  completeStaticReplacement,
  isStaticRejoin,
  memberProblem,
  replaceForRebalance,
  replacementKeepsProtocol,
  replaceWithoutRebalance,
  revertStaticReplacement,
  staticJoinMemberId,
} from './static-members.js';
import { noteGeneration, settle, type RebalanceLog } from './rebalance-log.js';
import { atAssignmentsAppended, atJoin, atSyncAnswer, atTrigger } from './rebalance-tracking.js';

export type { AppendResult } from '../coordinator-runtime/coordinator-shard.js';

export interface GroupPorts {
  clock: Clock;
  logger: Logger;
  responder: Responder;
  /** A unique suffix for new member ids. */
  uniqueId(): string;
  /** Told when a DeleteGroups for this group finished (NONE) or was refused. */
  deletionDone(token: number, errorName: ErrorName): void;
}

export interface GroupInput {
  group: ClassicGroupData;
  limits: GroupLimits;
  ports: GroupPorts;
}

type PendingAppend = PendingGroupAppend<AppendPurpose, GroupRecord>;

export interface GroupContext extends GroupInput {
  /** The top-level state, kept in context so that handlers can apply Kafka's per-state rules. */
  stateName: ClassicGroupStateName;
  /** group.initial.rebalance.delay.ms bookkeeping (Kafka's InitialDelayedJoin). */
  initialDelay: { delayMs: number; remainingMs: number; newMemberAdded: boolean };
  pendingAppends: Record<number, PendingAppend>;
  nextAppendToken: number;
  /** Every rebalance of the group, recorded for DescribeRebalances (bookkeeping only: no guard reads it). */
  rebalances: RebalanceLog;
}

export type GroupEvent =
  | { type: 'request.joinGroup'; ref: RequestRef; body: RequestBody<'joinGroup'> }
  | { type: 'request.syncGroup'; ref: RequestRef; body: RequestBody<'syncGroup'> }
  | { type: 'request.heartbeat'; ref: RequestRef; body: RequestBody<'heartbeat'> }
  | { type: 'request.leaveGroup'; ref: RequestRef; body: RequestBody<'leaveGroup'> }
  | { type: 'request.offsetCommit'; ref: RequestRef; body: RequestBody<'offsetCommit'> }
  | { type: 'request.offsetDelete'; ref: RequestRef; body: RequestBody<'offsetDelete'> }
  | { type: 'request.txnOffsetCommit'; ref: RequestRef; body: RequestBody<'txnOffsetCommit'> }
  /** A producer's transaction marker was written (or replayed) on the group's partition: its pending offsets are decided. */
  | { type: 'txn.completed'; producerId: number; result: TransactionResult }
  | GroupTimerEvent
  | { type: 'records.appended'; token: number; result: AppendResult }
  | { type: 'group.delete'; token: number }
  | { type: 'group.unload' };

/**
 * Emitted when the group has records to write to its `__consumer_offsets` partition. The host appends them
 * (connectGroupAppends) and sends `records.appended` back. An emitted event reaches its listener after the
 * group's step is done, so the partition's actor never runs inside one of the group's actions.
 */
export type GroupEmitted = { type: 'records.toAppend'; token: number; records: GroupRecord[]; transactional?: TransactionalWrite | undefined };

/** The part of XState's `enqueue` that `perform` uses. */
interface Enqueue {
  (action: (args: { self: AnyActorRef }) => void): void;
  assign(values: Partial<GroupContext>): void;
  emit(event: GroupEmitted): void;
  cancel(id: string): void;
  raise(event: GroupEvent, options: { delay: number; id: string }): void;
}

/**
 * Performs effects in order: answers, keyed timers (a restart replaces the previous timer), appends. The context is
 * assigned only what changed: a heartbeat of a stable member (an answer and its session timer restarted) leaves the
 * group's context as it was, as Kafka's heartbeat builds no new group state.
 */
function perform(context: GroupContext, enqueue: Enqueue, outcome: Outcome<ClassicGroupData>, deletionToken: number | null = null): void {
  let nextAppendToken = context.nextAppendToken;
  let pendingAppends: GroupContext['pendingAppends'] | undefined;
  for (const effect of outcome.effects) {
    switch (effect.kind) {
      case 'respond':
        enqueue(() => context.ports.responder.respond(effect.ref as RequestRef & { api: 'heartbeat' }, effect.body as never));
        break;
      case 'startTimer':
        enqueue.cancel(timerId(effect.event));
        enqueue.raise(effect.event, { delay: effect.delayMs, id: timerId(effect.event) });
        break;
      case 'cancelTimer':
        enqueue.cancel(timerId(effect.event));
        break;
      case 'append': {
        const token = nextAppendToken;
        nextAppendToken += 1;
        pendingAppends ??= { ...context.pendingAppends };
        pendingAppends[token] = { purpose: effect.purpose, records: effect.records, deletionToken };
        enqueue.emit({ type: 'records.toAppend', token, records: effect.records, transactional: effect.transactional });
        break;
      }
    }
  }
  if (pendingAppends !== undefined) enqueue.assign({ group: outcome.group, pendingAppends, nextAppendToken });
  else if (outcome.group !== context.group) enqueue.assign({ group: outcome.group });
}

function joinEvent(event: GroupEvent): Extract<GroupEvent, { type: 'request.joinGroup' }> | undefined {
  return event.type === 'request.joinGroup' ? event : undefined;
}

/** Answers every request still waiting on an append with `errorName` and forgets the appends. */
function settlePending(context: GroupContext, enqueue: Enqueue, errorName: UnwrittenAppendError): void {
  perform(context, enqueue, { group: context.group, effects: unwrittenAppendAnswers(context.pendingAppends, errorName, context.ports.deletionDone) });
  enqueue.assign({ pendingAppends: {} });
}

function appendOf(context: GroupContext, event: GroupEvent): PendingAppend | undefined {
  return event.type === 'records.appended' ? context.pendingAppends[event.token] : undefined;
}

function entered(context: GroupContext, stateName: ClassicGroupStateName): Partial<GroupContext> {
  return { stateName, group: { ...context.group, currentStateTimestampMs: context.ports.clock.now() } };
}

export const groupSetup = setup({
  types: { context: {} as GroupContext, events: {} as GroupEvent, input: {} as GroupInput, emitted: {} as GroupEmitted },
  actions: {
    enterEmpty: assign(({ context }) => entered(context, 'Empty')),
    enterPreparingRebalance: assign(({ context }) => entered(context, 'PreparingRebalance')),
    enterCompletingRebalance: assign(({ context }) => entered(context, 'CompletingRebalance')),
    enterStable: assign(({ context }) => entered(context, 'Stable')),
    enterDead: assign(({ context }) => entered(context, 'Dead')),
    /** Loaded groups with members start Stable; their members get a full session timeout to heartbeat. */
    startLoadedSessions: enqueueActions(({ context, enqueue }) => {
      perform(context, enqueue, {
        group: context.group,
        effects: memberList(context.group).map((member) => ({
          kind: 'startTimer' as const,
          event: { type: 'timer.sessionExpired' as const, memberId: member.memberId },
          delayMs: member.sessionTimeoutMs,
        })),
      });
    }),

    rejectInvalidJoin: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join === undefined) return;
      const problem = joinRequestProblem(join.body, context.limits) ?? 'INCONSISTENT_GROUP_PROTOCOL';
      perform(context, enqueue, { group: context.group, effects: rejectJoin(join.ref, problem, join.body.memberId) });
    }),
    rejectUnknownMember: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, { group: context.group, effects: rejectJoin(join.ref, 'UNKNOWN_MEMBER_ID', join.body.memberId) });
    }),
    requireMemberId: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, requireMemberId(context.group, join.ref, join.body, context.limits, context.ports.uniqueId()));
    }),
    addMember: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join === undefined) return;
      perform(context, enqueue, addMember(context.group, join.ref, join.body, context.limits));
      enqueue.assign({ initialDelay: { ...context.initialDelay, newMemberAdded: true } });
    }),
    /** Kafka's JoinGroup before v4 (before KIP-394): a member without an id is given one and joins at once. */
    addMemberWithNewId: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join === undefined) return;
      const body = { ...join.body, memberId: newMemberId(join.body.clientId, context.ports.uniqueId()) };
      perform(context, enqueue, addMember(context.group, join.ref, body, context.limits));
      enqueue.assign({ initialDelay: { ...context.initialDelay, newMemberAdded: true } });
    }),
    /** KIP-345: a static member joins without the MEMBER_ID_REQUIRED round trip, with an id made from its instance id. */
    addStaticMember: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join === undefined) return;
      const body = { ...join.body, memberId: staticJoinMemberId(join.body, context.ports.uniqueId()) };
      perform(context, enqueue, addMember(context.group, join.ref, body, context.limits));
      enqueue.assign({ initialDelay: { ...context.initialDelay, newMemberAdded: true } });
    }),
    rejectFullGroup: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, { group: context.group, effects: rejectJoin(join.ref, 'GROUP_MAX_SIZE_REACHED') });
    }),
    rejectJoinMemberProblem: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join === undefined) return;
      const problem = memberProblem(context.group, join.body.memberId, join.body.groupInstanceId) ?? 'UNKNOWN_MEMBER_ID';
      perform(context, enqueue, { group: context.group, effects: rejectJoin(join.ref, problem, join.body.memberId) });
    }),
    /** A restarted static member takes over a new member id and joins the rebalance in its old id's place. */
    replaceStaticMemberForRebalance: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, replaceForRebalance(context.group, join.ref, join.body, context.ports.uniqueId()));
    }),
    /** Stable and the selected protocol stays: no rebalance, the group is written with the new member id first. */
    replaceStaticMemberWithoutRebalance: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, replaceWithoutRebalance(context.group, join.ref, join.body, context.ports.uniqueId()));
    }),
    finishStaticReplacement: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending?.purpose.kind !== 'staticReplacement') return;
      const { replacement } = pending.purpose;
      perform(context, enqueue, event.result.ok ? completeStaticReplacement(context.group, replacement) : revertStaticReplacement(context.group, replacement, event.result.errorName));
      enqueue.assign({ pendingAppends: withoutToken(context.pendingAppends, event.token) });
    }),
    updateMember: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      if (join !== undefined) perform(context, enqueue, updateMember(context.group, join.ref, join.body));
    }),
    answerJoinWithCurrentGeneration: enqueueActions(({ context, event, enqueue }) => {
      const join = joinEvent(event);
      const member = join === undefined ? undefined : context.group.members[join.body.memberId];
      if (join === undefined || member === undefined) return;
      perform(context, enqueue, { group: context.group, effects: [{ kind: 'respond', ref: join.ref, body: joinAnswer(context.group, member) }] });
    }),
    /** Kafka's InitialDelayedJoin: wait group.initial.rebalance.delay.ms, but never past the rebalance timeout. */
    startInitialDelay: assign(({ context }) => {
      const timeout = rebalanceTimeoutMs(context.group);
      const delayMs = Math.min(context.limits.groupInitialRebalanceDelayMs, timeout);
      return { initialDelay: { delayMs, remainingMs: Math.max(timeout - context.limits.groupInitialRebalanceDelayMs, 0), newMemberAdded: false } };
    }),
    extendInitialDelay: assign(({ context }) => {
      const configured = context.limits.groupInitialRebalanceDelayMs;
      const { remainingMs } = context.initialDelay;
      return { initialDelay: { delayMs: Math.min(configured, remainingMs), remainingMs: Math.max(remainingMs - configured, 0), newMemberAdded: false } };
    }),
    /** The group leaves Stable or Empty: a rebalance starts (or a cooperative second round continues the open record). */
    openRebalanceRecord: assign(({ context, event }) => ({ rebalances: atTrigger(context.rebalances, context.group, event, context.ports.clock.now()) })),
    noteRebalanceJoin: assign(({ context, event }) => ({ rebalances: atJoin(context.rebalances, context.group, event, context.ports.clock.now()) })),
    noteRebalanceGeneration: assign(({ context }) => ({ rebalances: noteGeneration(context.rebalances, context.group) })),
    /** The assignment is in the log: every parked SyncGroup is about to be answered with it. */
    noteRebalanceAssignments: assign(({ context, event }) => {
      const pending = appendOf(context, event);
      const value = pending?.records[0]?.type === 'GroupMetadata' ? pending.records[0].value : null;
      return { rebalances: atAssignmentsAppended(context.rebalances, context.group, value, context.ports.clock.now()) };
    }),
    noteRebalanceSyncAnswer: assign(({ context, event }) => ({ rebalances: atSyncAnswer(context.rebalances, context.group, event, context.ports.clock.now()) })),
    settleRebalanceRecord: assign(({ context }) => ({ rebalances: settle(context.rebalances, context.group, context.stateName, context.ports.clock.now()) })),
    completeJoinPhase: enqueueActions(({ context, enqueue }) => {
      perform(context, enqueue, completeJoin(context.group, context.ports.clock.now()));
    }),

    parkSync: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.syncGroup') perform(context, enqueue, parkSync(context.group, event.ref, event.body.memberId));
    }),
    proposeLeaderAssignments: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.syncGroup') return;
      const parked = parkSync(context.group, event.ref, event.body.memberId);
      const proposal = proposeAssignments(parked.group, event.body);
      perform(context, enqueue, { group: parked.group, effects: [...parked.effects, ...proposal.effects] });
    }),
    answerSyncWithAssignment: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.syncGroup') return;
      const member = context.group.members[event.body.memberId];
      if (member === undefined) return;
      perform(context, enqueue, {
        group: { ...context.group, pendingSyncMemberIds: context.group.pendingSyncMemberIds.filter((id) => id !== member.memberId) },
        effects: [{ kind: 'respond', ref: event.ref, body: syncAnswer(context.group, member.assignment) }],
      });
    }),
    rejectSync: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.syncGroup') return;
      const problem = syncProblem(context.group, context.stateName, event.body) ?? 'UNKNOWN_SERVER_ERROR';
      perform(context, enqueue, { group: context.group, effects: [{ kind: 'respond', ref: event.ref, body: syncErrorBody(problem) }] });
    }),
    applyAssignments: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      const value = pending?.records[0]?.type === 'GroupMetadata' ? pending.records[0].value : null;
      if (event.type !== 'records.appended' || value === null) return;
      const applied = applyAssignments(context.group, value as GroupMetadataValue, context.ports.clock.now());
      perform(context, enqueue, applied);
      enqueue.assign({ pendingAppends: withoutToken(context.pendingAppends, event.token) });
    }),
    failParkedSyncs: enqueueActions(({ context, enqueue }) => {
      perform(context, enqueue, failParkedSyncs(context.group, 'REBALANCE_IN_PROGRESS'));
    }),

    answerHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.heartbeat') perform(context, enqueue, { group: context.group, effects: heartbeat(context.group, context.stateName, event.ref, event.body) });
    }),
    leave: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.leaveGroup') perform(context, enqueue, leave(context.group, event.ref, event.body));
    }),
    expireMemberSession: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.sessionExpired') return;
      context.ports.logger.info({ memberId: event.memberId }, 'member session expired: removing it');
      perform(context, enqueue, removeMembers(context.group, [event.memberId]));
    }),
    expirePendingMember: assign(({ context, event }) => {
      if (event.type !== 'timer.pendingMemberExpired') return {};
      return { group: { ...context.group, pendingMemberIds: context.group.pendingMemberIds.filter((id) => id !== event.memberId) } };
    }),
    expireNewMember: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer.newMemberJoinExpired') perform(context, enqueue, removeMembers(context.group, [event.memberId]));
    }),
    removeUnsyncedMembers: enqueueActions(({ context, enqueue }) => {
      context.ports.logger.info({ members: context.group.pendingSyncMemberIds }, 'members did not send SyncGroup in time: removing them');
      perform(context, enqueue, removeMembers(context.group, context.group.pendingSyncMemberIds));
    }),

    commitOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.offsetCommit') return;
      const effects = prepareOffsetCommit(context.group, context.stateName, context.group.groupId, event.ref, event.body, context.limits, context.ports.clock.now());
      perform(context, enqueue, { group: context.group, effects });
    }),
    completeOffsetCommit: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending === undefined || pending.purpose.kind !== 'offsetCommit') return;
      const { ref, response } = pending.purpose;
      const group = event.result.ok ? applyOffsetRecords(context.group, pending.records) : context.group;
      const body = event.result.ok ? { throttleTimeMs: 0, topics: response.topics } : failedCommitAnswer(response, event.result.errorName);
      perform(context, enqueue, { group, effects: [{ kind: 'respond', ref, body }] });
      enqueue.assign({ pendingAppends: withoutToken(context.pendingAppends, event.token) });
    }),
    /** TxnOffsetCommit (KIP-447): refused (a zombie of an old generation), answered at once, or appended as the producer's transactional records. */
    commitTxnOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.txnOffsetCommit') return;
      const effects = prepareTxnOffsetCommit(context.group, context.stateName, event.ref, event.body, context.limits, context.ports.clock.now());
      perform(context, enqueue, { group: context.group, effects });
    }),
    /** The transactional offsets are written: pending under their producer until its marker; the producer is answered. */
    completeTxnOffsetCommit: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending === undefined || pending.purpose.kind !== 'txnOffsetCommit') return;
      const { ref, response, producerId } = pending.purpose;
      const group = event.result.ok ? addPendingTransactionalOffsets(context.group, producerId, pending.records) : context.group;
      const body = event.result.ok ? { throttleTimeMs: 0, topics: response.topics } : txnCommitAnswerWithError(response, appendErrorForCommit(event.result.errorName));
      perform(context, enqueue, { group, effects: [{ kind: 'respond', ref, body }] });
      enqueue.assign({ pendingAppends: withoutToken(context.pendingAppends, event.token) });
    }),
    /** The producer's marker: COMMIT applies its pending offsets, ABORT drops them. */
    completeTransaction: assign(({ context, event }) => (event.type === 'txn.completed' ? { group: completeTransactionalOffsets(context.group, event.producerId, event.result) } : {})),
    /** OffsetDelete (KIP-496): refused, answered at once, or tombstones appended first. */
    deleteOffsets: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.offsetDelete') return;
      perform(context, enqueue, { group: context.group, effects: prepareOffsetDelete(context.group, context.stateName, event.ref, event.body) });
    }),
    /** The tombstones are in the log (the offsets go) or could not be written (they stay); either way the request is answered. */
    completeOffsetDelete: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (event.type !== 'records.appended' || pending === undefined || pending.purpose.kind !== 'offsetDelete') return;
      const group = event.result.ok ? applyOffsetRecords(context.group, pending.records) : context.group;
      const body = event.result.ok ? offsetDeleteAnswer(pending.purpose.response) : failedOffsetDeleteAnswer(event.result.errorName);
      perform(context, enqueue, { group, effects: [{ kind: 'respond', ref: pending.purpose.ref, body }] });
      enqueue.assign({ pendingAppends: withoutToken(context.pendingAppends, event.token) });
    }),
    forgetAppend: assign(({ context, event }) => (event.type === 'records.appended' ? { pendingAppends: withoutToken(context.pendingAppends, event.token) } : {})),

    deleteGroup: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'group.delete') return;
      perform(context, enqueue, { group: context.group, effects: [{ kind: 'append', records: deletionRecords(context.group), purpose: { kind: 'groupDeletion' } }] }, event.token);
    }),
    /**
     * Appends still on their way when the group ends would complete at a stopped actor, and the requests waiting
     * on them (a second DeleteGroups of the group, an OffsetCommit or OffsetDelete that raced the deletion or the
     * coordinator's move) would never be answered. They are answered now with COORDINATOR_NOT_AVAILABLE, which
     * clients retry: by then the group is gone, or served elsewhere.
     */
    settlePendingAppends: enqueueActions(({ context, enqueue }) => settlePending(context, enqueue, 'COORDINATOR_NOT_AVAILABLE')),
    /**
     * The coordinator moved (unload): what waits on an append is answered NOT_COORDINATOR, as Kafka's CoordinatorRuntime
     * fails a shard's pending writes on unload, so the committer looks the coordinator up again at once.
     */
    settlePendingAppendsAsMoved: enqueueActions(({ context, enqueue }) => settlePending(context, enqueue, 'NOT_COORDINATOR')),
    refuseDeletion: ({ context, event }) => {
      if (event.type === 'group.delete') context.ports.deletionDone(event.token, 'NON_EMPTY_GROUP');
    },
    reportDeletion: ({ context, event }) => {
      if (event.type === 'records.appended') reportDeletionAppended(appendOf(context, event), event.result, context.ports.deletionDone);
    },
    /** The coordinator moved or the group is gone: whatever still waits learns where to go (Kafka answers NOT_COORDINATOR). */
    abandonParkedRequests: enqueueActions(({ context, enqueue }) => {
      perform(context, enqueue, removeMembers(context.group, memberList(context.group).map((member) => member.memberId), 'NOT_COORDINATOR'));
    }),
  },
  guards: {
    joinIsInvalid: ({ context, event }) => {
      const join = joinEvent(event);
      return (
        join !== undefined &&
        (joinRequestProblem(join.body, context.limits) !== undefined || !supportsProtocols(context.group, join.body.protocolType, join.body.protocols, join.body.memberId))
      );
    },
    joinHasNoMemberId: ({ event }) => joinEvent(event)?.body.memberId === '',
    /** A member without an id whose client predates KIP-394 (Kafka's JoinGroup v0-v3): no MEMBER_ID_REQUIRED round trip. */
    joinIsFromNewMemberWithoutIdRoundTrip: ({ event }) => {
      const join = joinEvent(event);
      return join !== undefined && join.body.memberId === '' && join.body.groupInstanceId === null && join.body.requireKnownMemberId === false;
    },
    /** A static member (group.instance.id) the group does not know yet. */
    joinIsFromNewStaticMember: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && join.body.memberId === '' && join.body.groupInstanceId !== null && !isStaticRejoin(context.group, join.body);
    },
    /** Kafka's acceptJoiningMember for a member without an id: the group (with the ids it handed out) is full. */
    groupIsFull: ({ context }) => memberList(context.group).length + context.group.pendingMemberIds.length >= effectiveGroupMaxSize(context.limits),
    /** A static member joining without its member id whose instance id the group knows: a restart (KIP-345). */
    joinIsStaticRejoin: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && isStaticRejoin(context.group, join.body);
    },
    staticRejoinKeepsProtocol: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && replacementKeepsProtocol(context.group, join.body);
    },
    /** Kafka's validateMember on a JoinGroup with a member id: an older incarnation of a static member is fenced. */
    joinHasMemberProblem: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && join.body.memberId !== '' && !context.group.pendingMemberIds.includes(join.body.memberId) && memberProblem(context.group, join.body.memberId, join.body.groupInstanceId) !== undefined;
    },
    isStaticReplacementAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'staticReplacement',
    joinIsFromPendingMember: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && context.group.pendingMemberIds.includes(join.body.memberId);
    },
    joinIsFromKnownMember: ({ context, event }) => {
      const join = joinEvent(event);
      return join !== undefined && isMember(context.group, join.body.memberId);
    },
    /** A follower rejoining with unchanged metadata just missed its answer: it gets the current generation again. */
    joinChangesNothing: ({ context, event }) => {
      const join = joinEvent(event);
      const member = join === undefined ? undefined : context.group.members[join.body.memberId];
      return member !== undefined && join !== undefined && context.group.leaderId !== member.memberId && protocolsEqual(member.protocols, join.body.protocols);
    },
    joinFromFollowerChangesNothing: ({ context, event }) => {
      const join = joinEvent(event);
      const member = join === undefined ? undefined : context.group.members[join.body.memberId];
      return member !== undefined && join !== undefined && protocolsEqual(member.protocols, join.body.protocols);
    },
    allMembersJoined: ({ context }) => allMembersJoined(context.group),
    someMembersRejoined: ({ context }) => membersRejoined(context.group).length > 0,
    newMembersKeepJoining: ({ context }) => context.initialDelay.newMemberAdded && context.initialDelay.remainingMs > 0,
    syncIsInvalid: ({ context, event }) => event.type === 'request.syncGroup' && syncProblem(context.group, context.stateName, event.body) !== undefined,
    syncIsFromLeader: ({ context, event }) => event.type === 'request.syncGroup' && event.body.memberId === context.group.leaderId,
    leaveRemovesMembers: ({ context, event }) => event.type === 'request.leaveGroup' && leave(context.group, event.ref, event.body).removedMembers > 0,
    /** Members parked in JoinGroup or SyncGroup wait on the coordinator and count as alive (hasSatisfiedHeartbeat). */
    sessionReallyExpired: ({ context, event }) => {
      if (event.type !== 'timer.sessionExpired') return false;
      const member = context.group.members[event.memberId];
      return member !== undefined && member.awaitingJoin === null && member.awaitingSync === null;
    },
    newMemberStillWaiting: ({ context, event }) => {
      if (event.type !== 'timer.newMemberJoinExpired') return false;
      const member = context.group.members[event.memberId];
      return member !== undefined && member.isNew;
    },
    someMembersDidNotSync: ({ context, event }) =>
      event.type === 'timer.pendingSyncExpired' && event.generationId === context.group.generationId && context.group.pendingSyncMemberIds.length > 0,
    assignmentsAppended: ({ context, event }) => {
      const pending = appendOf(context, event);
      return event.type === 'records.appended' && event.result.ok && pending?.purpose.kind === 'groupMetadata' && pending.purpose.generationId === context.group.generationId;
    },
    assignmentsNotAppended: ({ context, event }) => {
      const pending = appendOf(context, event);
      return event.type === 'records.appended' && !event.result.ok && pending?.purpose.kind === 'groupMetadata' && pending.purpose.generationId === context.group.generationId;
    },
    isOffsetCommitAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'offsetCommit',
    isOffsetDeleteAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'offsetDelete',
    isTxnOffsetCommitAppend: ({ context, event }) => appendOf(context, event)?.purpose.kind === 'txnOffsetCommit',
    isDeletionAppended: ({ context, event }) => event.type === 'records.appended' && event.result.ok && appendOf(context, event)?.purpose.kind === 'groupDeletion',
    hasMembers: ({ context }) => memberList(context.group).length > 0,
  },
  delays: {
    initialRebalanceDelay: ({ context }) => context.initialDelay.delayMs,
    rebalanceTimeout: ({ context }) => rebalanceTimeoutMs(context.group),
  },
});

/**
 * Connects a group actor's appends to the partition: each `records.toAppend` is written with `append`, and
 * its result goes back to the actor as `records.appended`. Call it before starting the actor.
 */
export function connectGroupAppends(
  actor: { on(type: 'records.toAppend', handler: (event: GroupEmitted) => void): unknown; send(event: GroupEvent): void },
  append: (records: GroupRecord[], transactional: TransactionalWrite | undefined, onDone: (result: AppendResult) => void) => void,
): void {
  actor.on('records.toAppend', ({ token, records, transactional }) => append(records, transactional, (result) => actor.send({ type: 'records.appended', token, result })));
}
