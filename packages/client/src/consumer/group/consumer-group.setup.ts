/**
 * The consumer group member's guards, actions and delays: the vocabulary its statechart
 * (consumer-group.machine.ts) is written in, kept apart so that the machine file reads as states and
 * transitions. Each action says what Kafka's `AbstractCoordinator` / `ConsumerCoordinator` does at that
 * point; the request bodies are built in group-requests.ts, the answers read in group-responses.ts.
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { assign, emit, enqueueActions, setup } from 'xstate';
import { backoffMs } from '../../internal/backoff.js';
import { decodeMemberAssignment } from './assignor-adapter.js';
import { leaderAssignment, readyAssignment, revocationRequest } from './classic-steps.js';
import { assignmentChange } from './cooperative.js';
import { FencedInstanceIdError } from './group-errors.js';
import {
  assignmentMetadataChanged,
  findCoordinatorRequest,
  heartbeatRequest,
  joinGroupRequest,
  joinGroupTimeoutMs,
  leaveGroupRequest,
  normalizeTopics,
  sameTopics,
  shouldSendLeaveGroup,
  syncGroupRequest,
} from './group-requests.js';
import { fatalErrorMessage, groupOutcome, isFatalMembershipError, meansCoordinatorLoading, meansCoordinatorLost, meansFenced } from './group-responses.js';
import type { MembershipEvent } from './group-membership.js';
import type { ConsumerGroupContext, ConsumerGroupEvent, ConsumerGroupInput, ConsumerGroupStateName, GroupOutcome, RevocationKind } from './group-types.js';
import { pollDeadlineMs } from './poll-timer.js';
import type { RebalanceTrigger } from './rebalance-record.js';

/**
 * The LeaveGroup (and next JoinGroup) reason after max.poll.interval.ms without poll(). It starts with
 * Kafka's words; the coordinator-side rebalance record recognises 'max.poll.interval.ms' in it.
 */
export const POLL_TIMEOUT_REASON = 'consumer poll timeout has expired: poll() was not called within max.poll.interval.ms';

/** The JoinGroup reason of a COOPERATIVE member's second round (KIP-429), after it revoked what moved. */
export const SECOND_ROUND_REASON = 'cooperative rebalance: rejoining to hand over the revoked partitions (second round)';

/**
 * Why a rebalance starts, in words for logs and the JoinGroup `reason` (KIP-800). These strings are a
 * contract: the coordinator's rebalance record classifies them ('subscription changed',
 * 'partition counts'), so they change only by adding words.
 */
const SUBSCRIPTION_CHANGED_REASON = 'the subscription changed since the last join';
const METADATA_CHANGED_REASON = 'the partition counts of subscribed topics changed';

export const HEARTBEAT_TIMER_ID = 'consumerGroup.timer.heartbeat';
export const SESSION_TIMER_ID = 'consumerGroup.timer.session';
export const POLL_TIMER_ID = 'consumerGroup.timer.poll';

type Outcome = GroupOutcome<'findCoordinator' | 'joinGroup' | 'syncGroup' | 'heartbeat'>;

/** The outcome an event carries, for guards shared by several response events. */
function outcomeOf(event: ConsumerGroupEvent): Outcome | null {
  return 'outcome' in event ? event.outcome : null;
}

function errorNameOf(event: ConsumerGroupEvent): string {
  if (event.type === 'commit.refused') return event.errorName;
  return outcomeOf(event)?.errorName ?? 'NONE';
}

/** Delivers a callback's result to the machine unless it has stopped meanwhile (closed, fatal). */
function deliver(self: { send(event: ConsumerGroupEvent): void; getSnapshot(): { status: string } }, event: ConsumerGroupEvent): void {
  if (self.getSnapshot().status === 'active') self.send(event);
}

export const groupSetup = setup({
  types: { context: {} as ConsumerGroupContext, events: {} as ConsumerGroupEvent, input: {} as ConsumerGroupInput, emitted: {} as MembershipEvent },
  delays: {
    heartbeatInterval: ({ context }) => Math.max(0, context.heartbeatTimerStartMs + context.settings.heartbeatIntervalMs - context.ports.clock.now()),
    sessionTimeout: ({ context }) => context.settings.sessionTimeoutMs,
    /** What is left of max.poll.interval.ms since the last poll() (or since the timer was armed, if later). */
    pollTimeout: ({ context }) => Math.max(0, pollDeadline(context) - context.ports.clock.now()),
    retryBackoff: ({ context }) => backoffMs(backoffPolicy(context), Math.max(0, context.retryAttempts - 1), context.ports.random),
    heartbeatRetryBackoff: ({ context }) => backoffMs(backoffPolicy(context), Math.max(0, context.heartbeatFailures - 1), context.ports.random),
  },
  guards: {
    isSubscribed: ({ context }) => context.subscribed,
    coordinatorKnown: ({ context }) => context.coordinator !== null,
    answersPendingFind: ({ context, event }) => event.type === 'response.findCoordinator' && event.sequence === context.pendingFind,
    answersPendingJoin: ({ context, event }) => event.type === 'response.joinGroup' && event.sequence === context.pendingJoin,
    answersPendingSync: ({ context, event }) => event.type === 'response.syncGroup' && event.sequence === context.pendingSync,
    answersPendingHeartbeat: ({ context, event }) => event.type === 'response.heartbeat' && event.sequence === context.pendingHeartbeat,
    succeeded: ({ event }) => outcomeOf(event)?.errorName === 'NONE',
    memberIdRequired: ({ event }) => outcomeOf(event)?.errorName === 'MEMBER_ID_REQUIRED',
    rebalanceInProgress: ({ event }) => errorNameOf(event) === 'REBALANCE_IN_PROGRESS',
    fenced: ({ event }) => meansFenced(errorNameOf(event) as never),
    /** Kafka resets the generation only when the refused request was sent in the current one. */
    fencedInCurrentGeneration: ({ context, event }) =>
      (event.type === 'response.heartbeat' || event.type === 'commit.refused') &&
      meansFenced(errorNameOf(event) as never) &&
      event.sent.generationId === context.generationId &&
      event.sent.memberId === context.memberId,
    fatal: ({ event }) => {
      const outcome = outcomeOf(event);
      return outcome !== null && outcome.errorName !== 'NONE' && isFatalMembershipError(outcome.errorName);
    },
    coordinatorLoading: ({ event }) => {
      const outcome = outcomeOf(event);
      return outcome !== null && meansCoordinatorLoading(outcome);
    },
    coordinatorLost: ({ event }) => {
      const outcome = outcomeOf(event);
      return outcome !== null && meansCoordinatorLost(outcome);
    },
    isCurrentCoordinator: ({ context, event }) => event.type === 'coordinator.lost' && context.coordinator?.url === event.url,
    assignmentUnreadable: ({ event }) => event.type === 'response.syncGroup' && event.problem !== undefined,
    leaderAssignmentFailed: ({ context }) => context.leaderId === context.memberId && context.syncAssignments === null,
    subscriptionChangedSinceJoin: ({ context }) => context.joinedSubscription !== null && !sameTopics(context.joinedSubscription, context.subscription),
    leaderMetadataChanged: ({ context }) =>
      context.leaderId === context.memberId && assignmentMetadataChanged(context.assignmentSnapshot, (topic) => context.ports.partitionCount(topic)),
    /** Kafka's pollTimer.isExpired(): max.poll.interval.ms has passed since the last poll() (KIP-62). */
    pollIntervalPassed: ({ context }) => context.ports.clock.now() >= pollDeadline(context),
    hasGeneration: ({ context }) => context.generationId >= 0 && context.memberId !== '',
    /**
     * The member had a generation when it asked for the revocation and lost it while the consumer ran the
     * auto-commit before it (the commit refused with ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID, a heartbeat
     * fenced it, or it left after max.poll.interval.ms): another member may own the partitions already.
     */
    generationLostDuringAutoCommit: ({ context }) => context.revocation !== null && !context.revocation.lost && (context.generationId < 0 || context.memberId === ''),
    isCooperative: ({ context }) => context.settings.rebalanceProtocol === 'COOPERATIVE',
    /** The member still holds partitions (COOPERATIVE keeps them while it rejoins; EAGER never does here). */
    ownsPartitions: ({ context }) => context.owned.length > 0,
    /** COOPERATIVE onJoinComplete: the new assignment takes away partitions the member owns, so it must give them up and rejoin. */
    assignmentRevokesOwned: ({ context, event }) =>
      context.settings.rebalanceProtocol === 'COOPERATIVE' && event.type === 'response.syncGroup' && assignmentChange(context.owned, event.assignment).revoked.length > 0,
  },
  actions: {
    recordSubscription: assign(({ context, event }) => {
      if (event.type !== 'app.subscribe') return {};
      const subscription = normalizeTopics(event.topics);
      return sameTopics(subscription, context.subscription) && context.subscribed ? {} : { subscription, subscribed: true };
    }),
    clearSubscription: assign({ subscription: [], subscribed: false, joinedSubscription: null }),
    /** An answer (REBALANCE_IN_PROGRESS, a refused commit) sends the member back to join. */
    recordRejoinReason: assign(({ event }) => ({ rejoinReason: rejoinReasonFor(event), rejoinTrigger: 'rejoin' as RebalanceTrigger })),
    recordJoinTrigger: assign({ rejoinTrigger: 'join' as RebalanceTrigger }),
    /** The subscription differs from the JoinGroup's: named here, since an eventless check has no event of its own to name it. */
    recordSubscriptionChangedRejoin: assign({ rejoinReason: SUBSCRIPTION_CHANGED_REASON, rejoinTrigger: 'subscription-change' as RebalanceTrigger }),
    /** The leader's metadata no longer matches the partition counts it assigned from. */
    recordMetadataChangedRejoin: assign({ rejoinReason: METADATA_CHANGED_REASON, rejoinTrigger: 'partition-change' as RebalanceTrigger }),
    /** The consumer says what it still owns after a revocation: what the next JoinGroup reports as ownedPartitions. */
    recordOwned: assign(({ event }) => (event.type === 'app.revocationDone' ? { owned: event.owned ?? [], revocation: null } : {})),
    /** KIP-429: revoked partitions are free only after this member rejoins, so the second round starts at once. */
    recordSecondRound: assign({ rejoinReason: SECOND_ROUND_REASON, rejoinTrigger: 'rejoin' as RebalanceTrigger }),
    recordDiscoveredCoordinator: assign(({ context, event }) => (event.type === 'coordinator.discovered' && context.coordinator === null ? { coordinator: event.coordinator } : {})),
    recordFoundCoordinator: assign(({ context, event }) => {
      if (event.type !== 'response.findCoordinator' || event.outcome.errorName !== 'NONE') return {};
      const { nodeId, url } = event.outcome.body;
      context.ports.logger.info({ group: context.settings.groupId, coordinator: nodeId, url }, 'discovered the group coordinator');
      return { coordinator: { nodeId, url }, pendingFind: null, retryAttempts: 0 };
    }),
    forgetCoordinator: assign(({ context, event }) => {
      const outcome = outcomeOf(event);
      const reason = event.type === 'coordinator.lost' ? event.reason : event.type === 'timer.sessionExpired' ? 'session timed out without a heartbeat answer' : (outcome?.errorName ?? event.type);
      if (context.coordinator !== null) context.ports.logger.info({ group: context.settings.groupId, coordinator: context.coordinator.nodeId, reason }, 'group coordinator unknown; looking it up again');
      return { coordinator: null, pendingHeartbeat: null };
    }),
    clearPendingFind: assign({ pendingFind: null }),
    countRetry: assign(({ context }) => ({ retryAttempts: context.retryAttempts + 1 })),
    sendFindCoordinator: enqueueActions(({ context, enqueue, self }) => {
      const sequence = context.requestSequence + 1;
      enqueue.assign({ requestSequence: sequence, pendingFind: sequence });
      enqueue(() => context.ports.findCoordinator(findCoordinatorRequest(context.settings), (result) => deliver(self, { type: 'response.findCoordinator', sequence, outcome: groupOutcome(result) })));
    }),
    enterJoining: enqueueActions(({ enqueue }) => {
      enqueue.cancel(HEARTBEAT_TIMER_ID);
      enqueue.cancel(SESSION_TIMER_ID);
      enqueue.cancel(POLL_TIMER_ID);
      enqueue.assign({ pendingHeartbeat: null, pendingJoin: null, pendingSync: null, revocation: null, retryAttempts: 0 });
    }),
    sendJoinGroup: enqueueActions(({ context, enqueue, self }) => {
      const coordinator = context.coordinator;
      if (coordinator === null) return;
      const sequence = context.requestSequence + 1;
      enqueue.assign({ requestSequence: sequence, pendingJoin: sequence, joinedSubscription: context.subscription });
      const body = joinGroupRequest(context);
      context.ports.logger.info({ group: context.settings.groupId, memberId: body.memberId, reason: body.reason }, '(re-)joining the group');
      enqueue(() =>
        context.ports.request(coordinator.url, 'joinGroup', body, (result) => deliver(self, { type: 'response.joinGroup', sequence, outcome: groupOutcome(result) }), {
          timeoutMs: joinGroupTimeoutMs(context.settings),
        }),
      );
    }),
    recordRequiredMemberId: assign(({ event }) => (event.type === 'response.joinGroup' && event.outcome.body !== null ? { memberId: event.outcome.body.memberId } : {})),
    recordJoin: assign(({ context, event }) => {
      if (event.type !== 'response.joinGroup' || event.outcome.errorName !== 'NONE') return {};
      const body = event.outcome.body;
      context.ports.logger.info({ group: context.settings.groupId, generation: body.generationId, memberId: body.memberId, leader: body.leader === body.memberId, protocol: body.protocolName }, 'joined the group');
      return {
        generationId: body.generationId,
        memberId: body.memberId,
        protocolName: body.protocolName,
        leaderId: body.leader,
        members: body.members,
        skipAssignment: body.skipAssignment,
        pendingJoin: null,
        retryAttempts: 0,
      };
    }),
    resetGenerationAfterError: assign(({ event }) => ({
      generationId: -1,
      ...(errorNameOf(event) === 'UNKNOWN_MEMBER_ID' ? { memberId: '' } : {}),
      rejoinReason: `rebalance after ${errorNameOf(event)}`,
      rejoinTrigger: errorNameOf(event) === 'UNKNOWN_MEMBER_ID' ? ('session-timeout' as const) : ('rejoin' as const),
    })),
    armMemberTimers: enqueueActions(({ context, enqueue }) => {
      // Kafka resets all three timers when its heartbeat thread is enabled, after JoinGroup succeeds.
      const nowMs = context.ports.clock.now();
      enqueue.assign({ heartbeatTimerStartMs: nowMs, pollTimerStartMs: nowMs, heartbeatFailures: 0, pendingHeartbeat: null });
      for (const id of [HEARTBEAT_TIMER_ID, SESSION_TIMER_ID, POLL_TIMER_ID]) enqueue.cancel(id);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatInterval', id: HEARTBEAT_TIMER_ID });
      enqueue.raise({ type: 'timer.sessionExpired' }, { delay: 'sessionTimeout', id: SESSION_TIMER_ID });
      enqueue.raise({ type: 'timer.pollExpired' }, { delay: 'pollTimeout', id: POLL_TIMER_ID });
    }),
    cancelMemberTimers: enqueueActions(({ enqueue }) => {
      for (const id of [HEARTBEAT_TIMER_ID, SESSION_TIMER_ID, POLL_TIMER_ID]) enqueue.cancel(id);
      enqueue.assign({ pendingHeartbeat: null });
    }),
    /** The poll timer fired, but poll() came meanwhile: it waits for the rest of max.poll.interval.ms since then. */
    rearmPollTimer: enqueueActions(({ enqueue }) => {
      enqueue.cancel(POLL_TIMER_ID);
      enqueue.raise({ type: 'timer.pollExpired' }, { delay: 'pollTimeout', id: POLL_TIMER_ID });
    }),
    rearmSessionTimer: enqueueActions(({ enqueue }) => {
      enqueue.cancel(SESSION_TIMER_ID);
      enqueue.raise({ type: 'timer.sessionExpired' }, { delay: 'sessionTimeout', id: SESSION_TIMER_ID });
    }),
    scheduleHeartbeat: enqueueActions(({ enqueue }) => {
      enqueue.cancel(HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatInterval', id: HEARTBEAT_TIMER_ID });
    }),
    heartbeatNow: enqueueActions(({ enqueue }) => {
      enqueue.cancel(HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 0, id: HEARTBEAT_TIMER_ID });
    }),
    /** Kafka's heartbeat thread: with no coordinator, look it up; else send one heartbeat (never two at once). */
    sendHeartbeatOrFindCoordinator: enqueueActions(({ context, enqueue, self }) => {
      const coordinator = context.coordinator;
      const sequence = context.requestSequence + 1;
      if (coordinator === null) {
        if (context.pendingFind !== null) return;
        enqueue.assign({ requestSequence: sequence, pendingFind: sequence });
        enqueue(() => context.ports.findCoordinator(findCoordinatorRequest(context.settings), (result) => deliver(self, { type: 'response.findCoordinator', sequence, outcome: groupOutcome(result) })));
        return;
      }
      if (context.pendingHeartbeat !== null) return;
      const sent = { generationId: context.generationId, memberId: context.memberId };
      enqueue.assign({ requestSequence: sequence, pendingHeartbeat: sequence, heartbeatTimerStartMs: context.ports.clock.now() });
      enqueue(() =>
        context.ports.request(coordinator.url, 'heartbeat', heartbeatRequest(context), (result) => deliver(self, { type: 'response.heartbeat', sequence, sent, outcome: groupOutcome(result) })),
      );
    }),
    recordHeartbeatSuccess: enqueueActions(({ enqueue }) => {
      enqueue.assign({ pendingHeartbeat: null, heartbeatFailures: 0 });
      enqueue.cancel(SESSION_TIMER_ID);
      enqueue.raise({ type: 'timer.sessionExpired' }, { delay: 'sessionTimeout', id: SESSION_TIMER_ID });
      enqueue.cancel(HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatInterval', id: HEARTBEAT_TIMER_ID });
    }),
    recordHeartbeatFailure: enqueueActions(({ context, event, enqueue }) => {
      context.ports.logger.debug({ group: context.settings.groupId, error: outcomeOf(event)?.errorName }, 'heartbeat failed; retrying after backoff');
      enqueue.assign({ pendingHeartbeat: null, pendingFind: event.type === 'response.findCoordinator' ? null : context.pendingFind, heartbeatFailures: context.heartbeatFailures + 1 });
      enqueue.cancel(HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatRetryBackoff', id: HEARTBEAT_TIMER_ID });
    }),
    logSessionExpired: ({ context }) => context.ports.logger.warn({ group: context.settings.groupId }, 'no heartbeat answer within session.timeout.ms; looking the coordinator up again'),
    computeLeaderAssignment: enqueueActions(({ context, enqueue }) => {
      const computed = leaderAssignment(context);
      enqueue.assign(computed);
      // The consumer's next poll() throws it once; the member tries again after the backoff.
      if (computed.error !== undefined) enqueue.emit({ type: 'error', error: computed.error, fatal: false });
    }),
    sendSyncGroup: enqueueActions(({ context, enqueue, self }) => {
      const coordinator = context.coordinator;
      if (coordinator === null || context.syncAssignments === null) return;
      const sequence = context.requestSequence + 1;
      const body = syncGroupRequest(context, [...context.syncAssignments]);
      enqueue.assign({ requestSequence: sequence, pendingSync: sequence, syncAssignments: [] });
      enqueue(() =>
        context.ports.request(coordinator.url, 'syncGroup', body, (result) => {
          const outcome = groupOutcome(result);
          let assignment: ReturnType<typeof decodeMemberAssignment> = [];
          let problem: unknown;
          if (outcome.errorName === 'NONE') {
            try {
              assignment = decodeMemberAssignment(outcome.body.assignment);
            } catch (error) {
              problem = error;
            }
          }
          deliver(self, { type: 'response.syncGroup', sequence, outcome, assignment, problem });
        }),
      );
    }),
    recordAssignment: assign(({ context, event }) => {
      if (event.type !== 'response.syncGroup') return {};
      context.ports.logger.info({ group: context.settings.groupId, generation: context.generationId, partitions: event.assignment.length }, 'synced the group: assignment received');
      return { assignment: event.assignment, assignmentGenerationId: context.generationId, pendingSync: null, retryAttempts: 0, members: [] };
    }),
    /** On `stable` the consumer applies the whole assignment: from now on it is what the member owns. */
    ownAssignment: assign(({ context }) => ({ owned: context.assignment })),
    recordFatalError: assign(({ context, event }) => {
      const outcome = outcomeOf(event);
      const name = outcome?.errorName ?? 'UNKNOWN_SERVER_ERROR';
      const message = outcome?.message ?? undefined;
      const fatalError =
        name === 'NONE'
          ? new Error(`fatal ${event.type}`)
          : name === 'FENCED_INSTANCE_ID'
            ? new FencedInstanceIdError(message ?? `another consumer joined group ${context.settings.groupId} with group.instance.id ${context.settings.groupInstanceId ?? ''}: this one is fenced`)
            : KafkaProtocolError.from(name, message ?? fatalErrorMessage(name, context.settings));
      // Info, not error: poll() throws this very error to the application, which reports it (the CLI in one line).
      context.ports.logger.info({ group: context.settings.groupId, error: name }, 'the consumer cannot stay in its group');
      return { fatalError };
    }),
    recordFatalAssignmentProblem: assign(({ event }) => ({ fatalError: event.type === 'response.syncGroup' ? event.problem : new Error('unreadable assignment') })),
    recordUnexpectedError: enqueueActions(({ context, event, enqueue }) => {
      const outcome = outcomeOf(event);
      if (outcome === null || outcome.errorName === 'NONE') return;
      context.ports.logger.warn({ group: context.settings.groupId, event: event.type, error: outcome.errorName }, 'unexpected group error; rejoining after backoff');
      const error = KafkaProtocolError.from(outcome.errorName, `${event.type}: ${outcome.message ?? outcome.errorName}`);
      enqueue.assign({ error });
      enqueue.emit({ type: 'error', error, fatal: false });
    }),
    /**
     * Entry of every top-level state: tells the consumer the state changed and, in the classic protocol's
     * terms, where the member's rebalance stands. A rebalance starts when the member leaves `stable` (or
     * `unjoined`) to rejoin, joins a generation on each `syncing`, and ends unfinished when the member
     * leaves the group; it ends completed when the consumer applied the assignment (app.assignmentApplied).
     */
    announceState: enqueueActions(({ context, enqueue }, params: { state: ConsumerGroupStateName }) => {
      const from = context.announcedState;
      const to = params.state;
      if (from === to) return;
      if ((from === 'stable' || from === 'unjoined') && (to === 'joining' || to === 'rebalancing')) {
        enqueue.emit({ type: 'rebalance.started', trigger: context.rejoinTrigger, reason: context.rejoinReason });
      } else if (to === 'syncing') {
        enqueue.emit({ type: 'rebalance.joined', generation: context.generationId });
      } else if (to === 'unjoined' || to === 'dead') {
        enqueue.emit({ type: 'rebalance.ended', completed: false });
      }
      enqueue.emit({ type: 'state', from, to, generation: context.generationId });
      enqueue.assign({ announcedState: to });
    }),
    /** `stable`: the generation's assignment waits for the consumer's next poll(). */
    announceAssignment: emit(({ context }) => readyAssignment(context)),
    /** Entry of a revoking state: what the consumer gives up on its next poll(). */
    announceRevocation: enqueueActions(({ context, enqueue }) => {
      if (context.revocation !== null) enqueue.emit(revocationRequest(context, context.revocation.kind));
    }),
    /** The consumer applied an assignment: the rebalance that brought it is over. */
    announceRebalanceCompleted: emit({ type: 'rebalance.ended', completed: true }),
    /** `dead` after a fatal error: poll() throws it from now on. */
    announceFatalError: enqueueActions(({ context, enqueue }) => {
      if (context.fatalError !== undefined) enqueue.emit({ type: 'error', error: context.fatalError, fatal: true });
    }),
    /** EAGER onJoinPrepare: everything the member owns (lost when it has no generation any more). */
    prepareEagerRevocation: assign(({ context }) => ({ revocation: revocationOf(context, 'all') })),
    /** COOPERATIVE onJoinPrepare: only partitions of topics no longer subscribed (all of them, lost, without a generation). */
    prepareCooperativeRevocation: assign(({ context }) => ({ revocation: revocationOf(context, 'unsubscribed') })),
    /** COOPERATIVE onJoinComplete: owned − assigned, while the consumer applies the new assignment. */
    prepareMovedRevocation: assign(({ context }) => ({ revocation: revocationOf(context, 'moved') })),
    /** The generation went during the auto-commit: everything held is lost instead, and no assignment of the lost generation is applied. */
    prepareLostRevocation: assign(({ context }) => ({ revocation: { kind: 'lost' as const, lost: true, generationId: -1, reason: context.rejoinReason } })),
    /** LeaveGroup, fire and forget (Kafka does not wait either); the member forgets its generation and id. */
    leaveGroup: enqueueActions(({ context, event, enqueue }) => {
      const reason = event.type === 'timer.pollExpired' ? POLL_TIMEOUT_REASON : event.type === 'app.close' ? 'the consumer is being closed' : 'the consumer unsubscribed';
      if (shouldSendLeaveGroup(context)) {
        const coordinator = context.coordinator as NonNullable<typeof context.coordinator>;
        const body = leaveGroupRequest(context, reason);
        context.ports.logger.info({ group: context.settings.groupId, memberId: context.memberId, reason }, 'leaving the group');
        enqueue(() => context.ports.request(coordinator.url, 'leaveGroup', body, () => undefined));
      }
      // Kafka 4.x resets the generation on leaving whether or not a LeaveGroup went out (a static member
      // sends none and rejoins with its instance id, getting its assignment back without a rebalance).
      enqueue.assign({ generationId: -1, memberId: '', rejoinReason: reason, rejoinTrigger: event.type === 'timer.pollExpired' ? 'poll-timeout' : 'rejoin', pendingJoin: null, pendingSync: null });
    }),
    warnPollTimeout: ({ context }) =>
      context.ports.logger.warn(
        { group: context.settings.groupId, maxPollIntervalMs: context.settings.maxPollIntervalMs },
        'poll() was not called within max.poll.interval.ms: leaving the group; its partitions are lost and the consumer rejoins on its next poll()',
      ),
  },
});

function pollDeadline(context: ConsumerGroupContext): number {
  return pollDeadlineMs(context.pollTimerStartMs, context.ports.lastPollMs(), context.settings.maxPollIntervalMs);
}

function backoffPolicy(context: ConsumerGroupContext) {
  return { initialMs: context.settings.retryBackoffMs, maxMs: context.settings.retryBackoffMaxMs };
}

/** The pending revocation of `kind`; without a generation everything owned is lost instead (Kafka's onJoinPrepare). */
function revocationOf(context: ConsumerGroupContext, kind: Exclude<RevocationKind, 'lost'>) {
  const lost = kind !== 'moved' && (context.generationId < 0 || context.memberId === '');
  return { kind: lost ? ('lost' as const) : kind, lost, generationId: context.generationId, reason: context.rejoinReason };
}

/** The coordinator's or a commit's answer that sends a member back to join, in words (see SUBSCRIPTION_CHANGED_REASON). */
function rejoinReasonFor(event: ConsumerGroupEvent): string {
  switch (event.type) {
    case 'response.heartbeat':
    case 'response.syncGroup':
      return `the coordinator answered ${event.outcome.errorName}`;
    case 'commit.refused':
      return `an offset commit was refused with ${event.errorName}`;
    default:
      return `rebalance after ${event.type}`;
  }
}

