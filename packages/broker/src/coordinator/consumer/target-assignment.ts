/**
 * Kafka's TargetAssignmentBuilder (group-coordinator/.../modern/): when the group epoch has passed the assignment
 * epoch, the coordinator hands the group to a server-side assignor (KIP-848) and writes the difference: one
 * ConsumerGroupTargetAssignmentMember record per member whose target changed, then the
 * ConsumerGroupTargetAssignmentMetadata record with the new assignment epoch.
 */
import type { ServerAssignorGroupSpec, ServerAssignorMember, ServerPartitionAssignor, SubscribedTopicDescriber, SubscriptionType } from '@kactor/assignors';
import type { ConsumerGroupRecord } from '@kactor/protocol';
import { assignmentsEqual, normaliseAssignment, topicPartitionsOf, type Assignment, type ConsumerGroupData, type ConsumerGroupMember, type SubscribedTopicMetadata } from './consumer-group-data.js';

export interface TargetAssignmentInput {
  /** The group as it is before the change that bumped its epoch. */
  group: ConsumerGroupData;
  /** The new group epoch: the epoch of the new target assignment. */
  groupEpoch: number;
  assignor: ServerPartitionAssignor;
  /** The subscribed topics the new epoch was computed from. */
  subscribedTopicMetadata: Record<string, SubscribedTopicMetadata>;
  /** A member joining or changed by this heartbeat (it replaces a departed static member with its instance id). */
  updatedMember?: ConsumerGroupMember;
  /** Members leaving with this change. */
  removedMemberIds?: readonly string[];
}

export interface TargetAssignmentResult {
  records: ConsumerGroupRecord[];
  /** Every member's new target, by member id. */
  targetAssignment: Record<string, Assignment>;
}

/** Runs the assignor; throws what the assignor throws (the caller answers UNKNOWN_SERVER_ERROR, as Kafka does). */
export function computeTargetAssignment(input: TargetAssignmentInput): TargetAssignmentResult {
  const { group } = input;
  const members = assignorMembers(input);
  const spec: ServerAssignorGroupSpec = {
    members: members.map(({ member, currentTarget }) => assignorMember(member, currentTarget, input.subscribedTopicMetadata)),
    subscriptionType: subscriptionTypeOf(members.map(({ member }) => member)),
  };
  const result = input.assignor.assign(spec, topicDescriber(input.subscribedTopicMetadata));
  const records: ConsumerGroupRecord[] = [];
  const targetAssignment: Record<string, Assignment> = {};
  for (const { member } of members) {
    const target = fromAssignorSets(result.members.get(member.memberId));
    targetAssignment[member.memberId] = target;
    const previous = group.targetAssignment[member.memberId];
    if (previous === undefined || !assignmentsEqual(previous, target)) {
      records.push({ type: 'ConsumerGroupTargetAssignmentMember', groupId: group.groupId, memberId: member.memberId, value: { topicPartitions: topicPartitionsOf(target) } });
    }
  }
  records.push({ type: 'ConsumerGroupTargetAssignmentMetadata', groupId: group.groupId, value: { assignmentEpoch: input.groupEpoch } });
  return { records, targetAssignment };
}

interface MemberWithTarget {
  member: ConsumerGroupMember;
  /** The member's current target, the assignor's stickiness input. */
  currentTarget: Assignment;
}

/**
 * The members in the group's order (the order they joined), the updated member in its place or last when new, the
 * removed ones and a static member replaced by the updated one left out. A new incarnation of a static member starts
 * from its predecessor's target, so that it gets the same partitions back (KIP-345's promise, kept by KIP-848).
 */
function assignorMembers(input: TargetAssignmentInput): MemberWithTarget[] {
  const { group, updatedMember } = input;
  const removed = new Set(input.removedMemberIds ?? []);
  let replacedTarget: Assignment | undefined;
  if (updatedMember?.instanceId != null) {
    const previous = Object.values(group.members).find((member) => member.instanceId === updatedMember.instanceId && member.memberId !== updatedMember.memberId);
    if (previous !== undefined) {
      removed.add(previous.memberId);
      replacedTarget = group.targetAssignment[previous.memberId];
    }
  }
  const result: MemberWithTarget[] = [];
  for (const member of Object.values(group.members)) {
    if (removed.has(member.memberId)) continue;
    const current = member.memberId === updatedMember?.memberId ? updatedMember : member;
    result.push({ member: current, currentTarget: group.targetAssignment[member.memberId] ?? {} });
  }
  if (updatedMember !== undefined && group.members[updatedMember.memberId] === undefined && !removed.has(updatedMember.memberId)) {
    result.push({ member: updatedMember, currentTarget: replacedTarget ?? group.targetAssignment[updatedMember.memberId] ?? {} });
  }
  return result;
}

function assignorMember(member: ConsumerGroupMember, currentTarget: Assignment, topics: Record<string, SubscribedTopicMetadata>): ServerAssignorMember {
  return {
    memberId: member.memberId,
    instanceId: member.instanceId,
    rackId: member.rackId,
    subscribedTopicIds: subscribedTopicIds(member, topics),
    assignedPartitions: new Map(Object.entries(currentTarget).map(([topicId, partitions]) => [topicId, new Set(partitions)])),
  };
}

/** The ids of the member's subscribed topics that exist (Kafka's TopicIds over the topics image). */
export function subscribedTopicIds(member: ConsumerGroupMember, topics: Record<string, SubscribedTopicMetadata>): Set<string> {
  const ids = new Set<string>();
  for (const name of member.subscribedTopicNames) {
    const topic = topics[name];
    if (topic !== undefined) ids.add(topic.topicId);
  }
  return ids;
}

/** Kafka's ModernGroup.subscriptionType: HOMOGENEOUS when every member subscribes to the same topic names. */
export function subscriptionTypeOf(members: readonly ConsumerGroupMember[]): SubscriptionType {
  const first = members[0];
  if (first === undefined) return 'HOMOGENEOUS';
  const key = [...new Set(first.subscribedTopicNames)].sort().join('\u0000');
  return members.every((member) => [...new Set(member.subscribedTopicNames)].sort().join('\u0000') === key) ? 'HOMOGENEOUS' : 'HETEROGENEOUS';
}

function topicDescriber(topics: Record<string, SubscribedTopicMetadata>): SubscribedTopicDescriber {
  const partitionsById = new Map(Object.values(topics).map((topic) => [topic.topicId, topic.numPartitions]));
  return {
    numPartitions: (topicId) => partitionsById.get(topicId) ?? -1,
    // kactor's metadata image gives the coordinator no replica racks yet, so rack-aware assignment has nothing to use.
    racksForPartition: () => new Set<string>(),
  };
}

function fromAssignorSets(sets: ReadonlyMap<string, ReadonlySet<number>> | undefined): Assignment {
  if (sets === undefined) return {};
  const plain: Record<string, number[]> = {};
  for (const [topicId, partitions] of sets) plain[topicId] = [...partitions];
  return normaliseAssignment(plain);
}
