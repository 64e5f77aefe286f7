/**
 * The KIP-848 member's guards, actions and delays: the vocabulary its statechart
 * (consumer-membership.machine.ts) is written in. Each action says what Kafka's
 * `AbstractMembershipManager` / `ConsumerMembershipManager` / `ConsumerHeartbeatRequestManager` do at that
 * point; requests are built in heartbeat-request.ts, answers read in heartbeat-responses.ts, and the
 * reconciliation computed in reconciliation.ts.
 */
import { coordinatorKeyTypes, memberEpochs } from '@kactor/protocol';
import { assign, emit, enqueueActions, setup } from 'xstate';
import { backoffMs } from '../../../internal/backoff.js';
import { groupOutcome } from '../group-responses.js';
import { heartbeatRequest, leaveRequest } from './heartbeat-request.js';
import { heartbeatVerdict, type HeartbeatVerdict } from './heartbeat-responses.js';
import { fatalHeartbeatError } from './membership-errors.js';
import type { ConsumerMembershipContext, ConsumerMembershipEmitted, ConsumerMembershipEvent, ConsumerMembershipInput } from './membership-types.js';
import type { ConsumerMemberStateName, ReleaseKind } from '../group-membership.js';
import { pollDeadlineMs } from '../poll-timer.js';
import { assignmentChange, reconciledWith, resolveAssignment, sameTarget, toTopicPartitions, type OwnedPartition } from './reconciliation.js';

export const MEMBERSHIP_HEARTBEAT_TIMER_ID = 'consumerMembership.timer.heartbeat';
export const MEMBERSHIP_POLL_TIMER_ID = 'consumerMembership.timer.poll';

/** Delivers a callback's result to the machine unless it has stopped meanwhile. */
function deliver(self: { send(event: ConsumerMembershipEvent): void; getSnapshot(): { status: string } }, event: ConsumerMembershipEvent): void {
  if (self.getSnapshot().status === 'active') self.send(event);
}

function verdictOf(context: ConsumerMembershipContext, event: ConsumerMembershipEvent): HeartbeatVerdict | null {
  if (event.type !== 'response.heartbeat' || context.pendingHeartbeat === null || event.sequence !== context.pendingHeartbeat.sequence) return null;
  return heartbeatVerdict(event.outcome);
}

/** A revocation for the host: revoked partitions are committed first (enable.auto.commit), lost ones never. */
function revocationRequest(request: number, kind: ReleaseKind, partitions: readonly OwnedPartition[], reason: string): Extract<ConsumerMembershipEmitted, { type: 'revocation.requested' }> {
  return { type: 'revocation.requested', request, kind, partitions: toTopicPartitions(partitions), autoCommitFirst: kind === 'revoke', notifyWhenEmpty: false, thenAssign: null, reason };
}

function pollDeadline(context: ConsumerMembershipContext): number {
  return pollDeadlineMs(context.pollTimerStartMs, context.ports.lastPollMs(), context.settings.maxPollIntervalMs);
}

const verdictIs = (verdict: HeartbeatVerdict) => ({ context, event }: { context: ConsumerMembershipContext; event: ConsumerMembershipEvent }) => verdictOf(context, event) === verdict;

export const membershipSetup = setup({
  types: {
    context: {} as ConsumerMembershipContext,
    events: {} as ConsumerMembershipEvent,
    input: {} as ConsumerMembershipInput,
    emitted: {} as ConsumerMembershipEmitted,
  },
  delays: {
    heartbeatInterval: ({ context }) => Math.max(0, context.heartbeatIntervalMs),
    /** What is left of max.poll.interval.ms since the last poll() (or since the member joined, if later). */
    pollTimeout: ({ context }) => Math.max(0, pollDeadline(context) - context.ports.clock.now()),
    retryBackoff: ({ context }) =>
      backoffMs({ initialMs: context.settings.retryBackoffMs, maxMs: context.settings.retryBackoffMaxMs }, Math.max(0, context.failures - 1), context.ports.random),
  },
  guards: {
    /** The poll timer's expiry (KIP-848 membership manager, as KIP-62): max.poll.interval.ms has passed since the last poll(). */
    pollIntervalPassed: ({ context }) => context.ports.clock.now() >= pollDeadline(context),
    hasTopics: ({ event }) => event.type === 'app.subscribe' && event.topics.length > 0,
    heartbeatSucceeded: verdictIs('ok'),
    heartbeatFenced: verdictIs('fenced'),
    heartbeatCoordinatorLost: verdictIs('coordinatorLost'),
    heartbeatRetriable: verdictIs('retry'),
    heartbeatFatal: verdictIs('fatal'),
    answersPendingFind: ({ context, event }) => event.type === 'response.findCoordinator' && event.sequence === context.pendingFind,
    answersPendingLeave: ({ context, event }) => event.type === 'response.heartbeat' && event.sequence === context.pendingLeave,
    findSucceeded: ({ event }) => event.type === 'response.findCoordinator' && event.outcome.errorName === 'NONE',
    isCurrentCoordinator: ({ context, event }) => event.type === 'coordinator.lost' && context.coordinator?.url === event.url,
    /** The answer carries an assignment (the coordinator sends one on a join and whenever it changed). */
    bringsAssignment: ({ context, event }) => verdictOf(context, event) === 'ok' && event.type === 'response.heartbeat' && event.outcome.body?.assignment != null,
    /** The answer carries a target other than the last one, or one the member does not own yet (Kafka: targetAssignmentReconciled is false). */
    bringsNewAssignment: ({ context, event }) => {
      if (verdictOf(context, event) !== 'ok' || event.type !== 'response.heartbeat') return false;
      const assignment = event.outcome.body?.assignment;
      if (assignment == null) return false;
      return !sameTarget(context.target, assignment.topicPartitions) || !reconciledWith(context.owned, assignment.topicPartitions, (topicId) => context.ports.topicName(topicId));
    },
    targetReconciled: ({ context }) => context.target === null || reconciledWith(context.owned, context.target, (topicId) => context.ports.topicName(topicId)),
    targetResolvable: ({ context }) =>
      context.target !== null && context.unresolvedTopicIds.some((topicId) => context.ports.topicName(topicId) !== undefined),
    canSendHeartbeat: ({ context }) => context.coordinator !== null && context.pendingHeartbeat === null,
    hasRevocations: ({ context }) => (context.reconciliation?.revoked.length ?? 0) > 0,
    ownsPartitions: ({ context }) => context.owned.length > 0,
    leaveNotSent: ({ context }) => context.pendingLeave === null,
    answersHostRequest: ({ context, event }) => (event.type === 'app.revocationDone' || event.type === 'app.assignmentApplied') && event.request === context.hostRequest,
  },
  actions: {
    /** Entry of every state: tells the host the state changed, with the member epoch. */
    announceState: enqueueActions(({ context, enqueue }, params: { state: ConsumerMemberStateName }) => {
      if (context.announcedState === params.state) return;
      enqueue.assign({ announcedState: params.state });
      enqueue.emit({ type: 'state', from: context.announcedState, to: params.state, generation: context.memberEpoch });
    }),
    recordSubscription: assign(({ event }) => (event.type === 'app.subscribe' ? { subscription: [...new Set(event.topics)].sort() } : {})),
    clearSubscription: assign({ subscription: [] }),
    recordLeaving: assign(({ event }) => ({ leaving: event.type === 'app.close' ? ('close' as const) : ('unsubscribe' as const) })),
    /** Joining (or joining again after fencing): epoch 0, every field in the next request, the same member id (KIP-1082). */
    enterJoining: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ memberEpoch: memberEpochs.join, sentFields: null, pendingHeartbeat: null, target: null, targetEpoch: -1, reconciliation: null, unresolvedTopicIds: [], failures: 0 });
      if (!context.inRebalance) {
        enqueue.assign({ inRebalance: true });
        enqueue.emit({ type: 'rebalance.started', trigger: context.owned.length === 0 && context.memberEpoch === memberEpochs.join ? 'join' : 'rejoin', reason: 'joining the group' });
      }
      // Kafka resets the poll timer when a member (re)joins, whether or not the application polled.
      enqueue.assign({ pollTimerStartMs: context.ports.clock.now() });
      enqueue.cancel(MEMBERSHIP_POLL_TIMER_ID);
      enqueue.raise({ type: 'timer.pollExpired' }, { delay: 'pollTimeout', id: MEMBERSHIP_POLL_TIMER_ID });
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 0, id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    /** The poll timer fired, but poll() came meanwhile: it waits for the rest of max.poll.interval.ms since then. */
    rearmPollTimer: enqueueActions(({ enqueue }) => {
      enqueue.cancel(MEMBERSHIP_POLL_TIMER_ID);
      enqueue.raise({ type: 'timer.pollExpired' }, { delay: 'pollTimeout', id: MEMBERSHIP_POLL_TIMER_ID });
    }),
    cancelTimers: enqueueActions(({ enqueue }) => {
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.cancel(MEMBERSHIP_POLL_TIMER_ID);
      enqueue.assign({ pendingHeartbeat: null });
    }),
    heartbeatNow: enqueueActions(({ enqueue }) => {
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 0, id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    scheduleHeartbeat: enqueueActions(({ enqueue }) => {
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatInterval', id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    /** With no coordinator, look it up; else send one heartbeat (never two at once), carrying only the changed fields. */
    sendHeartbeat: enqueueActions(({ context, enqueue, self }) => {
      const sequence = context.requestSequence + 1;
      const coordinator = context.coordinator;
      if (coordinator === null) {
        if (context.pendingFind !== null) return;
        enqueue.assign({ requestSequence: sequence, pendingFind: sequence });
        enqueue(() => context.ports.findCoordinator({ key: context.settings.groupId, keyType: coordinatorKeyTypes.group }, (result) => deliver(self, { type: 'response.findCoordinator', sequence, outcome: groupOutcome(result) })));
        return;
      }
      if (context.pendingHeartbeat !== null) return;
      const { body, fields } = heartbeatRequest(context);
      enqueue.assign({ requestSequence: sequence, pendingHeartbeat: { sequence, fields, memberEpoch: body.memberEpoch }, lastHeartbeatMs: context.ports.clock.now() });
      enqueue(() => context.ports.heartbeat(coordinator.url, body, (result) => deliver(self, { type: 'response.heartbeat', sequence, outcome: groupOutcome(result) })));
    }),
    /** The leave heartbeat (epoch -1, or -2 for a static member): LEAVING waits for its answer; STALE does not. */
    sendLeave: enqueueActions(({ context, enqueue, self }) => {
      const coordinator = context.coordinator;
      if (coordinator === null) return;
      const sequence = context.requestSequence + 1;
      const body = leaveRequest(context);
      context.ports.logger.info({ group: context.settings.groupId, memberId: context.settings.memberId, memberEpoch: body.memberEpoch }, 'leaving the group');
      enqueue.assign({ requestSequence: sequence, pendingLeave: sequence, pendingHeartbeat: null });
      enqueue(() => context.ports.heartbeat(coordinator.url, body, (result) => deliver(self, { type: 'response.heartbeat', sequence, outcome: groupOutcome(result) })));
    }),
    recordFoundCoordinator: assign(({ context, event }) => {
      if (event.type !== 'response.findCoordinator' || event.outcome.errorName !== 'NONE') return {};
      const { nodeId, url } = event.outcome.body;
      context.ports.logger.info({ group: context.settings.groupId, coordinator: nodeId, url }, 'discovered the group coordinator');
      return { coordinator: { nodeId, url }, pendingFind: null, failures: 0 };
    }),
    recordFindFailure: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ pendingFind: null, failures: context.failures + 1 });
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'retryBackoff', id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    recordDiscoveredCoordinator: assign(({ context, event }) => (event.type === 'coordinator.discovered' && context.coordinator === null ? { coordinator: event.coordinator } : {})),
    forgetCoordinator: assign(({ context, event }) => {
      const reason = event.type === 'coordinator.lost' ? event.reason : event.type === 'response.heartbeat' ? event.outcome.errorName : event.type;
      if (context.coordinator !== null) context.ports.logger.info({ group: context.settings.groupId, coordinator: context.coordinator.nodeId, reason }, 'group coordinator unknown; looking it up again');
      return { coordinator: null, pendingHeartbeat: null, sentFields: null };
    }),
    /** A successful answer: the epoch, the interval to wait, the fields now acknowledged, and the assignment if one came. */
    recordHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'response.heartbeat' || event.outcome.errorName !== 'NONE' || context.pendingHeartbeat === null) return;
      const body = event.outcome.body;
      const assignment = body.assignment?.topicPartitions ?? null;
      // Bounded where it enters: a coordinator answering 0 (or less) must not make the member heartbeat in a tight loop.
      const heartbeatIntervalMs = Math.max(body.heartbeatIntervalMs, context.settings.retryBackoffMs, 1);
      enqueue.assign({
        memberEpoch: body.memberEpoch,
        heartbeatIntervalMs,
        sentFields: context.pendingHeartbeat.fields,
        pendingHeartbeat: null,
        failures: 0,
        ...(assignment === null ? {} : { target: assignment, targetEpoch: body.memberEpoch }),
      });
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: heartbeatIntervalMs, id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    /** A failed heartbeat: Kafka resets the sent fields (the next request carries them all) and retries after the backoff. */
    recordHeartbeatFailure: enqueueActions(({ context, event, enqueue }) => {
      const errorName = event.type === 'response.heartbeat' ? event.outcome.errorName : event.type;
      context.ports.logger.debug({ group: context.settings.groupId, error: errorName }, 'heartbeat failed; retrying after backoff');
      enqueue.assign({ pendingHeartbeat: null, sentFields: null, failures: context.failures + 1 });
      enqueue.cancel(MEMBERSHIP_HEARTBEAT_TIMER_ID);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'retryBackoff', id: MEMBERSHIP_HEARTBEAT_TIMER_ID });
    }),
    recordFatalError: assign(({ context, event }) => {
      if (event.type !== 'response.heartbeat' || event.outcome.errorName === 'NONE') return {};
      const { errorName, message } = event.outcome;
      const error = fatalHeartbeatError(errorName, `group ${context.settings.groupId}: ConsumerGroupHeartbeat failed with ${errorName}${message === null ? '' : `: ${message}`}`);
      context.ports.logger.error({ group: context.settings.groupId, error: errorName }, 'the member cannot stay in the group');
      return { fatalError: error, pendingHeartbeat: null };
    }),
    emitFatalError: emit(({ context }) => ({ type: 'error' as const, error: context.fatalError, fatal: true })),
    logFenced: ({ context, event }) =>
      context.ports.logger.warn(
        { group: context.settings.groupId, memberEpoch: context.memberEpoch, error: event.type === 'response.heartbeat' ? event.outcome.errorName : event.type },
        'the member was fenced: its partitions are lost and it joins again with epoch 0',
      ),
    warnPollTimeout: ({ context }) =>
      context.ports.logger.warn(
        { group: context.settings.groupId, maxPollIntervalMs: context.settings.maxPollIntervalMs },
        'poll() was not called within max.poll.interval.ms: leaving the group; its partitions are lost and the consumer rejoins on its next poll()',
      ),
    /** RECONCILING: resolve the target's topic ids, then ask the consumer to revoke what the target does not hold. */
    startReconciliation: enqueueActions(({ context, enqueue }) => {
      const target = context.target ?? [];
      const { resolved, unresolvedTopicIds } = resolveAssignment(target, (topicId) => context.ports.topicName(topicId));
      const change = assignmentChange(context.owned, target, resolved);
      const request = context.hostRequest + 1;
      enqueue.assign({ reconciliation: { ...change, memberEpoch: context.targetEpoch }, unresolvedTopicIds, hostRequest: request });
      if (unresolvedTopicIds.length > 0) enqueue(() => context.ports.requestMetadata(unresolvedTopicIds));
      if (!context.inRebalance) {
        enqueue.assign({ inRebalance: true });
        enqueue.emit({ type: 'rebalance.started', trigger: 'rejoin', reason: 'the coordinator sent a new target assignment' });
      }
      enqueue.emit({ type: 'rebalance.joined', generation: context.targetEpoch });
      if (change.revoked.length > 0) {
        enqueue.emit(revocationRequest(request, 'revoke', change.revoked, 'the target assignment no longer holds them'));
      }
    }),
    /** The revocation is done: the member owns what it kept, and offers the consumer the assignment. */
    offerAssignment: enqueueActions(({ context, enqueue }) => {
      const reconciliation = context.reconciliation;
      if (reconciliation === null) return;
      const request = context.hostRequest + 1;
      const kept = context.owned.filter((owned) => !reconciliation.revoked.some((revoked) => revoked.topicId === owned.topicId && revoked.partition === owned.partition));
      enqueue.assign({ owned: kept, hostRequest: request });
      // The coordinator watches the subscribed topics' metadata under KIP-848, so the consumer watches only its own partitions' topics.
      enqueue.emit({
        type: 'assignment.ready',
        request,
        partitions: toTopicPartitions(reconciliation.assignment),
        added: toTopicPartitions(reconciliation.added),
        generation: reconciliation.memberEpoch,
        watchTopics: [],
      });
    }),
    /** The consumer applied the assignment: the member owns it, and says so in the next heartbeat. */
    completeReconciliation: assign(({ context }) => (context.reconciliation === null ? {} : { owned: context.reconciliation.assignment, reconciliation: null })),
    endRebalance: enqueueActions(({ context, enqueue }) => {
      if (!context.inRebalance) return;
      enqueue.assign({ inRebalance: false });
      enqueue.emit({ type: 'rebalance.ended', completed: true });
    }),
    abandonRebalance: enqueueActions(({ context, enqueue }) => {
      if (!context.inRebalance) return;
      enqueue.assign({ inRebalance: false });
      enqueue.emit({ type: 'rebalance.ended', completed: false });
    }),
    /** FENCED or STALE: the member lost its epoch; the consumer loses what it owns (onPartitionsLost, nothing committed). */
    requestLoss: enqueueActions(({ context, enqueue, event }) => {
      const request = context.hostRequest + 1;
      const stale = event.type === 'timer.pollExpired';
      const errorName = event.type === 'response.heartbeat' ? event.outcome.errorName : null;
      const reason = stale ? 'max.poll.interval.ms passed without poll()' : `the member was fenced (${errorName ?? 'unknown error'})`;
      enqueue.assign({ hostRequest: request, reconciliation: null, memberEpoch: memberEpochs.join, sentFields: null });
      if (!context.inRebalance) {
        // The rebalance starts here, so that its record counts the partitions lost.
        enqueue.assign({ inRebalance: true });
        enqueue.emit({ type: 'rebalance.started', trigger: stale ? 'poll-timeout' : errorName === 'UNKNOWN_MEMBER_ID' ? 'session-timeout' : 'rejoin', reason });
      }
      if (context.owned.length > 0) enqueue.emit(revocationRequest(request, 'lose', context.owned, reason));
    }),
    /** PREPARE_LEAVING: the consumer revokes what it owns (onPartitionsRevoked, with the auto-commit) before the leave heartbeat. */
    requestLeaveRevocation: enqueueActions(({ context, enqueue }) => {
      const request = context.hostRequest + 1;
      enqueue.assign({ hostRequest: request, reconciliation: null });
      if (context.owned.length > 0) {
        enqueue.emit(revocationRequest(request, 'revoke', context.owned, 'the consumer leaves the group'));
      }
    }),
    dropOwned: assign({ owned: [] }),
    resetMembership: assign({
      memberEpoch: memberEpochs.join,
      owned: [],
      target: null,
      targetEpoch: -1,
      reconciliation: null,
      unresolvedTopicIds: [],
      sentFields: null,
      pendingHeartbeat: null,
      pendingLeave: null,
      leaving: null,
    }),
  },
});
