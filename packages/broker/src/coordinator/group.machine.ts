/**
 * One classic consumer group on its coordinator (Kafka's ClassicGroup, driven as GroupMetadataManager
 * drives it). States and transitions are Kafka's: Empty → PreparingRebalance (members join; the first
 * rebalance of an Empty group waits group.initial.rebalance.delay.ms for more) → CompletingRebalance (the
 * leader computes the assignment; SyncGroups wait for it) → Stable, and back to PreparingRebalance when a
 * member joins, changes its subscription, leaves, or misses its session timeout. Dead once deleted or
 * when the coordinator moves.
 *
 * The rules live in pure functions (group-join.ts, group-sync.ts, group-offsets.ts) that return the new
 * group and the effects to perform; the named actions here apply them. Durable changes (the assignment of
 * a generation, committed offsets, deletion) are appended to `__consumer_offsets` first and applied only
 * once the append succeeded, so a restarted coordinator replays to the same groups. The named actions,
 * guards and delays are in group.setup.ts; this file holds the states and their transitions.
 */
import { and } from 'xstate';
import { groupSetup } from './group.setup.js';
import { emptyRebalanceLog } from './rebalance-log.js';

export type { AppendResult, GroupContext, GroupEmitted, GroupEvent, GroupInput, GroupPorts } from './group.setup.js';
export { connectGroupAppends } from './group.setup.js';

export const groupMachine = groupSetup.createMachine({
  id: 'group',
  context: ({ input }) => ({
    ...input,
    stateName: 'Empty',
    initialDelay: { delayMs: 0, remainingMs: 0, newMemberAdded: false },
    pendingAppends: {},
    nextAppendToken: 1,
    rebalances: emptyRebalanceLog(),
  }),
  initial: 'Loaded',
  on: {
    'request.offsetCommit': { actions: 'commitOffsets' },
    'request.offsetDelete': { actions: 'deleteOffsets' },
    'request.txnOffsetCommit': { actions: 'commitTxnOffsets' },
    'txn.completed': { actions: 'completeTransaction' },
    'records.appended': [
      { guard: 'isOffsetCommitAppend', actions: 'completeOffsetCommit' },
      { guard: 'isTxnOffsetCommitAppend', actions: 'completeTxnOffsetCommit' },
      { guard: 'isOffsetDeleteAppend', actions: 'completeOffsetDelete' },
      { actions: 'forgetAppend' },
    ],
    'timer.pendingMemberExpired': { actions: 'expirePendingMember' },
    'group.delete': { actions: 'refuseDeletion' },
    'group.unload': { target: '.Dead', actions: ['abandonParkedRequests', 'settlePendingAppendsAsMoved'] },
  },
  states: {
    Loaded: {
      description: 'Just created or loaded from __consumer_offsets: a group with members resumes Stable, one without is Empty.',
      always: [{ guard: 'hasMembers', target: 'Stable', actions: 'startLoadedSessions' }, { target: 'Empty' }],
    },
    Empty: {
      description:
        'No members (it may still hold committed offsets). A JoinGroup without a member id gets MEMBER_ID_REQUIRED; the rejoin with that id ' +
        'starts the first rebalance (a client older than KIP-394, Kafka\'s JoinGroup v0-v3, is given its id and joins at once). ' +
        'Offset commits outside a generation (admins) are accepted only here; DeleteGroups works only here.',
      entry: ['enterEmpty', 'settleRebalanceRecord'],
      exit: 'openRebalanceRecord',
      on: {
        'request.joinGroup': [
          { guard: 'joinIsInvalid', actions: 'rejectInvalidJoin' },
          { guard: and(['joinIsFromNewStaticMember', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewStaticMember', target: 'PreparingRebalance.InitialDelay', actions: ['addStaticMember', 'startInitialDelay'] },
          { guard: and(['joinIsFromNewMemberWithoutIdRoundTrip', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewMemberWithoutIdRoundTrip', target: 'PreparingRebalance.InitialDelay', actions: ['addMemberWithNewId', 'startInitialDelay'] },
          { guard: 'joinHasNoMemberId', actions: 'requireMemberId' },
          { guard: 'joinIsFromPendingMember', target: 'PreparingRebalance.InitialDelay', actions: ['addMember', 'startInitialDelay'] },
          { actions: 'rejectUnknownMember' },
        ],
        'request.syncGroup': { actions: 'rejectSync' },
        'request.heartbeat': { actions: 'answerHeartbeat' },
        'request.leaveGroup': { actions: 'leave' },
        'group.delete': { actions: 'deleteGroup' },
        'records.appended': [
          { guard: 'isDeletionAppended', target: 'Dead', actions: ['reportDeletion', 'forgetAppend'] },
          { guard: 'isOffsetCommitAppend', actions: 'completeOffsetCommit' },
          { guard: 'isTxnOffsetCommitAppend', actions: 'completeTxnOffsetCommit' },
          { guard: 'isOffsetDeleteAppend', actions: 'completeOffsetDelete' },
          { actions: ['reportDeletion', 'forgetAppend'] },
        ],
      },
    },
    PreparingRebalance: {
      description:
        'Waiting for every member to (re)join: JoinGroups are held, heartbeats and SyncGroups answer REBALANCE_IN_PROGRESS. Completes when ' +
        'all members have joined or the rebalance timeout (the largest max.poll.interval.ms) passes; members that did not rejoin are removed.',
      entry: 'enterPreparingRebalance',
      initial: 'AwaitingJoins',
      states: {
        InitialDelay: {
          description:
            'The first rebalance of an Empty group waits group.initial.rebalance.delay.ms, again each time a new member arrives (never past the ' +
            'rebalance timeout), so that consumers started together land in one generation.',
          after: {
            initialRebalanceDelay: [
              { guard: 'newMembersKeepJoining', target: 'InitialDelay', reenter: true, actions: 'extendInitialDelay' },
              { guard: 'someMembersRejoined', target: '#group.CompletingRebalance', actions: 'completeJoinPhase' },
              { target: '#group.Empty', actions: 'completeJoinPhase' },
            ],
          },
        },
        AwaitingJoins: {
          description:
            'Completes as soon as every member has joined (at once when the last members left: the group becomes Empty), or when the rebalance timeout ' +
            'passes; dynamic members that did not rejoin are dropped, static ones (KIP-345) kept. If only static members remain and none rejoined, it waits again.',
          always: [
            { guard: and(['allMembersJoined', 'someMembersRejoined']), target: '#group.CompletingRebalance', actions: 'completeJoinPhase' },
            { guard: 'allMembersJoined', target: '#group.Empty', actions: 'completeJoinPhase' },
          ],
          after: {
            rebalanceTimeout: [
              { guard: 'someMembersRejoined', target: '#group.CompletingRebalance', actions: 'completeJoinPhase' },
              // Only static members remain and none rejoined: wait another rebalance timeout; their sessions decide (Kafka).
              { guard: 'hasMembers', target: 'AwaitingJoins', reenter: true },
              { target: '#group.Empty', actions: 'completeJoinPhase' },
            ],
          },
        },
      },
      on: {
        'request.joinGroup': [
          { guard: 'joinIsInvalid', actions: 'rejectInvalidJoin' },
          { guard: and(['joinIsFromNewStaticMember', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewStaticMember', actions: 'addStaticMember' },
          { guard: 'joinIsStaticRejoin', actions: ['noteRebalanceJoin', 'replaceStaticMemberForRebalance'] },
          { guard: and(['joinIsFromNewMemberWithoutIdRoundTrip', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewMemberWithoutIdRoundTrip', actions: 'addMemberWithNewId' },
          { guard: 'joinHasNoMemberId', actions: 'requireMemberId' },
          { guard: 'joinIsFromPendingMember', actions: 'addMember' },
          { guard: 'joinHasMemberProblem', actions: 'rejectJoinMemberProblem' },
          { guard: 'joinIsFromKnownMember', actions: ['noteRebalanceJoin', 'updateMember'] },
          { actions: 'rejectUnknownMember' },
        ],
        'request.syncGroup': { actions: 'rejectSync' },
        'request.heartbeat': { actions: 'answerHeartbeat' },
        'request.leaveGroup': { actions: 'leave' },
        'timer.sessionExpired': { guard: 'sessionReallyExpired', actions: 'expireMemberSession' },
        'timer.newMemberJoinExpired': { guard: 'newMemberStillWaiting', actions: 'expireNewMember' },
      },
    },
    CompletingRebalance: {
      description:
        'The new generation is announced; waiting for the leader’s SyncGroup with the assignment (followers’ SyncGroups are held). The ' +
        'assignment is written to __consumer_offsets, then every member gets its share and the group is Stable. Offset commits answer ' +
        'REBALANCE_IN_PROGRESS. A join with new metadata, a restarted static member, a leave or an expired session starts the rebalance over.',
      entry: ['enterCompletingRebalance', 'noteRebalanceGeneration'],
      on: {
        'request.joinGroup': [
          { guard: 'joinIsInvalid', actions: 'rejectInvalidJoin' },
          { guard: and(['joinIsFromNewStaticMember', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewStaticMember', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'addStaticMember'] },
          // The leader may already have assigned to the old member id, so a restarted static member always rebalances here.
          { guard: 'joinIsStaticRejoin', target: 'PreparingRebalance.AwaitingJoins', actions: ['noteRebalanceJoin', 'replaceStaticMemberForRebalance', 'failParkedSyncs'] },
          { guard: and(['joinIsFromNewMemberWithoutIdRoundTrip', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewMemberWithoutIdRoundTrip', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'addMemberWithNewId'] },
          { guard: 'joinHasNoMemberId', actions: 'requireMemberId' },
          { guard: 'joinIsFromPendingMember', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'addMember'] },
          { guard: 'joinHasMemberProblem', actions: 'rejectJoinMemberProblem' },
          { guard: 'joinFromFollowerChangesNothing', actions: 'answerJoinWithCurrentGeneration' },
          { guard: 'joinIsFromKnownMember', target: 'PreparingRebalance.AwaitingJoins', actions: ['noteRebalanceJoin', 'failParkedSyncs', 'updateMember'] },
          { actions: 'rejectUnknownMember' },
        ],
        'request.syncGroup': [
          { guard: 'syncIsInvalid', actions: 'rejectSync' },
          { guard: 'syncIsFromLeader', actions: 'proposeLeaderAssignments' },
          { actions: 'parkSync' },
        ],
        'records.appended': [
          { guard: 'assignmentsAppended', target: 'Stable', actions: ['noteRebalanceAssignments', 'applyAssignments'] },
          { guard: 'assignmentsNotAppended', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'forgetAppend'] },
          { guard: 'isOffsetCommitAppend', actions: 'completeOffsetCommit' },
          { guard: 'isTxnOffsetCommitAppend', actions: 'completeTxnOffsetCommit' },
          { guard: 'isOffsetDeleteAppend', actions: 'completeOffsetDelete' },
          { actions: 'forgetAppend' },
        ],
        'request.heartbeat': { actions: 'answerHeartbeat' },
        'request.leaveGroup': [{ guard: 'leaveRemovesMembers', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'leave'] }, { actions: 'leave' }],
        'timer.sessionExpired': { guard: 'sessionReallyExpired', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'expireMemberSession'] },
        'timer.pendingSyncExpired': { guard: 'someMembersDidNotSync', target: 'PreparingRebalance.AwaitingJoins', actions: ['failParkedSyncs', 'removeUnsyncedMembers'] },
      },
    },
    Stable: {
      description:
        'Every member has its assignment and heartbeats every heartbeat.interval.ms. A new member, a member joining with new metadata, the ' +
        'leader joining, a leave, or a session that expires (session.timeout.ms) starts a rebalance. A restarted static member (KIP-345) that ' +
        'leaves the selected protocol as it is takes over a new member id without one: the group is written with it, and it gets the current ' +
        'generation and, on SyncGroup, its old assignment; the old id is fenced (FENCED_INSTANCE_ID).',
      entry: ['enterStable', 'settleRebalanceRecord'],
      exit: 'openRebalanceRecord',
      on: {
        'request.joinGroup': [
          { guard: 'joinIsInvalid', actions: 'rejectInvalidJoin' },
          { guard: and(['joinIsFromNewStaticMember', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewStaticMember', target: 'PreparingRebalance.AwaitingJoins', actions: 'addStaticMember' },
          { guard: and(['joinIsStaticRejoin', 'staticRejoinKeepsProtocol']), actions: 'replaceStaticMemberWithoutRebalance' },
          { guard: 'joinIsStaticRejoin', target: 'PreparingRebalance.AwaitingJoins', actions: 'replaceStaticMemberForRebalance' },
          { guard: and(['joinIsFromNewMemberWithoutIdRoundTrip', 'groupIsFull']), actions: 'rejectFullGroup' },
          { guard: 'joinIsFromNewMemberWithoutIdRoundTrip', target: 'PreparingRebalance.AwaitingJoins', actions: 'addMemberWithNewId' },
          { guard: 'joinHasNoMemberId', actions: 'requireMemberId' },
          { guard: 'joinIsFromPendingMember', target: 'PreparingRebalance.AwaitingJoins', actions: 'addMember' },
          { guard: 'joinHasMemberProblem', actions: 'rejectJoinMemberProblem' },
          { guard: 'joinChangesNothing', actions: 'answerJoinWithCurrentGeneration' },
          { guard: 'joinIsFromKnownMember', target: 'PreparingRebalance.AwaitingJoins', actions: 'updateMember' },
          { actions: 'rejectUnknownMember' },
        ],
        'request.syncGroup': [{ guard: 'syncIsInvalid', actions: 'rejectSync' }, { actions: ['noteRebalanceSyncAnswer', 'answerSyncWithAssignment', 'settleRebalanceRecord'] }],
        'records.appended': { guard: 'isStaticReplacementAppend', actions: 'finishStaticReplacement' },
        'request.heartbeat': { actions: 'answerHeartbeat' },
        'request.leaveGroup': [{ guard: 'leaveRemovesMembers', target: 'PreparingRebalance.AwaitingJoins', actions: 'leave' }, { actions: 'leave' }],
        'timer.sessionExpired': { guard: 'sessionReallyExpired', target: 'PreparingRebalance.AwaitingJoins', actions: 'expireMemberSession' },
        'timer.pendingSyncExpired': { guard: 'someMembersDidNotSync', target: 'PreparingRebalance.AwaitingJoins', actions: 'removeUnsyncedMembers' },
      },
    },
    Dead: {
      description:
        'Deleted, or its coordinator moved: the coordinator forgets it and answers its members to look elsewhere. Requests still waiting ' +
        'on an append (a second DeleteGroups, an OffsetCommit that raced the deletion) are answered now, as the append can no longer reach the group.',
      entry: ['enterDead', 'settlePendingAppends'],
      type: 'final',
    },
  },
});
