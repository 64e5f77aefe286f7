import { describe, expect, it } from 'vitest';
import { emptyConsumerGroup, newConsumerGroupMember, type ConsumerGroupMember } from './consumer-group-data.js';
import {
  currentAssignmentRecord,
  groupEpochRecord,
  memberMetadataRecord,
  memberTombstones,
  partitionMetadataRecord,
  targetAssignmentEpochRecord,
  targetAssignmentRecord,
} from './consumer-group-records.js';
import { applyConsumerGroupRecord, applyConsumerGroupRecords, ConsumerGroupInvariantError } from './consumer-group-replay.js';

const g = 'fooup';
const member = (memberId: string, fields: Partial<ConsumerGroupMember> = {}): ConsumerGroupMember => ({
  ...newConsumerGroupMember(memberId),
  clientId: 'client',
  clientHost: '/127.0.0.1',
  subscribedTopicNames: ['foo'],
  rebalanceTimeoutMs: 5000,
  ...fields,
});

/** Two members at epoch 10 sharing foo's 6 partitions, as the records of their joins leave them. */
function twoMemberGroup() {
  const m1 = member('m1', { memberEpoch: 10, previousMemberEpoch: 9, assignedPartitions: { fooId: [0, 1, 2] } });
  const m2 = member('m2', { memberEpoch: 10, previousMemberEpoch: 9, assignedPartitions: { fooId: [3, 4, 5] } });
  return applyConsumerGroupRecords(emptyConsumerGroup(g), [
    memberMetadataRecord(g, m1),
    memberMetadataRecord(g, m2),
    partitionMetadataRecord(g, { foo: { topicId: 'fooId', numPartitions: 6 } }),
    groupEpochRecord(g, 10),
    targetAssignmentRecord(g, 'm1', { fooId: [0, 1, 2] }),
    targetAssignmentRecord(g, 'm2', { fooId: [3, 4, 5] }),
    targetAssignmentEpochRecord(g, 10),
    currentAssignmentRecord(g, m1),
    currentAssignmentRecord(g, m2),
  ]);
}

describe('applyConsumerGroupRecord', () => {
  it('rebuilds epochs, members, targets, topic metadata and partition epochs from the records', () => {
    const group = twoMemberGroup();
    expect(group.groupEpoch).toBe(10);
    expect(group.assignmentEpoch).toBe(10);
    expect(Object.keys(group.members)).toEqual(['m1', 'm2']);
    expect(group.members.m1).toEqual(member('m1', { memberEpoch: 10, previousMemberEpoch: 9, assignedPartitions: { fooId: [0, 1, 2] } }));
    expect(group.targetAssignment).toEqual({ m1: { fooId: [0, 1, 2] }, m2: { fooId: [3, 4, 5] } });
    expect(group.subscribedTopicMetadata).toEqual({ foo: { topicId: 'fooId', numPartitions: 6 } });
    expect(group.partitionEpochs).toEqual({ fooId: { 0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10 } });
  });

  it('keeps partition epochs in step: pending revocations stay owned, a release frees them, the new epoch takes them', () => {
    let group = applyConsumerGroupRecord(twoMemberGroup(), groupEpochRecord(g, 11));
    const revoking = { ...group.members.m1!, state: 'UNREVOKED_PARTITIONS' as const, assignedPartitions: { fooId: [0, 1] }, partitionsPendingRevocation: { fooId: [2] } };
    group = applyConsumerGroupRecord(group, currentAssignmentRecord(g, revoking));
    expect(group.partitionEpochs.fooId).toEqual({ 0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10 });
    group = applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...revoking, state: 'STABLE', memberEpoch: 11, previousMemberEpoch: 10, partitionsPendingRevocation: {} }));
    expect(group.partitionEpochs.fooId).toEqual({ 0: 11, 1: 11, 3: 10, 4: 10, 5: 10 });
    group = applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m2!, memberEpoch: 11, previousMemberEpoch: 10, assignedPartitions: { fooId: [2, 3, 4, 5] } }));
    expect(group.partitionEpochs.fooId).toEqual({ 0: 11, 1: 11, 2: 11, 3: 11, 4: 11, 5: 11 });
  });

  it('removes a member with its tombstones (current assignment first) and frees its partitions', () => {
    const group = applyConsumerGroupRecords(twoMemberGroup(), [...memberTombstones(g, 'm2'), groupEpochRecord(g, 11)]);
    expect(Object.keys(group.members)).toEqual(['m1']);
    expect(group.targetAssignment).toEqual({ m1: { fooId: [0, 1, 2] } });
    expect(group.partitionEpochs).toEqual({ fooId: { 0: 10, 1: 10, 2: 10 } });
  });

  it('a group tombstone empties the group but keeps its committed offsets', () => {
    let group = applyConsumerGroupRecords(twoMemberGroup(), [...memberTombstones(g, 'm1'), ...memberTombstones(g, 'm2')]);
    group = { ...group, offsets: { 'foo-0': { offset: 5, leaderEpoch: -1, metadata: '', commitTimestampMs: 1 } } };
    const deleted = applyConsumerGroupRecord(group, { type: 'ConsumerGroupMetadata', groupId: g, value: null });
    expect(deleted).toMatchObject({ groupEpoch: 0, assignmentEpoch: 0, members: {}, partitionEpochs: {} });
    expect(deleted.offsets['foo-0']?.offset).toBe(5);
  });

  it('does not change the group it is given', () => {
    const group = twoMemberGroup();
    const copy = structuredClone(group);
    applyConsumerGroupRecords(group, [...memberTombstones(g, 'm2'), groupEpochRecord(g, 11)]);
    expect(group).toEqual(copy);
  });
});

describe('applyConsumerGroupRecord asserts the invariants (rule 8)', () => {
  const broken = (apply: () => unknown, words: string) => expect(apply).toThrow(new RegExp(`invariant broken: .*${words}`));

  it('one owner per partition', () => {
    const group = twoMemberGroup();
    broken(() => applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m2!, assignedPartitions: { fooId: [2, 3, 4, 5] } })), 'fooId-2 given to member m2 while still owned at epoch 10');
    expect(() => applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m2!, assignedPartitions: { fooId: [2] } }))).toThrow(ConsumerGroupInvariantError);
  });

  it('epochs never go back', () => {
    const group = twoMemberGroup();
    broken(() => applyConsumerGroupRecord(group, groupEpochRecord(g, 9)), 'group epoch went back from 10 to 9');
    broken(() => applyConsumerGroupRecord(group, targetAssignmentEpochRecord(g, 9)), 'assignment epoch went back');
    broken(() => applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m1!, memberEpoch: 9 })), "m1's epoch went back from 10 to 9");
    // A static member's temporary leave (-2) is not going back.
    expect(applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m1!, memberEpoch: -2 })).members.m1?.memberEpoch).toBe(-2);
  });

  it('no member epoch and no assignment epoch ahead of the group epoch', () => {
    const group = twoMemberGroup();
    broken(() => applyConsumerGroupRecord(group, currentAssignmentRecord(g, { ...group.members.m1!, memberEpoch: 11 })), 'ahead of the group epoch 10');
    broken(() => applyConsumerGroupRecord(group, targetAssignmentEpochRecord(g, 11)), 'assignment epoch 11 is ahead of the group epoch 10');
  });

  it('members leave in Kafka’s order and a group with members is not deleted', () => {
    const group = twoMemberGroup();
    broken(() => applyConsumerGroupRecord(group, { type: 'ConsumerGroupMemberMetadata', groupId: g, memberId: 'm1', value: null }), 'm1 was removed before its current assignment');
    broken(() => applyConsumerGroupRecord(group, { type: 'ConsumerGroupMetadata', groupId: g, value: null }), 'deleted while it still had members');
    broken(() => applyConsumerGroupRecord(group, currentAssignmentRecord(g, member('m9'))), 'm9 got a current assignment before its metadata');
    broken(() => applyConsumerGroupRecord(group, groupEpochRecord('other', 11)), 'a record of group other');
  });
});
