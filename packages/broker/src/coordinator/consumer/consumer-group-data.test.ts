import { describe, expect, it } from 'vitest';
import {
  assignmentFromTopicPartitions,
  assignmentsEqual,
  consumerGroupStateOf,
  currentPartitionEpoch,
  emptyConsumerGroup,
  memberStateOfValue,
  memberStateValues,
  newConsumerGroupMember,
  normaliseAssignment,
  topicPartitionsOf,
  type ConsumerGroupData,
} from './consumer-group-data.js';

const withMember = (group: ConsumerGroupData, memberId: string, memberEpoch: number, state: 'STABLE' | 'UNREVOKED_PARTITIONS'): ConsumerGroupData => ({
  ...group,
  members: { ...group.members, [memberId]: { ...newConsumerGroupMember(memberId), memberEpoch, state } },
});

describe('consumerGroupStateOf (Kafka ConsumerGroup.maybeUpdateGroupState)', () => {
  it('is Empty without members', () => {
    expect(consumerGroupStateOf(emptyConsumerGroup('g'))).toBe('Empty');
  });

  it('is Assigning while the group epoch is ahead of the assignment epoch', () => {
    const group = withMember({ ...emptyConsumerGroup('g'), groupEpoch: 2, assignmentEpoch: 1 }, 'm1', 1, 'STABLE');
    expect(consumerGroupStateOf(group)).toBe('Assigning');
  });

  it('is Reconciling while a member is behind the assignment epoch or not STABLE, Stable once all are', () => {
    const base = { ...emptyConsumerGroup('g'), groupEpoch: 2, assignmentEpoch: 2 };
    expect(consumerGroupStateOf(withMember(withMember(base, 'm1', 2, 'STABLE'), 'm2', 1, 'STABLE'))).toBe('Reconciling');
    expect(consumerGroupStateOf(withMember(base, 'm1', 2, 'UNREVOKED_PARTITIONS'))).toBe('Reconciling');
    expect(consumerGroupStateOf(withMember(withMember(base, 'm1', 2, 'STABLE'), 'm2', 2, 'STABLE'))).toBe('Stable');
  });
});

describe('member states and assignments', () => {
  it('maps Kafka MemberState values both ways; an unknown value is UNKNOWN', () => {
    expect(memberStateValues).toEqual({ STABLE: 0, UNREVOKED_PARTITIONS: 1, UNRELEASED_PARTITIONS: 2, UNKNOWN: 127 });
    expect(memberStateOfValue(2)).toBe('UNRELEASED_PARTITIONS');
    expect(memberStateOfValue(42)).toBe('UNKNOWN');
  });

  it('normalises: topics and partitions sorted, duplicates and empty topics dropped', () => {
    expect(normaliseAssignment({ b: [3, 1, 3], a: [2], c: [] })).toEqual({ a: [2], b: [1, 3] });
    expect(assignmentFromTopicPartitions([{ topicId: 'b', partitions: [2] }, { topicId: 'a', partitions: [1] }, { topicId: 'b', partitions: [0] }])).toEqual({ a: [1], b: [0, 2] });
    expect(topicPartitionsOf({ a: [1], b: [0, 2] })).toEqual([{ topicId: 'a', partitions: [1] }, { topicId: 'b', partitions: [0, 2] }]);
    expect(assignmentsEqual({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(assignmentsEqual({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(assignmentsEqual({ a: [1] }, { b: [1] })).toBe(false);
  });

  it('a new member starts at epoch 0, previous epoch -1, STABLE; a free partition has epoch -1', () => {
    expect(newConsumerGroupMember('m')).toMatchObject({ memberEpoch: 0, previousMemberEpoch: -1, state: 'STABLE', assignedPartitions: {} });
    const group = { ...emptyConsumerGroup('g'), partitionEpochs: { t: { 0: 4 } } };
    expect(currentPartitionEpoch(group, 't', 0)).toBe(4);
    expect(currentPartitionEpoch(group, 't', 1)).toBe(-1);
  });
});
