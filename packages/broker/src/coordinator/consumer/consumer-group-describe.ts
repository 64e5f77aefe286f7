/**
 * A consumer group as ConsumerGroupDescribe shows it (Kafka's ConsumerGroup.asDescribedGroup, KIP-848): epochs, the
 * assignor the members prefer, and each member with its current and target assignment by topic id and name. kactor
 * adds each member's reconciliation state and the partitions it still has to revoke, which is what someone watching a
 * rebalance needs.
 */
import type { ResponseBody } from '@kactor/protocol';
import type { Assignment, ConsumerGroupData, ConsumerGroupStateName } from './consumer-group-data.js';
import { preferredServerAssignor } from './consumer-group-subscription.js';

type DescribedConsumerGroup = ResponseBody<'consumerGroupDescribe'>['groups'][number];
type DescribedMember = DescribedConsumerGroup['members'][number];
type DescribedTopicPartitions = DescribedMember['assignment']['topicPartitions'];

/** Kafka's memberType: 1 for a member of the consumer protocol. */
const CONSUMER_MEMBER_TYPE = 1;
/** Kafka's "authorized operations not asked for" (Integer.MIN_VALUE). */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/** The group entry without errorCode, errorMessage and groupId, which the caller fills in. */
export function describeConsumerGroup(group: ConsumerGroupData, state: ConsumerGroupStateName, defaultAssignor: string): Omit<DescribedConsumerGroup, 'errorCode' | 'errorMessage' | 'groupId'> {
  const topicNames = new Map(Object.entries(group.subscribedTopicMetadata).map(([name, topic]) => [topic.topicId, name]));
  const members = Object.values(group.members);
  return {
    groupState: state,
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: preferredServerAssignor(members, [defaultAssignor]) ?? defaultAssignor,
    members: members.map((member) => ({
      memberId: member.memberId,
      instanceId: member.instanceId,
      rackId: member.rackId,
      memberEpoch: member.memberEpoch,
      clientId: member.clientId,
      clientHost: member.clientHost,
      subscribedTopicNames: [...member.subscribedTopicNames],
      subscribedTopicRegex: member.subscribedTopicRegex,
      assignment: { topicPartitions: described(member.assignedPartitions, topicNames) },
      targetAssignment: { topicPartitions: described(group.targetAssignment[member.memberId] ?? {}, topicNames) },
      memberType: CONSUMER_MEMBER_TYPE,
      memberState: member.state,
      partitionsPendingRevocation: described(member.partitionsPendingRevocation, topicNames),
    })),
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/**
 * Partitions with their topic's name. A topic the group no longer knows (deleted since) is left out, as Kafka leaves
 * out the topics missing from its metadata image.
 */
function described(assignment: Assignment, topicNames: ReadonlyMap<string, string>): DescribedTopicPartitions {
  const result: DescribedTopicPartitions = [];
  for (const [topicId, partitions] of Object.entries(assignment)) {
    const topicName = topicNames.get(topicId);
    if (topicName !== undefined) result.push({ topicId, topicName, partitions: [...partitions] });
  }
  return result;
}
