/** Builders for server assignor tests: groups written as plain objects, results read back as plain objects. */
import type {
  ServerAssignorGroupSpec,
  ServerAssignorMember,
  ServerGroupAssignment,
  SubscribedTopicDescriber,
  SubscriptionType,
  TopicIdPartitionSets,
} from './server-assignor.js';

/** Member -> topic id -> partitions (ascending). */
export type PlainAssignment = Record<string, Record<string, number[]>>;

export interface TestMember {
  readonly topics: readonly string[];
  readonly assigned?: Readonly<Record<string, readonly number[]>>;
  readonly instanceId?: string;
  readonly rackId?: string;
}

export function toPartitionSets(assigned: Readonly<Record<string, readonly number[]>> = {}): TopicIdPartitionSets {
  return new Map(Object.entries(assigned).map(([topicId, partitions]) => [topicId, new Set(partitions)]));
}

/** Kafka's rule for the subscription type: HOMOGENEOUS when every member subscribes to the same topics. */
export function subscriptionTypeOf(members: readonly ServerAssignorMember[]): SubscriptionType {
  const key = (member: ServerAssignorMember): string => [...member.subscribedTopicIds].sort().join(',');
  const first = members[0];
  return first === undefined || members.every((member) => key(member) === key(first)) ? 'HOMOGENEOUS' : 'HETEROGENEOUS';
}

/** A group spec with the members in the order written. */
export function groupOf(members: Readonly<Record<string, TestMember>>, subscriptionType?: SubscriptionType): ServerAssignorGroupSpec {
  const list: ServerAssignorMember[] = Object.entries(members).map(([memberId, member]) => ({
    memberId,
    instanceId: member.instanceId ?? null,
    rackId: member.rackId ?? null,
    subscribedTopicIds: new Set(member.topics),
    assignedPartitions: toPartitionSets(member.assigned),
  }));
  return { members: list, subscriptionType: subscriptionType ?? subscriptionTypeOf(list) };
}

export function describerOf(partitionCounts: Readonly<Record<string, number>>): SubscribedTopicDescriber {
  return {
    numPartitions: (topicId) => partitionCounts[topicId] ?? -1,
    racksForPartition: () => new Set(),
  };
}

export function plainAssignment(assignment: ServerGroupAssignment): PlainAssignment {
  const plain: PlainAssignment = {};
  for (const [memberId, topics] of assignment.members) {
    const member: Record<string, number[]> = {};
    for (const [topicId, partitions] of topics) if (partitions.size > 0) member[topicId] = [...partitions].sort((a, b) => a - b);
    plain[memberId] = member;
  }
  return plain;
}
