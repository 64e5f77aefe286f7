import { describe, expect, it } from 'vitest';
import { consumerGroupStateOf, emptyConsumerGroup } from './consumer-group-data.js';
import { barTopicId, fooTopicId, groupId, groupOf, stableMember } from './consumer-group-core-test-support.js';
import { describeConsumerGroup } from './consumer-group-describe.js';
import { currentAssignmentRecord, groupEpochRecord } from './consumer-group-records.js';
import { applyConsumerGroupRecords } from './consumer-group-replay.js';

describe('describeConsumerGroup (Kafka ConsumerGroup.asDescribedGroup, with kactor’s memberState and partitionsPendingRevocation)', () => {
  it('an empty group: its epochs and the default assignor, no members', () => {
    expect(describeConsumerGroup(emptyConsumerGroup(groupId), 'Empty', 'uniform')).toEqual({ groupState: 'Empty', groupEpoch: 0, assignmentEpoch: 0, assignorName: 'uniform', members: [], authorizedOperations: -2147483648 });
  });

  it('members with current and target assignments by topic id and name, their state and what they still revoke', () => {
    let group = groupOf(10, [
      stableMember('m1', 10, { [barTopicId]: [0, 1], [fooTopicId]: [0, 1, 2] }, { instanceId: 'i1', rackId: 'r1' }),
      stableMember('m2', 10, { [barTopicId]: [2], [fooTopicId]: [3, 4, 5] }),
    ]);
    group = applyConsumerGroupRecords(group, [
      groupEpochRecord(groupId, 11),
      currentAssignmentRecord(groupId, { ...group.members.m1!, state: 'UNREVOKED_PARTITIONS', assignedPartitions: { [fooTopicId]: [0, 1] }, partitionsPendingRevocation: { [barTopicId]: [0, 1], [fooTopicId]: [2] } }),
    ]);
    const described = describeConsumerGroup(group, consumerGroupStateOf(group), 'uniform');
    expect(described).toMatchObject({ groupState: 'Assigning', groupEpoch: 11, assignmentEpoch: 10, assignorName: 'range' });
    expect(described.members[0]).toEqual({
      memberId: 'm1',
      instanceId: 'i1',
      rackId: 'r1',
      memberEpoch: 10,
      clientId: 'client',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['bar', 'foo'],
      subscribedTopicRegex: null,
      assignment: { topicPartitions: [{ topicId: fooTopicId, topicName: 'foo', partitions: [0, 1] }] },
      targetAssignment: {
        topicPartitions: [
          { topicId: barTopicId, topicName: 'bar', partitions: [0, 1] },
          { topicId: fooTopicId, topicName: 'foo', partitions: [0, 1, 2] },
        ],
      },
      memberType: 1,
      memberState: 'UNREVOKED_PARTITIONS',
      partitionsPendingRevocation: [
        { topicId: barTopicId, topicName: 'bar', partitions: [0, 1] },
        { topicId: fooTopicId, topicName: 'foo', partitions: [2] },
      ],
    });
    expect(described.members[1]).toMatchObject({ memberId: 'm2', memberState: 'STABLE', partitionsPendingRevocation: [] });
  });

  it('leaves out a topic the group no longer knows', () => {
    const group = { ...groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0] })]), subscribedTopicMetadata: {} };
    expect(describeConsumerGroup(group, 'Stable', 'uniform').members[0]?.assignment.topicPartitions).toEqual([]);
  });
});
