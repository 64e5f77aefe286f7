/**
 * Applies one consumer group record to the group's data (Kafka's GroupMetadataManager.replay for record types 3 to
 * 8): after the host appended a heartbeat's records, and when a coordinator loads `__consumer_offsets`. It asserts
 * the group's invariants as it goes (one owner per partition, epochs never going back, no member or target ahead of
 * the group epoch) and throws an Error naming the broken one, so that a simulation seed turns corruption into a
 * failure instead of a silently wrong assignment.
 */
import type { ConsumerGroupRecord } from '@kactor/protocol';
import {
  assignmentFromTopicPartitions,
  emptyConsumerGroup,
  memberStateOfValue,
  newConsumerGroupMember,
  type Assignment,
  type ConsumerGroupData,
  type ConsumerGroupMember,
  type SubscribedTopicMetadata,
} from './consumer-group-data.js';

/** The member epoch of a member whose current assignment was deleted (Kafka's LEAVE_GROUP_MEMBER_EPOCH). */
const REMOVED_MEMBER_EPOCH = -1;

export class ConsumerGroupInvariantError extends Error {
  constructor(groupId: string, invariant: string) {
    super(`consumer group ${groupId}: invariant broken: ${invariant}`);
    this.name = 'ConsumerGroupInvariantError';
  }
}

/**
 * Returns the group with the record applied; `group` is not changed. The invariants between records (a member's
 * or the target's epoch not ahead of the group epoch) hold record by record because one change writes the group
 * epoch before the records that use it, and kactor does not compact `__consumer_offsets` (compaction would reorder them).
 */
export function applyConsumerGroupRecord(group: ConsumerGroupData, record: ConsumerGroupRecord): ConsumerGroupData {
  const fail = (invariant: string): never => {
    throw new ConsumerGroupInvariantError(group.groupId, invariant);
  };
  if (record.groupId !== group.groupId) fail(`a record of group ${record.groupId} was applied to it`);
  switch (record.type) {
    case 'ConsumerGroupMetadata': {
      if (record.value === null) {
        if (Object.keys(group.members).length > 0) fail('the group was deleted while it still had members');
        return { ...emptyConsumerGroup(group.groupId), offsets: group.offsets, pendingTransactionalOffsets: group.pendingTransactionalOffsets };
      }
      if (record.value.epoch < group.groupEpoch) fail(`the group epoch went back from ${group.groupEpoch} to ${record.value.epoch}`);
      return { ...group, groupEpoch: record.value.epoch };
    }
    case 'ConsumerGroupPartitionMetadata': {
      const topics: Record<string, SubscribedTopicMetadata> = {};
      for (const topic of record.value?.topics ?? []) topics[topic.topicName] = { topicId: topic.topicId, numPartitions: topic.numPartitions };
      return { ...group, subscribedTopicMetadata: topics };
    }
    case 'ConsumerGroupMemberMetadata': {
      const members = { ...group.members };
      const existing = members[record.memberId];
      if (record.value === null) {
        if (existing === undefined) return group;
        if (existing.memberEpoch !== REMOVED_MEMBER_EPOCH) fail(`member ${record.memberId} was removed before its current assignment`);
        delete members[record.memberId];
        return { ...group, members };
      }
      const value = record.value;
      members[record.memberId] = {
        ...(existing ?? newConsumerGroupMember(record.memberId)),
        instanceId: value.instanceId,
        rackId: value.rackId,
        clientId: value.clientId,
        clientHost: value.clientHost,
        subscribedTopicNames: [...value.subscribedTopicNames],
        subscribedTopicRegex: value.subscribedTopicRegex,
        rebalanceTimeoutMs: value.rebalanceTimeoutMs,
        serverAssignor: value.serverAssignor,
      };
      return { ...group, members };
    }
    case 'ConsumerGroupTargetAssignmentMember': {
      const targetAssignment = { ...group.targetAssignment };
      if (record.value === null) delete targetAssignment[record.memberId];
      else targetAssignment[record.memberId] = assignmentFromTopicPartitions(record.value.topicPartitions);
      return { ...group, targetAssignment };
    }
    case 'ConsumerGroupTargetAssignmentMetadata': {
      const assignmentEpoch = record.value?.assignmentEpoch ?? 0;
      if (record.value !== null && assignmentEpoch < group.assignmentEpoch) fail(`the assignment epoch went back from ${group.assignmentEpoch} to ${assignmentEpoch}`);
      if (assignmentEpoch > group.groupEpoch) fail(`the assignment epoch ${assignmentEpoch} is ahead of the group epoch ${group.groupEpoch}`);
      return { ...group, assignmentEpoch };
    }
    case 'ConsumerGroupCurrentMemberAssignment': {
      const existing = group.members[record.memberId];
      if (existing === undefined) {
        if (record.value === null) return group;
        return fail(`member ${record.memberId} got a current assignment before its metadata`);
      }
      const value = record.value;
      const updated: ConsumerGroupMember =
        value === null
          ? { ...existing, memberEpoch: REMOVED_MEMBER_EPOCH, previousMemberEpoch: REMOVED_MEMBER_EPOCH, state: 'STABLE', assignedPartitions: {}, partitionsPendingRevocation: {} }
          : {
              ...existing,
              memberEpoch: value.memberEpoch,
              previousMemberEpoch: value.previousMemberEpoch,
              state: memberStateOfValue(value.state),
              assignedPartitions: assignmentFromTopicPartitions(value.assignedPartitions),
              partitionsPendingRevocation: assignmentFromTopicPartitions(value.partitionsPendingRevocation),
            };
      if (value !== null) {
        // A member's epoch only moves forward, except to -2 when a static member leaves for a while.
        if (updated.memberEpoch >= 0 && updated.memberEpoch < existing.memberEpoch) fail(`member ${record.memberId}'s epoch went back from ${existing.memberEpoch} to ${updated.memberEpoch}`);
        if (updated.memberEpoch > group.groupEpoch) fail(`member ${record.memberId}'s epoch ${updated.memberEpoch} is ahead of the group epoch ${group.groupEpoch}`);
      }
      return { ...group, members: { ...group.members, [record.memberId]: updated }, partitionEpochs: movePartitionEpochs(group, existing, updated, fail) };
    }
  }
}

export function applyConsumerGroupRecords(group: ConsumerGroupData, records: readonly ConsumerGroupRecord[]): ConsumerGroupData {
  return records.reduce(applyConsumerGroupRecord, group);
}

/** Kafka's maybeUpdatePartitionEpoch: the old member's partitions are released at its epoch, the new ones taken at the new epoch. */
function movePartitionEpochs(group: ConsumerGroupData, before: ConsumerGroupMember, after: ConsumerGroupMember, fail: (invariant: string) => never): ConsumerGroupData['partitionEpochs'] {
  const epochs: Record<string, Record<number, number>> = {};
  const touched = (topicId: string): Record<number, number> => (epochs[topicId] ??= { ...(group.partitionEpochs[topicId] ?? {}) });
  const release = (assignment: Assignment) => {
    for (const [topicId, partitions] of Object.entries(assignment)) {
      const topic = touched(topicId);
      for (const partition of partitions) {
        if (topic[partition] !== before.memberEpoch) fail(`${topicId}-${partition} released by member ${before.memberId} at epoch ${before.memberEpoch} but held at epoch ${topic[partition] ?? 'none'}`);
        delete topic[partition];
      }
    }
  };
  const take = (assignment: Assignment) => {
    for (const [topicId, partitions] of Object.entries(assignment)) {
      const topic = touched(topicId);
      for (const partition of partitions) {
        if (topic[partition] !== undefined) fail(`${topicId}-${partition} given to member ${after.memberId} while still owned at epoch ${topic[partition]}`);
        topic[partition] = after.memberEpoch;
      }
    }
  };
  release(before.assignedPartitions);
  release(before.partitionsPendingRevocation);
  take(after.assignedPartitions);
  take(after.partitionsPendingRevocation);
  const result = { ...group.partitionEpochs };
  for (const [topicId, partitions] of Object.entries(epochs)) {
    if (Object.keys(partitions).length === 0) delete result[topicId];
    else result[topicId] = partitions;
  }
  return result;
}
