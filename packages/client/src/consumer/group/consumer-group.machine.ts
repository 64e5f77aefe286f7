/**
 * A consumer's membership in its group, Kafka's classic protocol seen from the member (Kafka's
 * `AbstractCoordinator` + `ConsumerCoordinator`): find the coordinator, join (with the
 * MEMBER_ID_REQUIRED second join of KIP-394), let the leader compute the assignment, sync, heartbeat,
 * and rejoin when the group rebalances, EAGER or COOPERATIVE (KIP-429), as a dynamic or a static
 * member (group.instance.id, KIP-345).
 *
 * ```
 *  unjoined ──app.poll──▶ joining ──JoinGroup ok──▶ syncing ──SyncGroup ok──▶ stable
 *     ▲                    ▲  (find coordinator,        │ (leader assigns;          │ heartbeat REBALANCE_IN_PROGRESS,
 *     │ app.unsubscribe    │   JoinGroup, backoff)      │  heartbeats on)           │ ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 *     │                    │                            │ COOPERATIVE and           │ subscription or metadata changed,
 *     │                    │                            │ owned − assigned ≠ ∅      │ max.poll.interval.ms passed
 *     │                    │                            ▼                           ▼
 *     │                    └── app.revocationDone ── rebalancing ◀──────────────────┘
 *     │                          eager:       awaitingPoll ─app.poll─▶ revokingAll (everything; nothing processed)
 *     │                          cooperative: awaitingPoll ─app.poll─▶ revokingUnsubscribed (keeps consuming)
 *     │                                       revokingMoved (after SyncGroup; then a second round at once)
 *     │                          either, generation gone during the auto-commit: losingAll (everything lost)
 *  any ──app.close / fatal error (FENCED_INSTANCE_ID, ...)──▶ dead
 * ```
 *
 * The protocol is the highest one every configured assignor supports (`settings.rebalanceProtocol`).
 * EAGER: the member gives up every partition before each JoinGroup, so it processes nothing until the
 * next assignment. COOPERATIVE: it keeps its partitions (and the consumer keeps fetching and delivering
 * them) through joining and syncing, sends them as ownedPartitions, and after SyncGroup gives up only
 * `owned − assigned`; when that is not empty it rejoins at once, and the second round hands the freed
 * partitions to their new owners (the assignor never gives a partition away in the round it is revoked).
 *
 * The application's turn: as in Kafka, a rebalance only proceeds inside poll(). The machine tells the
 * consumer what to do by emitting the membership seam's events (group-membership.ts; ClassicMembership
 * hosts the machine): each revoking state (tagged `revoking`) emits `revocation.requested` on entry and
 * waits for the consumer to run the auto-commit and onPartitionsRevoked (or onPartitionsLost when the
 * member lost its generation) on the caller's turn, and to say with `app.revocationDone` what it still
 * owns; `stable` emits `assignment.ready`, which the consumer applies (onPartitionsAssigned) and answers
 * with `app.assignmentApplied`. Every top-level state announces itself (`state`) and where the member's
 * rebalance stands: `rebalance.started` when it leaves `stable` or `unjoined` to rejoin,
 * `rebalance.joined` on each `syncing`, `rebalance.ended` when the consumer applied the assignment, or
 * unfinished when the member leaves the group (`unjoined`, `dead`, with `error` first after a fatal one).
 * poll() itself reaches the machine only where it moves the member on (`unjoined` and the `awaitingPoll`
 * states, tagged MOVED_BY_POLL_TAG); elsewhere the host only notes its time for the poll timer.
 *
 * Timers, on the injected clock, each named after its setting: `heartbeatInterval`
 * (heartbeat.interval.ms since the last heartbeat), `sessionTimeout` (session.timeout.ms without a
 * successful heartbeat answer: the coordinator is marked unknown and looked up again), `pollTimeout`
 * (max.poll.interval.ms without poll(): LeaveGroup from a dynamic member, partitions lost, rejoin on the
 * next poll; when it fires after a poll() that came meanwhile, it waits for the rest of the interval, as
 * Kafka's pollTimer does, KIP-62), and `retryBackoff` / `heartbeatRetryBackoff` (retry.backoff.ms growing to
 * retry.backoff.max.ms, KIP-580). The three member timers run while the member has a generation to keep
 * alive: in `syncing`, `stable` and `rebalancing` until the JoinGroup goes out (Kafka's heartbeat thread
 * is off while a JoinGroup is outstanding).
 */
import { and, not } from 'xstate';
import { groupSetup } from './consumer-group.setup.js';
import { MOVED_BY_POLL_TAG } from './poll-timer.js';

export { HEARTBEAT_TIMER_ID, POLL_TIMEOUT_REASON, POLL_TIMER_ID, SECOND_ROUND_REASON, SESSION_TIMER_ID } from './consumer-group.setup.js';

/** The `on` block of a state of this machine, for the fragments several states share. */
type GroupOn = NonNullable<Parameters<typeof groupSetup.createMachine>[0]['on']>;

/** What the application can do in any state where the member is in (or joining) the group. */
const applicationHandlers = {
  'app.subscribe': { actions: 'recordSubscription' },
  'app.unsubscribe': { target: '#consumerGroup.unjoined', actions: ['leaveGroup', 'clearSubscription'] },
  'app.close': { target: '#consumerGroup.dead', actions: 'leaveGroup' },
  'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
} satisfies GroupOn;

/** Kafka's heartbeat thread, while the member has a generation (syncing, stable, rebalancing). */
const heartbeatHandlers = {
  'timer.heartbeatDue': { actions: 'sendHeartbeatOrFindCoordinator' },
  'timer.sessionExpired': { actions: ['logSessionExpired', 'forgetCoordinator', 'heartbeatNow'] },
  'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
} satisfies GroupOn;

/** A coordinator found again by the heartbeat thread: heartbeat to it at once. */
const coordinatorFoundWhileMember = {
  'response.findCoordinator': [
    { guard: not('answersPendingFind') },
    { guard: 'succeeded', actions: ['recordFoundCoordinator', 'rearmSessionTimer', 'scheduleHeartbeat'] },
    { actions: 'recordHeartbeatFailure' },
  ],
} satisfies GroupOn;

/** The heartbeat answers every member state handles alike (after its own REBALANCE_IN_PROGRESS and fencing branches). */
const heartbeatFailures = [
  { guard: 'fatal', target: '#consumerGroup.dead', actions: 'recordFatalError' },
  { guard: 'coordinatorLost', actions: ['forgetCoordinator', 'recordHeartbeatFailure'] },
  { actions: 'recordHeartbeatFailure' },
] satisfies GroupOn['response.heartbeat'];

/**
 * Every revoking state: after the auto-commit the member looks at its generation again, as Kafka's
 * onJoinPrepare does after its commit; gone meanwhile, the partitions are lost rather than revoked.
 */
const autoCommitDoneWhileRevoking = {
  'app.autoCommitDone': { guard: 'generationLostDuringAutoCommit', target: '#consumerGroup.rebalancing.losingAll' },
} satisfies GroupOn;

/** max.poll.interval.ms without poll() in syncing or stable: leave (dynamic members only), lose the partitions on the next poll. */
const pollTimerWhileMember = {
  'timer.pollExpired': [
    { guard: 'pollIntervalPassed', target: '#consumerGroup.rebalancing', actions: ['warnPollTimeout', 'leaveGroup', 'cancelMemberTimers'] },
    { actions: 'rearmPollTimer' },
  ],
} satisfies GroupOn;

export const consumerGroupMachine = groupSetup.createMachine({
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
    skipAssignment: false,
    assignment: [],
    assignmentGenerationId: -1,
    owned: [],
    assignmentSnapshot: null,
    requestSequence: 0,
    pendingFind: null,
    pendingJoin: null,
    pendingSync: null,
    pendingHeartbeat: null,
    heartbeatTimerStartMs: 0,
    pollTimerStartMs: 0,
    heartbeatFailures: 0,
    syncAssignments: null,
    retryAttempts: 0,
    revocation: null,
    rejoinReason: 'joining the group',
    rejoinTrigger: 'join',
    error: undefined,
    fatalError: undefined,
    announcedState: 'unjoined',
  }),
  initial: 'unjoined',
  on: { 'app.assignmentApplied': { actions: 'announceRebalanceCompleted' } },
  states: {
    unjoined: {
      description: 'Not in a group (Kafka: UNJOINED). Keeps the subscription; the first poll() after subscribe starts joining.',
      tags: [MOVED_BY_POLL_TAG],
      entry: ['cancelMemberTimers', { type: 'announceState', params: { state: 'unjoined' } }],
      on: {
        'app.subscribe': { actions: 'recordSubscription' },
        'app.unsubscribe': { actions: 'clearSubscription' },
        'app.poll': { guard: 'isSubscribed', target: 'joining', actions: 'recordJoinTrigger' },
        'app.close': 'dead',
        'coordinator.discovered': { actions: 'recordDiscoveredCoordinator' },
        'coordinator.lost': { guard: 'isCurrentCoordinator', actions: 'forgetCoordinator' },
      },
    },
    joining: {
      description:
        'Finding the coordinator (FindCoordinator, with backoff) and joining (Kafka: PREPARING_REBALANCE). A first JoinGroup without a member id ' +
        'gets MEMBER_ID_REQUIRED with the id to join again with (KIP-394); a static member (group.instance.id) is let in at once. The JoinGroup ' +
        'carries the owned partitions (none under EAGER). No heartbeats while a JoinGroup is outstanding; a COOPERATIVE member keeps consuming. ' +
        '-> syncing once the coordinator answers the JoinGroup (after every member rejoined); -> rebalancing when fenced while owning ' +
        'partitions (they are lost); -> dead on a fatal error.',
      entry: ['enterJoining', { type: 'announceState', params: { state: 'joining' } }],
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
              // Kafka's onJoinPrepare after a reset generation: the partitions a COOPERATIVE member kept are lost.
              { guard: and(['fenced', 'ownsPartitions']), target: '#consumerGroup.rebalancing', actions: 'resetGenerationAfterError' },
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
      on: applicationHandlers,
    },
    syncing: {
      description:
        'Joined generation N (Kafka: COMPLETING_REBALANCE). The leader decodes the members\' subscriptions, runs the selected assignor (checking, ' +
        'under COOPERATIVE, that no partition changes owner in one round) and sends every assignment in SyncGroup; followers send none and wait. ' +
        'Heartbeats run (REBALANCE_IN_PROGRESS is expected and ignored here). -> stable with the assignment; -> rebalancing.cooperative.revokingMoved ' +
        'when a COOPERATIVE assignment takes owned partitions away; -> joining (or rebalancing, when it owns partitions) when the group rebalances ' +
        'again or fences the member.',
      entry: ['armMemberTimers', 'computeLeaderAssignment', 'sendSyncGroup', { type: 'announceState', params: { state: 'syncing' } }],
      always: { guard: 'leaderAssignmentFailed', target: '#consumerGroup.joining.backingOff', actions: 'countRetry' },
      on: {
        ...applicationHandlers,
        ...heartbeatHandlers,
        ...coordinatorFoundWhileMember,
        ...pollTimerWhileMember,
        'response.syncGroup': [
          { guard: not('answersPendingSync') },
          { guard: 'assignmentUnreadable', target: 'dead', actions: 'recordFatalAssignmentProblem' },
          { guard: and(['succeeded', 'assignmentRevokesOwned']), target: '#consumerGroup.rebalancing.cooperative.revokingMoved', actions: 'recordAssignment' },
          { guard: 'succeeded', target: 'stable', actions: ['recordAssignment', 'ownAssignment'] },
          // With partitions still owned (COOPERATIVE), the rejoin goes through the application's turn, as Kafka's does.
          { guard: and(['rebalanceInProgress', 'ownsPartitions']), target: 'rebalancing', actions: 'recordRejoinReason' },
          { guard: 'rebalanceInProgress', target: 'joining', actions: 'recordRejoinReason' },
          { guard: and(['fenced', 'ownsPartitions']), target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'fenced', target: 'joining', actions: 'resetGenerationAfterError' },
          { guard: 'fatal', target: 'dead', actions: 'recordFatalError' },
          { guard: 'coordinatorLost', target: 'joining', actions: 'forgetCoordinator' },
          { target: 'joining', actions: 'recordUnexpectedError' },
        ],
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          // Kafka ignores REBALANCE_IN_PROGRESS before the member is stable: the SyncGroup answer says it.
          { guard: 'rebalanceInProgress', actions: 'recordHeartbeatSuccess' },
          { guard: and(['fencedInCurrentGeneration', 'ownsPartitions']), target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'fencedInCurrentGeneration', target: 'joining', actions: 'resetGenerationAfterError' },
          ...heartbeatFailures,
        ],
      },
    },
    stable: {
      description:
        'In generation N with its assignment (Kafka: STABLE): heartbeats every heartbeat.interval.ms, rediscovers a lost coordinator without leaving. ' +
        '-> rebalancing when a heartbeat says REBALANCE_IN_PROGRESS, a heartbeat or commit says ILLEGAL_GENERATION/UNKNOWN_MEMBER_ID (partitions lost), ' +
        'the subscription changed since the JoinGroup, the leader sees partition counts change, or max.poll.interval.ms passes without poll(). ' +
        'FENCED_INSTANCE_ID (another process took this group.instance.id) -> dead.',
      entry: [{ type: 'announceState', params: { state: 'stable' } }, 'announceAssignment'],
      // Kafka's rejoinNeededOrPending, which its poll() asks every time: checked on entry and after every event,
      // so a change that came while the member was joining or syncing (a topic created as the group formed, a
      // metadata refresh the leader received after it assigned) is seen at once, not at the next refresh.
      always: [
        { guard: 'subscriptionChangedSinceJoin', target: 'rebalancing', actions: 'recordSubscriptionChangedRejoin' },
        { guard: 'leaderMetadataChanged', target: 'rebalancing', actions: 'recordMetadataChangedRejoin' },
      ],
      on: {
        ...applicationHandlers,
        ...heartbeatHandlers,
        ...coordinatorFoundWhileMember,
        ...pollTimerWhileMember,
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          { guard: 'rebalanceInProgress', target: 'rebalancing', actions: ['recordHeartbeatSuccess', 'recordRejoinReason'] },
          { guard: 'fencedInCurrentGeneration', target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          ...heartbeatFailures,
        ],
        'commit.refused': [
          { guard: 'fencedInCurrentGeneration', target: 'rebalancing', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          { guard: 'rebalanceInProgress', target: 'rebalancing', actions: 'recordRejoinReason' },
        ],
        'metadata.updated': { guard: 'leaderMetadataChanged', target: 'rebalancing', actions: 'recordMetadataChangedRejoin' },
      },
    },
    rebalancing: {
      description:
        'The member must rejoin, and first gives up what the protocol says, on the application\'s turn (auto-commit, then onPartitionsRevoked, ' +
        'or onPartitionsLost when it lost its generation: fenced, or left after max.poll.interval.ms). Heartbeats go on while it still has a ' +
        'generation, so the coordinator keeps it for the rebalance. -> joining once the revocation is done.',
      entry: { type: 'announceState', params: { state: 'rebalancing' } },
      initial: 'routing',
      states: {
        routing: {
          description: 'Picks the protocol every configured assignor supports (partition.assignment.strategy).',
          always: [{ guard: 'isCooperative', target: 'cooperative' }, { target: 'eager' }],
        },
        eager: {
          description: 'EAGER (stop the world): every owned partition is revoked before the JoinGroup; nothing is processed until the next assignment.',
          initial: 'awaitingPoll',
          states: {
            awaitingPoll: {
              description: 'Waits for the application\'s next poll(): Kafka rejoins on the application thread, never in the background.',
              tags: [MOVED_BY_POLL_TAG],
              on: { 'app.poll': 'revokingAll' },
            },
            revokingAll: {
              description: 'The consumer runs the auto-commit and the revoked (or lost) callback for every owned partition, then sends app.revocationDone.',
              tags: ['revoking'],
              entry: ['prepareEagerRevocation', 'announceRevocation'],
              on: {
                'app.revocationDone': { target: '#consumerGroup.joining', actions: 'recordOwned' },
                ...autoCommitDoneWhileRevoking,
              },
            },
          },
        },
        cooperative: {
          description:
            'COOPERATIVE (KIP-429): the member keeps its partitions and the consumer keeps fetching and delivering them; only what moves is revoked, ' +
            'and a partition reaches its new owner in a second round, after the old owner gave it up.',
          initial: 'awaitingPoll',
          states: {
            awaitingPoll: {
              description: 'Waits for the application\'s next poll(), still consuming the owned partitions.',
              tags: [MOVED_BY_POLL_TAG],
              on: { 'app.poll': 'revokingUnsubscribed' },
            },
            revokingUnsubscribed: {
              description:
                'Before the JoinGroup the consumer revokes only partitions of topics no longer subscribed (or loses everything without a generation), ' +
                'then sends app.revocationDone with what it keeps: the ownedPartitions of the JoinGroup.',
              tags: ['revoking'],
              entry: ['prepareCooperativeRevocation', 'announceRevocation'],
              on: {
                'app.revocationDone': { target: '#consumerGroup.joining', actions: 'recordOwned' },
                ...autoCommitDoneWhileRevoking,
              },
            },
            revokingMoved: {
              description:
                'SyncGroup gave an assignment without some owned partitions: the consumer revokes owned − assigned (onPartitionsRevoked), applies the ' +
                'assignment (onPartitionsAssigned with what was added), and the member rejoins at once for the second round that frees them.',
              tags: ['revoking'],
              entry: ['prepareMovedRevocation', 'announceRevocation'],
              on: {
                'app.revocationDone': { target: '#consumerGroup.joining', actions: ['recordOwned', 'recordSecondRound'] },
                ...autoCommitDoneWhileRevoking,
              },
            },
          },
        },
        losingAll: {
          description:
            'The member lost its generation while the consumer ran the auto-commit before a revocation (the commit was refused with ' +
            'ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID, a heartbeat fenced it, or it left after max.poll.interval.ms): its partitions may be ' +
            'another member\'s already, so the consumer loses everything it holds (onPartitionsLost) instead of revoking, and applies no ' +
            'assignment of the lost generation. -> joining once done.',
          tags: ['revoking'],
          entry: ['prepareLostRevocation', 'announceRevocation'],
          on: {
            'app.revocationDone': { target: '#consumerGroup.joining', actions: 'recordOwned' },
          },
        },
      },
      on: {
        ...applicationHandlers,
        ...heartbeatHandlers,
        'response.heartbeat': [
          { guard: not('answersPendingHeartbeat') },
          { guard: 'succeeded', actions: 'recordHeartbeatSuccess' },
          { guard: 'rebalanceInProgress', actions: 'recordHeartbeatSuccess' },
          { guard: 'fencedInCurrentGeneration', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
          ...heartbeatFailures,
        ],
        'response.findCoordinator': [
          { guard: not('answersPendingFind') },
          { guard: and(['succeeded', 'hasGeneration']), actions: ['recordFoundCoordinator', 'rearmSessionTimer', 'scheduleHeartbeat'] },
          { guard: 'succeeded', actions: 'recordFoundCoordinator' },
          { guard: 'hasGeneration', actions: 'recordHeartbeatFailure' },
          { actions: 'clearPendingFind' },
        ],
        'commit.refused': { guard: 'fencedInCurrentGeneration', actions: ['resetGenerationAfterError', 'cancelMemberTimers'] },
        'timer.pollExpired': [{ guard: 'pollIntervalPassed', actions: ['warnPollTimeout', 'leaveGroup', 'cancelMemberTimers'] }, { actions: 'rearmPollTimer' }],
      },
    },
    dead: {
      description:
        'Closed, or out of the group for good after a fatal error (INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, INVALID_SESSION_TIMEOUT, ' +
        'INVALID_GROUP_ID, FENCED_INSTANCE_ID as FencedInstanceIdError): the error is kept in `fatalError` and thrown by poll().',
      type: 'final',
      entry: ['cancelMemberTimers', 'announceFatalError', { type: 'announceState', params: { state: 'dead' } }],
    },
  },
});
