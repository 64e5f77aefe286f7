/**
 * The consumer group records (KIP-848, Kafka's GroupCoordinatorRecordHelpers for record types 3 to 8) built from the
 * group's data, so the heartbeat, the fencing and the tests all write them one way.
 */
import type { ConsumerGroupMemberMetadataValue, ConsumerGroupRecord } from '@kactor/protocol';
import { memberStateValues, topicPartitionsOf, type Assignment, type ConsumerGroupMember, type SubscribedTopicMetadata } from './consumer-group-data.js';

export function groupEpochRecord(groupId: string, epoch: number): ConsumerGroupRecord {
  return { type: 'ConsumerGroupMetadata', groupId, value: { epoch } };
}

export function partitionMetadataRecord(groupId: string, topics: Record<string, SubscribedTopicMetadata>): ConsumerGroupRecord {
  const sorted = Object.entries(topics)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topicName, topic]) => ({ topicId: topic.topicId, topicName, numPartitions: topic.numPartitions }));
  return { type: 'ConsumerGroupPartitionMetadata', groupId, value: { topics: sorted } };
}

export function memberMetadataValue(member: ConsumerGroupMember): ConsumerGroupMemberMetadataValue {
  return {
    instanceId: member.instanceId,
    rackId: member.rackId,
    clientId: member.clientId,
    clientHost: member.clientHost,
    subscribedTopicNames: [...member.subscribedTopicNames],
    subscribedTopicRegex: member.subscribedTopicRegex,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    serverAssignor: member.serverAssignor,
  };
}

export function memberMetadataRecord(groupId: string, member: ConsumerGroupMember): ConsumerGroupRecord {
  return { type: 'ConsumerGroupMemberMetadata', groupId, memberId: member.memberId, value: memberMetadataValue(member) };
}

export function targetAssignmentRecord(groupId: string, memberId: string, assignment: Assignment): ConsumerGroupRecord {
  return { type: 'ConsumerGroupTargetAssignmentMember', groupId, memberId, value: { topicPartitions: topicPartitionsOf(assignment) } };
}

export function targetAssignmentEpochRecord(groupId: string, assignmentEpoch: number): ConsumerGroupRecord {
  return { type: 'ConsumerGroupTargetAssignmentMetadata', groupId, value: { assignmentEpoch } };
}

export function currentAssignmentRecord(groupId: string, member: ConsumerGroupMember): ConsumerGroupRecord {
  return {
    type: 'ConsumerGroupCurrentMemberAssignment',
    groupId,
    memberId: member.memberId,
    value: {
      memberEpoch: member.memberEpoch,
      previousMemberEpoch: member.previousMemberEpoch,
      state: memberStateValues[member.state],
      assignedPartitions: topicPartitionsOf(member.assignedPartitions),
      partitionsPendingRevocation: topicPartitionsOf(member.partitionsPendingRevocation),
    },
  };
}

/** Kafka's removeMember: the order matters, the current assignment goes first so its partitions are released first. */
export function memberTombstones(groupId: string, memberId: string): ConsumerGroupRecord[] {
  return [
    { type: 'ConsumerGroupCurrentMemberAssignment', groupId, memberId, value: null },
    { type: 'ConsumerGroupTargetAssignmentMember', groupId, memberId, value: null },
    { type: 'ConsumerGroupMemberMetadata', groupId, memberId, value: null },
  ];
}
