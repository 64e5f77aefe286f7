/**
 * A consumer's membership in its group, Kafka's classic protocol seen from the member (Kafka's
 * `AbstractCoordinator` + `ConsumerCoordinator`, EAGER rebalancing): find the coordinator, join
 * (with the MEMBER_ID_REQUIRED second join of KIP-394), let the leader compute the assignment, sync,
 * heartbeat, and rejoin when the group rebalances.
 *
 * ```
 *  unjoined ──app.poll──▶ joining ──JoinGroup ok──▶ syncing ──SyncGroup ok──▶ stable
 *     ▲                    ▲  (find coordinator,        │ (leader assigns;          │ heartbeat REBALANCE_IN_PROGRESS,
 *     │ app.unsubscribe    │   JoinGroup, backoff)      │  heartbeats on)           │ ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 *     │                    │                            ▼                           │ subscription or metadata changed,
 *     │                    └──── app.revocationDone ── rebalancing ◀────────────────┘ max.poll.interval.ms passed
 *     │                               (awaitingPoll ─app.poll─▶ revoking)
 *  any ──app.close / fatal error──▶ dead
 * ```
 *
 * The application's turn: as in Kafka, a rebalance only proceeds inside poll(). The machine waits in
 * `rebalancing.awaitingPoll` for the next poll, then in `rebalancing.revoking` for the consumer to run
 * the auto-commit and onPartitionsRevoked (or onPartitionsLost when the member lost its generation) on
 * the caller's turn; the consumer applies a new assignment (and runs onPartitionsAssigned) when it
 * sees `stable` with a generation it has not applied yet.
 *
 * Timers, on the injected clock, each named after its setting: `heartbeatInterval`
 * (heartbeat.interval.ms since the last heartbeat), `sessionTimeout` (session.timeout.ms without a
 * successful heartbeat answer: the coordinator is marked unknown and looked up again), `pollTimeout`
 * (max.poll.interval.ms without poll(): LeaveGroup, partitions lost, rejoin on the next poll), and
 * `retryBackoff` / `heartbeatRetryBackoff` (retry.backoff.ms growing to retry.backoff.max.ms, KIP-580).
 * The three member timers run while the member has a generation to keep alive: in `syncing`, `stable`
 * and `rebalancing` until the JoinGroup goes out (Kafka's heartbeat thread is off while a JoinGroup is
 * outstanding).
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { and, assign, enqueueActions, not, setup } from 'xstate';
import { backoffMs } from '../../internal/backoff.js';
import { computeAssignment, decodeMemberAssignment } from './assignor-adapter.js';
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
import { groupOutcome, isFatalMembershipError, meansCoordinatorLoading, meansCoordinatorLost, meansFenced } from './group-responses.js';
import type { ConsumerGroupContext, ConsumerGroupEvent, ConsumerGroupInput, GroupOutcome } from './group-types.js';

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

export const consumerGroupMachine = setup({
  types: { context: {} as ConsumerGroupContext, events: {} as ConsumerGroupEvent, input: {} as ConsumerGroupInput },
  delays: {
    heartbeatInterval: ({ context }) => Math.max(0, context.heartbeatTimerStartMs + context.settings.heartbeatIntervalMs - context.ports.clock.now()),
    sessionTimeout: ({ context }) => context.settings.sessionTimeoutMs,
    pollTimeout: ({ context }) => context.settings.maxPollIntervalMs,
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
    hasGeneration: ({ context }) => context.generationId >= 0 && context.memberId !== '',
  },
  actions: {
    recordSubscription: assign(({ context, event }) => {
      if (event.type !== 'app.subscribe') return {};
      const subscription = normalizeTopics(event.topics);
      return sameTopics(subscription, context.subscription) && context.subscribed ? {} : { subscription, subscribed: true };
    }),
    clearSubscription: assign({ subscription: [], subscribed: false, joinedSubscription: null }),
    recordRejoinReason: assign(({ event }) => ({ rejoinReason: rejoinReasonFor(event) })),
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
        pendingJoin: null,
        retryAttempts: 0,
      };
    }),
    resetGenerationAfterError: assign(({ event }) => ({
      generationId: -1,
      ...(errorNameOf(event) === 'UNKNOWN_MEMBER_ID' ? { memberId: '' } : {}),
      rejoinReason: `rebalance after ${errorNameOf(event)}`,
    })),
    armMemberTimers: enqueueActions(({ context, enqueue }) => {
      // Kafka resets all three timers when its heartbeat thread is enabled, after JoinGroup succeeds.
      enqueue.assign({ heartbeatTimerStartMs: context.ports.clock.now(), heartbeatFailures: 0, pendingHeartbeat: null });
      for (const id of [HEARTBEAT_TIMER_ID, SESSION_TIMER_ID, POLL_TIMER_ID]) enqueue.cancel(id);
      enqueue.raise({ type: 'timer.heartbeatDue' }, { delay: 'heartbeatInterval', id: HEARTBEAT_TIMER_ID });
      enqueue.raise({ type: 'timer.sessionExpired' }, { delay: 'sessionTimeout', id: SESSION_TIMER_ID });
      enqueue.raise({ type: 'timer.pollExpired' }, { delay: 'pollTimeout', id: POLL_TIMER_ID });
    }),
    cancelMemberTimers: enqueueActions(({ enqueue }) => {
      for (const id of [HEARTBEAT_TIMER_ID, SESSION_TIMER_ID, POLL_TIMER_ID]) enqueue.cancel(id);
      enqueue.assign({ pendingHeartbeat: null });
    }),
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
    computeLeaderAssignment: assign(({ context }) => {
      if (context.leaderId !== context.memberId) return { syncAssignments: [], assignmentSnapshot: null };
      try {
        const computed = computeAssignment(context.protocolName ?? '', context.members, (topic) => context.ports.partitionCount(topic));
        return { syncAssignments: computed.assignments, assignmentSnapshot: computed.partitionCounts };
      } catch (error) {
        context.ports.logger.error({ group: context.settings.groupId, err: error }, 'the leader could not compute the assignment');
        return { syncAssignments: null, assignmentSnapshot: null, error };
      }
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
      return { assignment: event.assignment, pendingSync: null, retryAttempts: 0, members: [] };
    }),
    recordFatalError: assign(({ context, event }) => {
      const outcome = outcomeOf(event);
      const name = outcome?.errorName ?? 'UNKNOWN_SERVER_ERROR';
      const fatalError = name === 'NONE' ? new Error(`fatal ${event.type}`) : KafkaProtocolError.from(name, outcome?.message ?? undefined);
      context.ports.logger.error({ group: context.settings.groupId, error: name }, 'the consumer cannot stay in its group');
      return { fatalError };
    }),
    recordFatalAssignmentProblem: assign(({ event }) => ({ fatalError: event.type === 'response.syncGroup' ? event.problem : new Error('unreadable assignment') })),
    recordUnexpectedError: assign(({ context, event }) => {
      const outcome = outcomeOf(event);
      if (outcome === null || outcome.errorName === 'NONE') return {};
      context.ports.logger.warn({ group: context.settings.groupId, event: event.type, error: outcome.errorName }, 'unexpected group error; rejoining after backoff');
      return { error: KafkaProtocolError.from(outcome.errorName, `${event.type}: ${outcome.message ?? outcome.errorName}`) };
    }),
    prepareRevocation: assign(({ context }) => ({
      revocation: { lost: context.generationId < 0 || context.memberId === '', generationId: context.generationId, reason: context.rejoinReason },
    })),
    /** LeaveGroup, fire and forget (Kafka does not wait either); the member forgets its generation and id. */
    leaveGroup: enqueueActions(({ context, event, enqueue }) => {
      const reason = event.type === 'timer.pollExpired' ? 'consumer poll timeout has expired' : event.type === 'app.close' ? 'the consumer is being closed' : 'the consumer unsubscribed';
      if (shouldSendLeaveGroup(context)) {
        const coordinator = context.coordinator as NonNullable<typeof context.coordinator>;
        const body = leaveGroupRequest(context, reason);
        context.ports.logger.info({ group: context.settings.groupId, memberId: context.memberId, reason }, 'leaving the group');
        enqueue(() => context.ports.request(coordinator.url, 'leaveGroup', body, () => undefined));
      }
      enqueue.assign({ generationId: -1, memberId: '', rejoinReason: reason, pendingJoin: null, pendingSync: null });
    }),
    warnPollTimeout: ({ context }) =>
      context.ports.logger.warn(
        { group: context.settings.groupId, maxPollIntervalMs: context.settings.maxPollIntervalMs },
        'poll() was not called within max.poll.interval.ms: leaving the group; its partitions are lost and the consumer rejoins on its next poll()',
      ),
  },
}).createMachine({
  id: 'consumerGroup',
  context: ({ input }) => ({
    ...input,
    subscription: [],
    subscribed: false,
    joinedSubscription: null,
    coordinator: null,
    memberId: '',
    generationId: -1,
    protocolName: null,
    leaderId: '',
    members: [],
    assignment: [],
    assignmentSnapshot: null,
    requestSequence: 0,
    pendingFind: null,
    pendingJoin: null,
    pendingSync: null,
    pendingHeartbeat: null,
    heartbeatTimerStartMs: 0,
    heartbeatFailures: 0,
    syncAssignments: null,
    retryAttempts: 0,
    revocation: null,
    rejoinReason: 'joining the group',
    error: undefined,
    fatalError: undefined,
  }),
  initial: 'unjoined',
  states: {
    unjoined: {
      description: 'Not in a group (Kafka: UNJOINED). Keeps the subscription; the first poll() after subscribe starts joining.',
      entry: 'cancelMemberTimers',
      on: {
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { actions: 'clearSubscription' },
        'app.poll': { guard: 'isSubscribed', target: 'joining' },
        'app.close': 'dead',
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    joining: {
      description:
        'Finding the coordinator (FindCoordinator, with backoff) and joining (Kafka: PREPARING_REBALANCE). A first JoinGroup without a member id ' +
        'gets MEMBER_ID_REQUIRED with the id to join again with (KIP-394). No heartbeats while a JoinGroup is outstanding. ' +
        '-> syncing once the coordinator answers the JoinGroup (after every member rejoined); -> dead on a fatal error.',
      entry: 'enterJoining',
      initial: 'routing',
      states: {
        routing: {
          description: 'Picks the next step: join when the coordinator is known, else look it up.',
          always: [{ guard: 'coordinatorKnown', target: 'awaitingJoin' }, { target: 'findingCoordinator' }],
        },
        findingCoordinator: {
          description: 'FindCoordinator sent to a broker; the answer names the leader of the group\'s __consumer_offsets partition.',
          entry: 'sendFindCoordinator',
          on: {
            'response.findCoordinator': [
              { guard: not('answersPendingFind') },
              { guard: 'succeeded', target: 'awaitingJoin', actions: 'recordFoundCoordinator' },
              { target: 'backingOff', actions: ['clearPendingFind', 'countRetry'] },
            ],
            'coordinator.discovered': { target: 'routing', actions: ['clearPendingFind', 'recordDiscoveredCoordinator'] },
          },
        },
        backingOff: {
          description: 'Waits retry.backoff.ms (growing exponentially while failures repeat) before looking up the coordinator or joining again.',
          after: { retryBackoff: 'routing' },
          on: { 'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' } },
        },
        awaitingJoin: {
          description: 'JoinGroup outstanding: the coordinator parks it until every member has rejoined or the rebalance timeout (max.poll.interval.ms) passes.',
          entry: 'sendJoinGroup',
          on: {
            'response.joinGroup': [
              { guard: not('answersPendingJoin') },
              { guard: 'succeeded', target: '#consumerGroup.syncing', actions: 'recordJoin' },
              { guard: 'memberIdRequired', target: 'awaitingJoin', reenter: true, actions: 'recordRequiredMemberId' },
              { guard: 'fenced', target: 'awaitingJoin', reenter: true, actions: 'resetGenerationAfterError' },
              { guard: 'rebalanceInProgress', target: 'awaitingJoin', reenter: true },
              { guard: 'fatal', target: '#consumerGroup.dead', actions: 'recordFatalError' },
              { guard: 'coordinatorLoading', target: 'joinBackingOff', actions: 'countRetry' },
              { guard: 'coordinatorLost', target: 'backingOff', actions: ['forgetCoordinator', 'countRetry'] },
              { target: 'backingOff', actions: ['recordUnexpectedError', 'countRetry'] },
            ],
            'coordinator.lost': { guard: 'isCurrentCoordinator', target: 'backingOff', actions: ['forgetCoordinator', 'countRetry'] },
          },
        },
        joinBackingOff: {
          description: 'The coordinator is still loading the group (COORDINATOR_LOAD_IN_PROGRESS): join it again after the backoff.',
          after: { retryBackoff: 'awaitingJoin' },
        },
      },
      on: {
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { target: 'unjoined', actions: ['leaveGroup', 'clearSubscription'] },
        'app.close': { target: 'dead', actions: 'leaveGroup' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    syncing: {
      description:
        'Joined generation N (Kafka: COMPLETING_REBALANCE). The leader decodes the members\' subscriptions, runs the selected assignor and sends ' +
        'every assignment in SyncGroup; followers send none and wait. Heartbeats run (REBALANCE_IN_PROGRESS is expected and ignored here). ' +
        '-> stable with the assignment; -> joining when the group rebalances again or fences the member.',
      entry: ['armMemberTimers', 'computeLeaderAssignment', 'sendSyncGroup'],
      always: { guard: 'leaderAssignmentFailed', target: '#consumerGroup.joining.backingOff', actions: 'countRetry' },
      on: {
        'response.syncGroup': [
          { guard: not('answersPendingSync') },
          { guard: 'assignmentUnreadable', target: 'dead', actions: 'recordFatalAssignmentProblem' },
          { guard: 'succeeded', target: 'stable', actions: 'recordAssignment' },
          { guard: 'rebalanceInProgress', target: 'joining', actions: 'recordRejoinReason' },
          { guard: 'fenced', target: 'joining', actions: 'resetGenerationAfterError' },
          { guard: 'fatal', target: 'dead', actions: 'recordFatalError' },
          { guard: 'coordinatorLost', target: 'joining', actions: 'forgetCoordinator' },
          { target: 'joining', actions: 'recordUnexpectedError' },
        ],
        'timer.heartbeatDue': { actions: 'sendHeartbeatOrFindCoordinator' },
        'timer.sessionExpired': { actions: ['logSessionExpired', 'forgetCoordinator', 'heartbeatNow'] },
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          // Kafka ignores REBALANCE_IN_PROGRESS before the member is stable: the SyncGroup answer says it.
          { guard: 'rebalanceInProgress', actions: 'recordHeartbeatSuccess' },
          { guard: 'fencedInCurrentGeneration', target: 'joining', actions: 'resetGenerationAfterError' },
          { guard: 'fatal', target: 'dead', actions: 'recordFatalError' },
          { guard: 'coordinatorLost', actions: ['forgetCoordinator', 'recordHeartbeatFailure'] },
          { actions: 'recordHeartbeatFailure' },
        ],
        'response.findCoordinator': [
          { guard: not('answersPendingFind') },
          { guard: 'succeeded', actions: ['recordFoundCoordinator', 'rearmSessionTimer', 'scheduleHeartbeat'] },
          { actions: 'recordHeartbeatFailure' },
        ],
        'timer.pollExpired': { target: 'rebalancing', actions: ['warnPollTimeout', 'leaveGroup', 'cancelMemberTimers'] },
        'app.poll': { actions: 'rearmPollTimer' },
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { target: 'unjoined', actions: ['leaveGroup', 'clearSubscription'] },
        'app.close': { target: 'dead', actions: 'leaveGroup' },
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    stable: {
      description:
        'In generation N with its assignment (Kafka: STABLE): heartbeats every heartbeat.interval.ms, rediscovers a lost coordinator without leaving. ' +
        '-> rebalancing when a heartbeat says REBALANCE_IN_PROGRESS, a heartbeat or commit says ILLEGAL_GENERATION/UNKNOWN_MEMBER_ID (partitions lost), ' +
        'the subscription changed since the JoinGroup, the leader sees partition counts change, or max.poll.interval.ms passes without poll().',
      always: { guard: 'subscriptionChangedSinceJoin', target: 'rebalancing', actions: 'recordRejoinReason' },
      on: {
        'timer.heartbeatDue': { actions: 'sendHeartbeatOrFindCoordinator' },
        'timer.sessionExpired': { actions: ['logSessionExpired', 'forgetCoordinator', 'heartbeatNow'] },
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          { guard: 'rebalanceInProgress', target: 'rebalancing', actions: ['recordHeartbeatSuccess', 'recordRejoinReason'] },
          { guard: 'fencedInCurrentGeneration', target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'fatal', target: 'dead', actions: 'recordFatalError' },
          { guard: 'coordinatorLost', actions: ['forgetCoordinator', 'recordHeartbeatFailure'] },
          { actions: 'recordHeartbeatFailure' },
        ],
        'response.findCoordinator': [
          { guard: not('answersPendingFind') },
          { guard: 'succeeded', actions: ['recordFoundCoordinator', 'rearmSessionTimer', 'scheduleHeartbeat'] },
          { actions: 'recordHeartbeatFailure' },
        ],
        'commit.refused': [
          { guard: 'fencedInCurrentGeneration', target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'rebalanceInProgress', target: 'rebalancing', actions: 'recordRejoinReason' },
        ],
        'metadata.updated': { guard: 'leaderMetadataChanged', target: 'rebalancing', actions: 'recordRejoinReason' },
        'timer.pollExpired': { target: 'rebalancing', actions: ['warnPollTimeout', 'leaveGroup', 'cancelMemberTimers'] },
        'app.poll': { actions: 'rearmPollTimer' },
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { target: 'unjoined', actions: ['leaveGroup', 'clearSubscription'] },
        'app.close': { target: 'dead', actions: 'leaveGroup' },
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    rebalancing: {
      description:
        'The member must rejoin. EAGER: it gives up everything it owns first, on the application\'s turn: auto-commit and onPartitionsRevoked, ' +
        'or onPartitionsLost when it lost its generation (fenced, or left after max.poll.interval.ms). Heartbeats go on while it still has a ' +
        'generation, so the coordinator keeps it for the rebalance. -> joining once the revocation is done.',
      initial: 'awaitingPoll',
      states: {
        awaitingPoll: {
          description: 'Waits for the application\'s next poll(): Kafka rejoins on the application thread, never in the background.',
          on: { 'app.poll': [{ guard: 'hasGeneration', target: 'revoking', actions: 'rearmPollTimer' }, { target: 'revoking' }] },
        },
        revoking: {
          description: 'The consumer runs the auto-commit and the revoked (or lost) callback for every owned partition, then sends app.revocationDone.',
          entry: 'prepareRevocation',
          on: {
            'app.revocationDone': '#consumerGroup.joining',
            'app.poll': { guard: 'hasGeneration', actions: 'rearmPollTimer' },
          },
        },
      },
      on: {
        'timer.heartbeatDue': { actions: 'sendHeartbeatOrFindCoordinator' },
        'timer.sessionExpired': { actions: ['logSessionExpired', 'forgetCoordinator', 'heartbeatNow'] },
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          { guard: 'rebalanceInProgress', actions: 'recordHeartbeatSuccess' },
          { guard: 'fencedInCurrentGeneration', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'fatal', target: 'dead', actions: 'recordFatalError' },
          { guard: 'coordinatorLost', actions: ['forgetCoordinator', 'recordHeartbeatFailure'] },
          { actions: 'recordHeartbeatFailure' },
        ],
        'response.findCoordinator': [
          { guard: not('answersPendingFind') },
          { guard: and(['succeeded', 'hasGeneration']), actions: ['recordFoundCoordinator', 'rearmSessionTimer', 'scheduleHeartbeat'] },
          { guard: 'succeeded', actions: 'recordFoundCoordinator' },
          { guard: 'hasGeneration', actions: 'recordHeartbeatFailure' },
          { actions: 'clearPendingFind' },
        ],
        'commit.refused': { guard: 'fencedInCurrentGeneration', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
        'timer.pollExpired': { actions: ['warnPollTimeout', 'leaveGroup', 'cancelMemberTimers'] },
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { target: 'unjoined', actions: ['leaveGroup', 'clearSubscription'] },
        'app.close': { target: 'dead', actions: 'leaveGroup' },
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    dead: {
      description:
        'Closed, or out of the group for good after a fatal error (INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, INVALID_SESSION_TIMEOUT, ' +
        'INVALID_GROUP_ID, FENCED_INSTANCE_ID): the error is kept in `fatalError` and thrown by poll().',
      type: 'final',
      entry: 'cancelMemberTimers',
    },
  },
});

function backoffPolicy(context: ConsumerGroupContext) {
  return { initialMs: context.settings.retryBackoffMs, maxMs: context.settings.retryBackoffMaxMs };
}

/** Why a rebalance starts, in words for logs and the JoinGroup `reason` (KIP-800). */
function rejoinReasonFor(event: ConsumerGroupEvent): string {
  switch (event.type) {
    case 'response.heartbeat':
    case 'response.syncGroup':
      return `the coordinator answered ${event.outcome.errorName}`;
    case 'commit.refused':
      return `an offset commit was refused with ${event.errorName}`;
    case 'metadata.updated':
      return 'the partition counts of subscribed topics changed';
    case 'app.subscribe':
      return 'the subscription changed';
    default:
      return 'the subscription changed since the last join';
  }
}
