/**
 * How the admin reads a consumer group (KIP-848) from ConsumerGroupDescribe, and when it must ask DescribeGroups
 * instead, as Kafka's DescribeConsumerGroupsHandler does: GROUP_ID_NOT_FOUND from ConsumerGroupDescribe means the
 * group is not a consumer group (a classic one, or none at all: DescribeGroups then says Dead), and a coordinator
 * that does not serve the API at all (UNSUPPORTED_VERSION in Kafka; kactor's brokers answer INVALID_REQUEST for an
 * API they do not serve) is asked with the classic API too.
 */
import { CONSUMER_PROTOCOL_TYPE, errorForCode, KafkaProtocolError, type ResponseBody } from '@kactor/protocol';
import type { GroupCoordinator } from '../network/find-coordinator.js';
import type { TopicPartition } from '../topic-partition.js';
import type { GroupDescription, GroupMemberDescription, GroupType } from './group-admin-types.js';

type DescribedConsumerGroup = ResponseBody<'consumerGroupDescribe'>['groups'][number];
type DescribedTopicPartitions = DescribedConsumerGroup['members'][number]['assignment']['topicPartitions'];

/** Per-group errors of ConsumerGroupDescribe after which the group is described with DescribeGroups. */
const classicGroupErrors: ReadonlySet<string> = new Set(['GROUP_ID_NOT_FOUND', 'UNSUPPORTED_VERSION']);

/** Whole-request failures meaning the coordinator does not serve ConsumerGroupDescribe. */
const apiNotServedErrors: ReadonlySet<string> = new Set(['UNSUPPORTED_VERSION', 'INVALID_REQUEST']);

/** The group answered with an error that sends the admin to DescribeGroups. */
export function isClassicGroupAnswer(errorCode: number): boolean {
  return classicGroupErrors.has(errorForCode(errorCode).name);
}

/** ConsumerGroupDescribe failed as a whole because the coordinator does not serve it. */
export function isApiNotServed(error: unknown): boolean {
  return error instanceof KafkaProtocolError && apiNotServedErrors.has(error.errorName);
}

/** ListGroups' groupType as the admin's type; kactor's brokers only answer classic or consumer. */
export function groupTypeOf(groupType: string): GroupType {
  return groupType.toLowerCase() === 'consumer' ? 'consumer' : 'classic';
}

/** Topic partitions of a described member, by topic name, sorted by topic then partition. */
function topicPartitions(described: DescribedTopicPartitions): TopicPartition[] {
  return described
    .flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.topicName, partition })))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/**
 * A described consumer group as the admin's GroupDescription: its assignor is the `protocol` and its group epoch the
 * `generationId` (the fields the classic views print), and it keeps its own epochs beside them.
 */
export function consumerGroupDescription(group: DescribedConsumerGroup, coordinator: GroupCoordinator): GroupDescription {
  return {
    groupId: group.groupId,
    type: 'consumer',
    state: group.groupState,
    protocolType: CONSUMER_PROTOCOL_TYPE,
    protocol: group.assignorName,
    generationId: group.groupEpoch,
    groupEpoch: group.groupEpoch,
    targetAssignmentEpoch: group.assignmentEpoch,
    assignorName: group.assignorName,
    // A consumer group has no leader: the coordinator computes the assignment.
    leaderId: '',
    coordinator,
    members: group.members.map(
      (member): GroupMemberDescription => ({
        memberId: member.memberId,
        groupInstanceId: member.instanceId,
        clientId: member.clientId,
        host: member.clientHost,
        assignment: topicPartitions(member.assignment.topicPartitions),
        memberEpoch: member.memberEpoch,
        memberState: member.memberState,
        targetAssignment: topicPartitions(member.targetAssignment.topicPartitions),
        partitionsPendingRevocation: topicPartitions(member.partitionsPendingRevocation),
      }),
    ),
    error: null,
  };
}
