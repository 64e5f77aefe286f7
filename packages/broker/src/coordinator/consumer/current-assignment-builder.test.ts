/** Every case of Kafka's CurrentAssignmentBuilderTest, by name and values (t1, t2 stand for the two topic ids). */
import type { TopicIdPartitions } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { newConsumerGroupMember, type Assignment, type ConsumerGroupMember, type MemberStateName } from './consumer-group-data.js';
import { computeCurrentAssignment, type CurrentAssignmentResult } from './current-assignment-builder.js';

function member(state: MemberStateName, memberEpoch: number, previousMemberEpoch: number, assignedPartitions: Assignment, partitionsPendingRevocation: Assignment = {}): ConsumerGroupMember {
  return { ...newConsumerGroupMember('member'), state, memberEpoch, previousMemberEpoch, assignedPartitions, partitionsPendingRevocation };
}

function build(from: ConsumerGroupMember, targetEpoch: number, target: Assignment, partitionEpoch: (topicId: string, partition: number) => number, owned: TopicIdPartitions[] | null = null): CurrentAssignmentResult {
  return computeCurrentAssignment({ member: from, targetAssignmentEpoch: targetEpoch, targetAssignment: target, currentPartitionEpoch: partitionEpoch, ownedTopicPartitions: owned });
}

const owned = (t1: number[], t2: number[]): TopicIdPartitions[] => [
  { topicId: 't1', partitions: t1 },
  { topicId: 't2', partitions: t2 },
];

describe('CurrentAssignmentBuilder (Kafka CurrentAssignmentBuilderTest)', () => {
  it('testStableToStable', () => {
    const from = member('STABLE', 10, 10, { t1: [1, 2, 3], t2: [4, 5, 6] });
    expect(build(from, 11, { t1: [1, 2, 3], t2: [4, 5, 6] }, () => 10)).toEqual({ member: member('STABLE', 11, 10, { t1: [1, 2, 3], t2: [4, 5, 6] }) });
  });

  it('testStableToStableWithNewPartitions', () => {
    const from = member('STABLE', 10, 10, { t1: [1, 2, 3], t2: [4, 5, 6] });
    expect(build(from, 11, { t1: [1, 2, 3, 4], t2: [4, 5, 6, 7] }, () => -1)).toEqual({ member: member('STABLE', 11, 10, { t1: [1, 2, 3, 4], t2: [4, 5, 6, 7] }) });
  });

  it('testStableToUnrevokedPartitions', () => {
    const from = member('STABLE', 10, 10, { t1: [1, 2, 3], t2: [4, 5, 6] });
    expect(build(from, 11, { t1: [2, 3, 4], t2: [5, 6, 7] }, () => -1)).toEqual({
      member: member('UNREVOKED_PARTITIONS', 10, 10, { t1: [2, 3], t2: [5, 6] }, { t1: [1], t2: [4] }),
    });
  });

  it('testStableToUnreleasedPartitions', () => {
    const from = member('STABLE', 10, 10, { t1: [1, 2, 3], t2: [4, 5, 6] });
    expect(build(from, 11, { t1: [1, 2, 3, 4], t2: [4, 5, 6, 7] }, () => 10)).toEqual({ member: member('UNRELEASED_PARTITIONS', 11, 10, { t1: [1, 2, 3], t2: [4, 5, 6] }) });
  });

  it('testStableToUnreleasedPartitionsWithOwnedPartitionsNotHavingRevokedPartitions', () => {
    const from = member('STABLE', 10, 10, { t1: [1, 2, 3], t2: [4, 5, 6] });
    const partitionEpoch = (topicId: string) => (topicId === 't2' ? 10 : -1);
    expect(build(from, 11, { t1: [1, 2, 3], t2: [4, 5, 7] }, partitionEpoch, [])).toEqual({ member: member('UNRELEASED_PARTITIONS', 11, 10, { t1: [1, 2, 3], t2: [4, 5] }) });
  });

  it('testUnrevokedPartitionsToStable', () => {
    const from = member('UNREVOKED_PARTITIONS', 10, 10, { t1: [2, 3], t2: [5, 6] }, { t1: [1], t2: [4] });
    expect(build(from, 11, { t1: [2, 3], t2: [5, 6] }, () => -1, owned([2, 3], [5, 6]))).toEqual({ member: member('STABLE', 11, 10, { t1: [2, 3], t2: [5, 6] }) });
  });

  it('testRemainsInUnrevokedPartitions', () => {
    const from = member('UNREVOKED_PARTITIONS', 10, 10, { t1: [2, 3], t2: [5, 6] }, { t1: [1], t2: [4] });
    const target = { t1: [3], t2: [6] };
    expect(build(from, 12, target, () => -1, null)).toEqual({ member: from });
    expect(build(from, 12, target, () => -1, owned([1, 2, 3], [5, 6]))).toEqual({ member: from });
    expect(build(from, 12, target, () => -1, owned([2, 3], [4, 5, 6]))).toEqual({ member: from });
  });

  it('testUnrevokedPartitionsToUnrevokedPartitions', () => {
    const from = member('UNREVOKED_PARTITIONS', 10, 10, { t1: [2, 3], t2: [5, 6] }, { t1: [1], t2: [4] });
    expect(build(from, 12, { t1: [3], t2: [6] }, () => -1, owned([2, 3], [5, 6]))).toEqual({
      member: member('UNREVOKED_PARTITIONS', 11, 10, { t1: [3], t2: [6] }, { t1: [2], t2: [5] }),
    });
  });

  it('testUnrevokedPartitionsToUnreleasedPartitions', () => {
    const from = member('UNREVOKED_PARTITIONS', 11, 10, { t1: [2, 3], t2: [5, 6] });
    expect(build(from, 11, { t1: [2, 3, 4], t2: [5, 6, 7] }, () => 10, owned([2, 3], [5, 6]))).toEqual({ member: member('UNRELEASED_PARTITIONS', 11, 11, { t1: [2, 3], t2: [5, 6] }) });
  });

  it('testUnreleasedPartitionsToStable', () => {
    const from = member('UNRELEASED_PARTITIONS', 11, 11, { t1: [2, 3], t2: [5, 6] });
    expect(build(from, 12, { t1: [2, 3], t2: [5, 6] }, () => 10)).toEqual({ member: member('STABLE', 12, 11, { t1: [2, 3], t2: [5, 6] }) });
  });

  it('testUnreleasedPartitionsToStableWithNewPartitions', () => {
    const from = member('UNRELEASED_PARTITIONS', 11, 11, { t1: [2, 3], t2: [5, 6] });
    expect(build(from, 11, { t1: [2, 3, 4], t2: [5, 6, 7] }, () => -1)).toEqual({ member: member('STABLE', 11, 11, { t1: [2, 3, 4], t2: [5, 6, 7] }) });
  });

  it('testUnreleasedPartitionsToUnreleasedPartitions', () => {
    const from = member('UNRELEASED_PARTITIONS', 11, 11, { t1: [2, 3], t2: [5, 6] });
    expect(build(from, 11, { t1: [2, 3, 4], t2: [5, 6, 7] }, () => 10)).toEqual({ member: from });
  });

  it('testUnreleasedPartitionsToUnrevokedPartitions', () => {
    const from = member('UNRELEASED_PARTITIONS', 11, 11, { t1: [2, 3], t2: [5, 6] });
    expect(build(from, 12, { t1: [3], t2: [6] }, () => 10)).toEqual({ member: member('UNREVOKED_PARTITIONS', 11, 11, { t1: [3], t2: [6] }, { t1: [2], t2: [5] }) });
  });

  it('testUnknownState', () => {
    const from = member('UNKNOWN', 11, 11, { t1: [3], t2: [6] }, { t1: [2], t2: [5] });
    // First the member is fenced, so that it resets its side; then it rejoins owning nothing.
    expect(build(from, 12, { t1: [3], t2: [6] }, () => 10)).toMatchObject({ errorName: 'FENCED_MEMBER_EPOCH' });
    expect(build(from, 12, { t1: [3], t2: [6] }, () => 11, [])).toEqual({ member: member('STABLE', 12, 11, { t1: [3], t2: [6] }) });
  });
});

describe('CurrentAssignmentBuilder beyond Kafka’s cases', () => {
  it('drops a topic gone from the target entirely and revokes it first', () => {
    const from = member('STABLE', 3, 3, { t1: [0, 1] });
    expect(build(from, 4, { t2: [0] }, () => -1, owned([0, 1], []))).toEqual({ member: member('UNREVOKED_PARTITIONS', 3, 3, {}, { t1: [0, 1] }) });
  });
});
