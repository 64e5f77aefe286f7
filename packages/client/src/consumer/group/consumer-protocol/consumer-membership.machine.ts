/**
 * A consumer's membership in a KIP-848 consumer group, seen from the member (Kafka's
 * `ConsumerMembershipManager` with its `MemberState`, and `ConsumerHeartbeatRequestManager`). The
 * coordinator computes the assignment; the member heartbeats its subscription and owned partitions with
 * ConsumerGroupHeartbeat and reconciles towards the target it is sent, revoking before it adds.
 * KIP-848: https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 *
 * ```
 *  UNSUBSCRIBED ─subscribe─▶ JOINING ─assignment─▶ RECONCILING ─revoked, then assigned─▶ ACKNOWLEDGING ─heartbeat sent─▶ STABLE
 *       ▲                    ▲   ▲                      ▲                                                                 │ new target
 *       │                    │   └── FENCED ◀── FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID (partitions lost)                 │
 *       │                    └────── STALE ◀── max.poll.interval.ms without poll() (leave, partitions lost; next poll)  ◀─┘
 *       └── LEAVING ◀── PREPARE_LEAVING ◀── unsubscribe / close (revoke, then the leave heartbeat, epoch -1 or -2)
 *  any ── UNSUPPORTED_ASSIGNOR, GROUP_MAX_SIZE_REACHED, INVALID_REQUEST, UNRELEASED_INSTANCE_ID, ... ──▶ FATAL
 * ```
 *
 * The application's turn: as in Kafka, revocation and assignment callbacks run inside poll(). The machine
 * emits `revocation.requested` (kind 'revoke', or 'lose' when it lost its epoch) and `assignment.ready`;
 * the consumer does them and answers `app.revocationDone` / `app.assignmentApplied` with the request's
 * number. `rebalance.started` / `rebalance.ended` bracket each reconciliation (and each join).
 *
 * Timers, on the injected clock: the heartbeat (the interval the coordinator returned; at once after a
 * reconciliation, to acknowledge it; retry.backoff.ms growing to retry.backoff.max.ms after a failure) and
 * the poll timer (max.poll.interval.ms). poll() only notes its time on the host, which the poll timer reads
 * when it fires (going STALE, or waiting for the rest of the interval); `app.poll` reaches the machine only
 * where it moves the member on (STALE.awaitingPoll, tagged MOVED_BY_POLL_TAG).
 */
import { and, not } from 'xstate';
import { MOVED_BY_POLL_TAG } from '../poll-timer.js';
import { membershipSetup } from './consumer-membership.setup.js';

export { MEMBERSHIP_HEARTBEAT_TIMER_ID, MEMBERSHIP_POLL_TIMER_ID } from './consumer-membership.setup.js';

type MembershipOn = NonNullable<Parameters<typeof membershipSetup.createMachine>[0]['on']>;

/** The heartbeat answers that mean the same in every state of a member in the group. */
const heartbeatFailures = [
  { guard: 'heartbeatFenced', target: '#consumerMembership.FENCED' },
  { guard: 'heartbeatCoordinatorLost', actions: ['forgetCoordinator', 'recordHeartbeatFailure'] },
  { guard: 'heartbeatRetriable', actions: 'recordHeartbeatFailure' },
  { guard: 'heartbeatFatal', target: '#consumerMembership.FATAL', actions: 'recordFatalError' },
] satisfies MembershipOn['response.heartbeat'];

/** What a member in the group (JOINING, RECONCILING, ACKNOWLEDGING, STABLE) does alike. */
const memberHandlers = {
  'app.subscribe': { actions: 'recordSubscription' },
  'app.unsubscribe': { target: '#consumerMembership.PREPARE_LEAVING', actions: 'recordLeaving' },
  'app.close': { target: '#consumerMembership.PREPARE_LEAVING', actions: 'recordLeaving' },
  'timer.pollExpired': [{ guard: 'pollIntervalPassed', target: '#consumerMembership.STALE', actions: 'warnPollTimeout' }, { actions: 'rearmPollTimer' }],
  'timer.heartbeatDue': { actions: 'sendHeartbeat' },
  'coordinator.discovered': { actions: ['recordDiscoveredCoordinator', 'heartbeatNow'] },
  'coordinator.lost': { guard: 'isCurrentCoordinator', actions: ['forgetCoordinator', 'heartbeatNow'] },
  'response.findCoordinator': [
    { guard: not('answersPendingFind') },
    { guard: 'findSucceeded', actions: ['recordFoundCoordinator', 'heartbeatNow'] },
    { actions: 'recordFindFailure' },
  ],
} satisfies MembershipOn;

/** Out of the group (FENCED, STALE): leaving needs no leave heartbeat. */
const outOfGroupHandlers = {
  'app.unsubscribe': { target: '#consumerMembership.UNSUBSCRIBED', actions: 'clearSubscription' },
  'app.close': '#consumerMembership.UNSUBSCRIBED',
  'app.subscribe': { actions: 'recordSubscription' },
  'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
  'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
} satisfies MembershipOn;

export const consumerMembershipMachine = membershipSetup.createMachine({
  id: 'consumerMembership',
  context: ({ input }) => ({
    ...input,
    subscription: [],
    coordinator: null,
    memberEpoch: 0,
    heartbeatIntervalMs: 0,
    target: null,
    targetEpoch: -1,
    owned: [],
    reconciliation: null,
    unresolvedTopicIds: [],
    sentFields: null,
    requestSequence: 0,
    pendingFind: null,
    pendingHeartbeat: null,
    pendingLeave: null,
    hostRequest: 0,
    announcedState: 'UNSUBSCRIBED' as const,
    inRebalance: false,
    lastHeartbeatMs: 0,
    pollTimerStartMs: 0,
    failures: 0,
    leaving: null,
    fatalError: undefined,
  }),
  initial: 'UNSUBSCRIBED',
  states: {
    UNSUBSCRIBED: {
      description: 'Not in the group: not subscribed, or left. Subscribing to at least one topic starts joining. Owns nothing; no heartbeats.',
      entry: [{ type: 'announceState', params: { state: 'UNSUBSCRIBED' } }, 'cancelTimers', 'abandonRebalance', 'resetMembership'],
      on: {
        'app.subscribe': [{ guard: 'hasTopics', target: 'JOINING', actions: 'recordSubscription' }, { actions: 'recordSubscription' }],
        'app.unsubscribe': { actions: 'clearSubscription' },
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    JOINING: {
      description:
        'Joining with epoch 0 and every field (subscription, rebalance timeout = max.poll.interval.ms, server assignor, instance id), under the ' +
        'member id the client generated (KIP-1082), finding the coordinator first when it is unknown. -> RECONCILING when the answer brings the ' +
        'member\'s assignment.',
      entry: [{ type: 'announceState', params: { state: 'JOINING' } }, 'enterJoining'],
      on: {
        ...memberHandlers,
        'response.heartbeat': [
          { guard: 'bringsAssignment', target: 'RECONCILING', actions: 'recordHeartbeat' },
          { guard: 'heartbeatSucceeded', actions: 'recordHeartbeat' },
          ...heartbeatFailures,
        ],
      },
    },
    RECONCILING: {
      description:
        'Reconciling towards the target the coordinator sent: its topic ids resolved from metadata (unknown ones wait for a metadata update), ' +
        'revoked = owned - target given up first (the consumer auto-commits and runs onPartitionsRevoked), then added = target - owned applied ' +
        '(onPartitionsAssigned). Heartbeats go on; a newer target waits for this reconciliation to end. -> ACKNOWLEDGING when it is applied.',
      entry: [{ type: 'announceState', params: { state: 'RECONCILING' } }, 'startReconciliation'],
      initial: 'routing',
      states: {
        routing: {
          description: 'Revokes first when the target takes partitions away, else offers the assignment at once.',
          always: [{ guard: 'hasRevocations', target: 'revoking' }, { target: 'assigning' }],
        },
        revoking: {
          description: 'Waits for the consumer to revoke owned - target on the application\'s turn (revocation.requested).',
          on: { 'app.revocationDone': { guard: 'answersHostRequest', target: 'assigning' } },
        },
        assigning: {
          description: 'Waits for the consumer to apply the assignment (assignment.ready): positions for the added partitions, onPartitionsAssigned.',
          entry: 'offerAssignment',
          on: { 'app.assignmentApplied': { guard: 'answersHostRequest', target: '#consumerMembership.ACKNOWLEDGING', actions: 'completeReconciliation' } },
        },
      },
      on: {
        ...memberHandlers,
        'response.heartbeat': [{ guard: 'heartbeatSucceeded', actions: 'recordHeartbeat' }, ...heartbeatFailures],
      },
    },
    ACKNOWLEDGING: {
      description:
        'The reconciliation is applied: the next heartbeat goes out at once with the owned partitions, which acknowledges it. -> STABLE once it ' +
        'is sent, or RECONCILING again when a newer target arrived meanwhile.',
      entry: [{ type: 'announceState', params: { state: 'ACKNOWLEDGING' } }, 'heartbeatNow'],
      always: [
        { guard: and(['canSendHeartbeat', 'targetReconciled']), target: 'STABLE', actions: 'sendHeartbeat' },
        { guard: 'canSendHeartbeat', target: 'RECONCILING', actions: 'sendHeartbeat' },
      ],
      on: {
        // Until then the coordinator is looked up, or a heartbeat is still in flight: its answer lets the acknowledgement go.
        ...memberHandlers,
        'response.heartbeat': [{ guard: 'heartbeatSucceeded', actions: 'recordHeartbeat' }, ...heartbeatFailures],
      },
    },
    STABLE: {
      description:
        'Owns its target assignment and heartbeats at the interval the coordinator returned (group.consumer.heartbeat.interval.ms), sending only ' +
        'the fields that changed. -> RECONCILING on a new target (or metadata that names a topic id of the target at last).',
      entry: [{ type: 'announceState', params: { state: 'STABLE' } }, 'endRebalance'],
      on: {
        ...memberHandlers,
        'response.heartbeat': [
          { guard: 'bringsNewAssignment', target: 'RECONCILING', actions: 'recordHeartbeat' },
          { guard: 'heartbeatSucceeded', actions: 'recordHeartbeat' },
          ...heartbeatFailures,
        ],
        'metadata.updated': { guard: 'targetResolvable', target: 'RECONCILING' },
      },
    },
    FENCED: {
      description:
        'The coordinator fenced the member (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID): its partitions may be someone else\'s already, so the ' +
        'consumer loses them (onPartitionsLost, nothing committed). -> JOINING with epoch 0 and the same member id once they are lost.',
      entry: [{ type: 'announceState', params: { state: 'FENCED' } }, 'logFenced', 'requestLoss'],
      always: { guard: not('ownsPartitions'), target: 'JOINING' },
      on: {
        ...outOfGroupHandlers,
        'app.revocationDone': { guard: 'answersHostRequest', target: 'JOINING', actions: 'dropOwned' },
      },
    },
    STALE: {
      description:
        'poll() was not called within max.poll.interval.ms: the member left with the leave epoch and its partitions are lost (onPartitionsLost). ' +
        '-> JOINING on the next poll().',
      entry: [{ type: 'announceState', params: { state: 'STALE' } }, 'cancelTimers', 'sendLeave', 'requestLoss'],
      initial: 'routing',
      states: {
        routing: {
          description: 'Loses the owned partitions first, if any.',
          always: [{ guard: 'ownsPartitions', target: 'losing' }, { target: 'awaitingPoll' }],
        },
        losing: {
          description: 'Waits for the consumer to lose the partitions (revocation.requested, kind lose).',
          on: { 'app.revocationDone': { guard: 'answersHostRequest', target: 'awaitingPoll', actions: 'dropOwned' } },
        },
        awaitingPoll: {
          description: 'Waits for the application\'s next poll() to join again.',
          tags: [MOVED_BY_POLL_TAG],
          on: { 'app.poll': '#consumerMembership.JOINING' },
        },
      },
      on: outOfGroupHandlers,
    },
    PREPARE_LEAVING: {
      description:
        'Unsubscribing or closing: the consumer revokes what it owns (auto-commit, onPartitionsRevoked) before the member leaves. Heartbeats go ' +
        'on meanwhile. -> LEAVING when the revocation is done.',
      entry: [{ type: 'announceState', params: { state: 'PREPARE_LEAVING' } }, 'requestLeaveRevocation'],
      always: { guard: not('ownsPartitions'), target: 'LEAVING' },
      on: {
        'app.revocationDone': { guard: 'answersHostRequest', target: 'LEAVING', actions: 'dropOwned' },
        'timer.heartbeatDue': { actions: 'sendHeartbeat' },
        'response.heartbeat': [
          { guard: 'heartbeatSucceeded', actions: 'recordHeartbeat' },
          { guard: 'heartbeatFatal', target: 'FATAL', actions: 'recordFatalError' },
          { actions: 'recordHeartbeatFailure' },
        ],
        'response.findCoordinator': [{ guard: not('answersPendingFind') }, { guard: 'findSucceeded', actions: 'recordFoundCoordinator' }, { actions: 'recordFindFailure' }],
      },
    },
    LEAVING: {
      description:
        'Sends the leave heartbeat: epoch -1, or -2 for a static member (group.instance.id), whose assignment the coordinator keeps until its ' +
        'session times out. -> UNSUBSCRIBED on its answer (or its failure), at once when the coordinator is unknown.',
      entry: [{ type: 'announceState', params: { state: 'LEAVING' } }, 'cancelTimers', 'sendLeave'],
      always: { guard: 'leaveNotSent', target: 'UNSUBSCRIBED' },
      on: { 'response.heartbeat': { guard: 'answersPendingLeave', target: 'UNSUBSCRIBED' } },
    },
    FATAL: {
      description:
        'Out of the group for good after an error Kafka does not retry (UNSUPPORTED_ASSIGNOR, GROUP_MAX_SIZE_REACHED, INVALID_REQUEST, ' +
        'UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED): the error is kept in `fatalError` and thrown by poll().',
      type: 'final',
      entry: [{ type: 'announceState', params: { state: 'FATAL' } }, 'cancelTimers', 'abandonRebalance', 'emitFatalError'],
    },
  },
});
