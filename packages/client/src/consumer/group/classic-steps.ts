/**
 * What the classic member computes at its steps, for the statechart's actions (consumer-group.setup.ts):
 * the leader's assignments for SyncGroup, and what it announces to the consumer through the membership
 * seam (group-membership.ts): the revocation to run and the assignment to apply.
 */
import type { MembershipEvent } from './group-membership.js';
import { computeAssignment, subscribedPartitionCounts } from './assignor-adapter.js';
import { assignmentChange, partitionsOfUnsubscribedTopics } from './cooperative.js';
import type { ConsumerGroupContext, RevocationKind } from './group-types.js';

/** The leader's assignments for its SyncGroup (none from a follower); `error` when they could not be computed. */
export function leaderAssignment(context: ConsumerGroupContext): Pick<ConsumerGroupContext, 'syncAssignments' | 'assignmentSnapshot'> & { error?: unknown } {
  if (context.leaderId !== context.memberId) return { syncAssignments: [], assignmentSnapshot: null };
  const partitionCount = (topic: string) => context.ports.partitionCount(topic);
  try {
    // KIP-814: a static member replaced without a rebalance keeps the group's assignment; the leader
    // assigns nothing but still watches the subscribed topics.
    if (context.skipAssignment) return { syncAssignments: [], assignmentSnapshot: subscribedPartitionCounts(context.members, partitionCount) };
    const computed = computeAssignment(context.protocolName ?? '', context.members, partitionCount, context.settings.rebalanceProtocol);
    for (const unreadable of computed.unreadableMembers) {
      context.ports.logger.warn(
        { group: context.settings.groupId, memberId: unreadable.memberId, problem: unreadable.problem },
        'the subscription of a member cannot be read: it is assigned nothing this generation',
      );
    }
    return { syncAssignments: computed.assignments, assignmentSnapshot: computed.partitionCounts };
  } catch (error) {
    context.ports.logger.error({ group: context.settings.groupId, err: error }, 'the leader could not compute the assignment');
    return { syncAssignments: null, assignmentSnapshot: null, error };
  }
}

/**
 * The revocation the consumer runs on its next poll(), from the pending one's kind (see RevocationKind)
 * and the partitions the consumer holds now: everything (EAGER, or lost without a generation), the
 * partitions of topics no longer subscribed (COOPERATIVE before a rejoin), or owned − assigned with the
 * new assignment applied right after (COOPERATIVE after SyncGroup).
 */
export function revocationRequest(context: ConsumerGroupContext, kind: RevocationKind): Extract<MembershipEvent, { type: 'revocation.requested' }> {
  const held = context.ports.heldPartitions();
  switch (kind) {
    case 'lost':
      return { type: 'revocation.requested', kind: 'lose', partitions: held, autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null };
    case 'all':
      return { type: 'revocation.requested', kind: 'revoke', partitions: held, autoCommitFirst: true, notifyWhenEmpty: true, thenAssign: null };
    case 'unsubscribed':
      return { type: 'revocation.requested', kind: 'revoke', partitions: partitionsOfUnsubscribedTopics(held, context.subscription), autoCommitFirst: true, notifyWhenEmpty: false, thenAssign: null };
    case 'moved': {
      const revoked = assignmentChange(held, context.assignment).revoked;
      // Committed before they move, so the new owner starts where this one stopped (Kafka leaves it to onPartitionsRevoked).
      return { type: 'revocation.requested', kind: 'revoke', partitions: revoked, autoCommitFirst: revoked.length > 0, notifyWhenEmpty: false, thenAssign: readyAssignment(context) };
    }
  }
}

/** The assignment of the current generation, for the consumer to apply. */
export function readyAssignment(context: ConsumerGroupContext): Extract<MembershipEvent, { type: 'assignment.ready' }> {
  return {
    type: 'assignment.ready',
    partitions: context.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
    generation: context.generationId,
    watchTopics: Object.keys(context.assignmentSnapshot ?? {}),
    skipWhenHeld: true,
  };
}
