/**
 * Kafka's CurrentAssignmentBuilder (group-coordinator/.../modern/consumer/) as a pure function: moves one member
 * from its current assignment towards its target assignment, one safe step at a time (KIP-848's reconciliation).
 * Revocation comes before assignment: while the member still reports owning a partition it must give up, it stays
 * at its epoch and is only told what it keeps (UNREVOKED_PARTITIONS). A partition is never given while another
 * member's epoch still holds it (UNRELEASED_PARTITIONS). The member's epoch moves to the target epoch only when
 * nothing is left to revoke.
 */
import type { ErrorName, TopicIdPartitions } from '@kactor/protocol';
import { normaliseAssignment, type Assignment, type ConsumerGroupMember, type MemberStateName } from './consumer-group-data.js';

export interface CurrentAssignmentInput {
  member: ConsumerGroupMember;
  targetAssignmentEpoch: number;
  /** The member's target assignment at targetAssignmentEpoch. */
  targetAssignment: Assignment;
  /** The epoch of the member owning a partition, -1 when the partition is free (Kafka's currentPartitionEpoch). */
  currentPartitionEpoch: (topicId: string, partition: number) => number;
  /** The partitions the member reports owning in this heartbeat; null when it did not say (unchanged). */
  ownedTopicPartitions: readonly TopicIdPartitions[] | null;
}

export type CurrentAssignmentResult = { member: ConsumerGroupMember } | { errorName: Extract<ErrorName, 'FENCED_MEMBER_EPOCH'>; errorMessage: string };

export function computeCurrentAssignment(input: CurrentAssignmentInput): CurrentAssignmentResult {
  const { member } = input;
  switch (member.state) {
    case 'STABLE':
      // A STABLE member moves only when a newer target exists.
      if (member.memberEpoch === input.targetAssignmentEpoch) return { member };
      return { member: nextAssignment(input, member.memberEpoch) };
    case 'UNREVOKED_PARTITIONS':
      // It may go on only once it no longer reports any partition it was asked to revoke; then it is at the next epoch.
      if (ownsAnyOf(input.ownedTopicPartitions, member.partitionsPendingRevocation)) return { member };
      return { member: nextAssignment(input, member.memberEpoch + 1) };
    case 'UNRELEASED_PARTITIONS':
      // Gives it whichever of its waiting partitions their previous owners have released meanwhile.
      return { member: nextAssignment(input, member.memberEpoch) };
    case 'UNKNOWN':
      // A state written by a newer coordinator: the member starts again from nothing, so it must first report nothing.
      if (input.ownedTopicPartitions === null || input.ownedTopicPartitions.length > 0) {
        return { errorName: 'FENCED_MEMBER_EPOCH', errorMessage: 'The member is in an unknown state; it must give up all its partitions and rejoin.' };
      }
      return { member: nextAssignment(input, input.targetAssignmentEpoch) };
  }
}

/** Not knowing what the member owns counts as owning everything (Kafka's ownsRevokedPartitions). */
function ownsAnyOf(owned: readonly TopicIdPartitions[] | null, revoking: Assignment): boolean {
  if (owned === null) return true;
  return owned.some(({ topicId, partitions }) => {
    const pending = revoking[topicId];
    return pending !== undefined && partitions.some((partition) => pending.includes(partition));
  });
}

/** Kafka's computeNextAssignment. */
function nextAssignment(input: CurrentAssignmentInput, memberEpoch: number): ConsumerGroupMember {
  const { member, targetAssignment } = input;
  const assigned: Record<string, number[]> = {};
  const pendingRevocation: Record<string, number[]> = {};
  const pendingAssignment: Record<string, number[]> = {};
  let hasUnreleasedPartitions = false;
  const topicIds = new Set([...Object.keys(targetAssignment), ...Object.keys(member.assignedPartitions)]);
  for (const topicId of topicIds) {
    const target = targetAssignment[topicId] ?? [];
    const current = member.assignedPartitions[topicId] ?? [];
    const kept = current.filter((partition) => target.includes(partition));
    assigned[topicId] = kept;
    pendingRevocation[topicId] = current.filter((partition) => !kept.includes(partition));
    const wanted = target.filter((partition) => !kept.includes(partition));
    const free = wanted.filter((partition) => input.currentPartitionEpoch(topicId, partition) === -1);
    if (free.length < wanted.length) hasUnreleasedPartitions = true;
    pendingAssignment[topicId] = free;
  }
  const revoking = normaliseAssignment(pendingRevocation);
  if (Object.keys(revoking).length > 0 && ownsAnyOf(input.ownedTopicPartitions, revoking)) {
    // The member keeps its epoch and is asked to give partitions up before it gets any new one.
    return withState(member, 'UNREVOKED_PARTITIONS', memberEpoch, normaliseAssignment(assigned), revoking);
  }
  for (const [topicId, partitions] of Object.entries(pendingAssignment)) assigned[topicId] = [...(assigned[topicId] ?? []), ...partitions];
  const state: MemberStateName = hasUnreleasedPartitions ? 'UNRELEASED_PARTITIONS' : 'STABLE';
  return withState(member, state, input.targetAssignmentEpoch, normaliseAssignment(assigned), {});
}

/** Kafka's Builder.updateMemberEpoch: the previous epoch becomes the one the member had. */
function withState(member: ConsumerGroupMember, state: MemberStateName, memberEpoch: number, assignedPartitions: Assignment, partitionsPendingRevocation: Assignment): ConsumerGroupMember {
  return { ...member, state, memberEpoch, previousMemberEpoch: member.memberEpoch, assignedPartitions, partitionsPendingRevocation };
}
