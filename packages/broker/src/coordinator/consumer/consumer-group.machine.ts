/**
 * One KIP-848 consumer group on its coordinator (Kafka's ConsumerGroup, driven as GroupMetadataManager drives it).
 * The coordinator, not a member, computes the assignment: a member's ConsumerGroupHeartbeat updates it, bumps the
 * group epoch when the membership or a subscription changes, recomputes the target assignment with the server-side
 * assignor when the group epoch passes the assignment epoch, and moves the member one safe step towards its target
 * (revocation before assignment). The group's state is not an event of its own: it is Kafka's function of the data
 * (consumerGroupStateOf), which the chart reads through named guards after each applied step of written records.
 *
 * Durable changes are appended to `__consumer_offsets` (acks=all) first and applied only once written, so a
 * restarted coordinator replays to the same group. The named actions, guards and delays are in
 * consumer-group.setup.ts; this file holds the states and their transitions.
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 */
import { and } from 'xstate';
import { consumerGroupSetup } from './consumer-group.setup.js';
import { emptyRebalanceLog } from '../rebalance-log.js';

export type { ConsumerGroupContext, ConsumerGroupEmitted, ConsumerGroupEvent, ConsumerGroupInput, ConsumerGroupPorts, ConsumerGroupConfig } from './consumer-group.setup.js';

type LiveState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable';
type GroupStateGuard = 'groupIsEmpty' | 'groupIsAssigning' | 'groupIsReconciling' | 'groupIsStable';

const stateGuards: ReadonlyArray<{ guard: GroupStateGuard; target: LiveState }> = [
  { guard: 'groupIsEmpty', target: 'Empty' },
  { guard: 'groupIsAssigning', target: 'Assigning' },
  { guard: 'groupIsReconciling', target: 'Reconciling' },
  { guard: 'groupIsStable', target: 'Stable' },
];

/** The eventless transitions out of `self`: to whichever state the group's data now says (Kafka's maybeUpdateGroupState). */
const decideFrom = (self: LiveState) => stateGuards.filter((transition) => transition.target !== self).map((transition) => ({ ...transition, target: `#consumerGroupCoordinator.${transition.target}` }));

/** An append completed: what waited on it goes on (Empty first checks whether it was the group's deletion). */
const appendCompletions = [
  { guard: 'isHeartbeatAppend', actions: ['completeHeartbeat', 'resumeDeferred'] },
  { guard: 'isFenceAppend', actions: ['completeFence', 'resumeDeferred'] },
  { guard: 'isOffsetCommitAppend', actions: 'completeOffsetCommit' },
  { guard: 'isTxnOffsetCommitAppend', actions: 'completeTxnOffsetCommit' },
  { guard: 'isOffsetDeleteAppend', actions: 'completeOffsetDelete' },
  { actions: ['reportDeletion', 'forgetAppend'] },
] as const;

export const consumerGroupMachine = consumerGroupSetup.createMachine({
  // Not 'consumerGroup': that is the client's classic membership machine, and inspection tells machines apart by id.
  id: 'consumerGroupCoordinator',
  context: ({ input }) => ({ ...input, stateName: 'Empty', pendingAppends: {}, nextAppendToken: 1, rebalances: emptyRebalanceLog(), lastCause: null, groupBeforeStep: null, deferred: [] }),
  initial: 'Loaded',
  on: {
    'request.consumerGroupHeartbeat': [
      { guard: and(['groupChangeInFlight', 'deferredHeartbeatsFull']), actions: 'refuseBusyHeartbeat' },
      { guard: 'groupChangeInFlight', actions: 'deferChange' },
      { actions: 'heartbeat' },
    ],
    'request.offsetCommit': { actions: 'commitOffsets' },
    'request.txnOffsetCommit': { actions: 'commitTxnOffsets' },
    'request.offsetDelete': { actions: 'deleteOffsets' },
    'txn.completed': { actions: 'completeTransaction' },
    'records.apply': { actions: 'applyRecords' },
    'records.appended': appendCompletions,
    'timer.memberSessionExpired': [{ guard: 'groupChangeInFlight', actions: 'deferChange' }, { guard: 'sessionReallyExpired', actions: 'fenceExpiredMember' }],
    'timer.memberRebalanceExpired': [{ guard: 'groupChangeInFlight', actions: 'deferChange' }, { guard: 'rebalanceReallyExpired', actions: 'fenceUnrevokingMember' }],
    'group.delete': { actions: 'refuseDeletion' },
    'group.unload': { target: '.Dead', actions: 'settlePendingAppendsAsMoved' },
  },
  states: {
    Loaded: {
      description: 'Just created or loaded from __consumer_offsets: each loaded member gets a fresh session timeout, then the group is in the state its data says.',
      entry: 'startLoadedSessions',
      always: [...decideFrom('Empty'), { target: 'Empty' }],
    },
    Empty: {
      description:
        'No members (it may still hold committed offsets). A heartbeat with member epoch 0 adds the first member and bumps the group epoch. Offset ' +
        'commits outside the group (admins) are accepted; DeleteGroups works only here.',
      entry: ['enterEmpty', 'settleRebalanceRecord'],
      exit: 'openRebalanceRecord',
      always: decideFrom('Empty'),
      on: {
        'group.delete': { actions: 'deleteGroup' },
        'records.appended': [{ guard: 'isDeletionAppended', target: 'Dead', actions: ['reportDeletion', 'forgetAppend'] }, ...appendCompletions],
      },
    },
    Assigning: {
      description:
        'The group epoch is ahead of the target assignment: a member joined, left or was fenced, a subscription or a subscribed topic changed. The next ' +
        'heartbeat of any member runs the server-side assignor (group.remote.assignor, else the first of group.consumer.assignors) for the new epoch.',
      entry: 'enterAssigning',
      exit: 'noteRebalanceEpoch',
      always: decideFrom('Assigning'),
    },
    Reconciling: {
      description:
        'The target assignment is at the group epoch; some members have not reached it. Each heartbeat moves its member one step (Kafka\'s ' +
        'CurrentAssignmentBuilder): partitions to give up are revoked first (UNREVOKED_PARTITIONS, within the member\'s rebalance timeout, else it is ' +
        'fenced), partitions still owned by another member wait (UNRELEASED_PARTITIONS). Members keep consuming what they keep.',
      entry: ['enterReconciling', 'noteRebalanceEpoch'],
      always: decideFrom('Reconciling'),
    },
    Stable: {
      description:
        'Every member is at the target assignment epoch with nothing to revoke or wait for; members heartbeat every group.consumer.heartbeat.interval.ms ' +
        'and are fenced after group.consumer.session.timeout.ms without one.',
      entry: ['enterStable', 'settleRebalanceRecord'],
      exit: 'openRebalanceRecord',
      always: decideFrom('Stable'),
    },
    Dead: {
      description:
        'Deleted, or its coordinator moved: the coordinator forgets it. Requests still waiting on an append are answered now (NOT_COORDINATOR when the ' +
        'coordinator moved, so members find the new one at once).',
      entry: ['enterDead', 'settlePendingAppends'],
      type: 'final',
    },
  },
});
