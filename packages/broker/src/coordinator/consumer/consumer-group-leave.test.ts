/** Leaving, static members and fencing, after Kafka's GroupMetadataManagerTest. */
import type { RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { consumerGroupStateOf, type ConsumerGroupData } from './consumer-group-data.js';
import { barTopicId, fooAndBar, fooTopicId, groupId, groupOf, heartbeat, join, PreparedAssignor, stableMember, testEnv } from './consumer-group-core-test-support.js';
import { consumerGroupHeartbeat, isHeartbeatRefusal, type AcceptedHeartbeat } from './consumer-group-heartbeat.js';
import { fenceMember, fenceMemberOnRebalanceTimeout } from './consumer-group-leave.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, memberTombstones, partitionMetadataRecord, targetAssignmentRecord } from './consumer-group-records.js';
import { applyConsumerGroupRecords } from './consumer-group-replay.js';

const assignor = new PreparedAssignor('range');
function accepted(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>): AcceptedHeartbeat {
  const result = consumerGroupHeartbeat(group, request, testEnv(assignor));
  if (isHeartbeatRefusal(result)) throw new Error(`refused: ${result.errorName} ${result.errorMessage}`);
  return result;
}
const zar = { topicId: 'zar-id', numPartitions: 1 };
const m1Partitions = { [barTopicId]: [0, 1], [fooTopicId]: [0, 1, 2] };
const m2Partitions = { [barTopicId]: [2], [fooTopicId]: [3, 4, 5] };
const staticPair = () =>
  groupOf(10, [stableMember('m1', 10, m1Partitions, { instanceId: 'instance-1', previousMemberEpoch: 9 }), stableMember('m2', 10, m2Partitions, { instanceId: 'instance-2', previousMemberEpoch: 9 })]);

describe('consumerGroupHeartbeat: leaving', () => {
  it('testLeavingMemberBumpsGroupEpoch: tombstones in Kafka’s order, the metadata without the topic only it subscribed to, epoch 11', () => {
    const topics = new Map([...fooAndBar, ['zar', zar]]);
    const group = groupOf(10, [stableMember('m1', 10, m1Partitions), stableMember('m2', 10, m2Partitions, { subscribedTopicNames: ['bar', 'foo', 'zar'] })], topics);
    const result = accepted(group, heartbeat('m2', -1, { subscribedTopicNames: ['foo', 'bar'], topicPartitions: [] }));
    expect(result.response).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId: 'm2', memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
    expect(result.records).toEqual([
      ...memberTombstones(groupId, 'm2'),
      partitionMetadataRecord(groupId, { bar: { topicId: barTopicId, numPartitions: 3 }, foo: { topicId: fooTopicId, numPartitions: 6 } }),
      groupEpochRecord(groupId, 11),
    ]);
    expect(result.timers).toEqual([
      { type: 'cancelSessionTimeout', memberId: 'm2' },
      { type: 'cancelRebalanceTimeout', memberId: 'm2' },
    ]);
    const after = applyConsumerGroupRecords(group, result.records);
    expect(Object.keys(after.members)).toEqual(['m1']);
    expect(consumerGroupStateOf(after)).toBe('Assigning');
  });

  it('an unknown member leaving gets UNKNOWN_MEMBER_ID', () => {
    expect(consumerGroupHeartbeat(staticPair(), heartbeat('m9', -1), testEnv(assignor))).toMatchObject({ errorName: 'UNKNOWN_MEMBER_ID' });
  });

  it('testNoGroupEpochBumpWhenStaticMemberTemporarilyLeaves: one record, epoch -2, the assignment kept', () => {
    const group = staticPair();
    const result = accepted(group, heartbeat('m2', -2, { instanceId: 'instance-2', subscribedTopicNames: ['foo', 'bar'], topicPartitions: [] }));
    expect(result.response).toMatchObject({ memberId: 'm2', memberEpoch: -2, assignment: null });
    expect(result.records).toEqual([currentAssignmentRecord(groupId, { ...group.members.m2!, memberEpoch: -2 })]);
    // Its session timeout keeps running: it is what removes the member if no new incarnation comes.
    expect(result.timers).toEqual([]);
    const after = applyConsumerGroupRecords(group, result.records);
    expect(after.groupEpoch).toBe(10);
    expect(after.members.m2?.assignedPartitions).toEqual(m2Partitions);
  });

  it('a static leave under another member’s instance id is FENCED_INSTANCE_ID; an unknown instance id UNKNOWN_MEMBER_ID', () => {
    expect(consumerGroupHeartbeat(staticPair(), heartbeat('m1', -2, { instanceId: 'instance-2' }), testEnv(assignor))).toMatchObject({ errorName: 'FENCED_INSTANCE_ID' });
    expect(consumerGroupHeartbeat(staticPair(), heartbeat('m1', -1, { instanceId: 'instance-9' }), testEnv(assignor))).toMatchObject({ errorName: 'UNKNOWN_MEMBER_ID' });
  });
});

describe('consumerGroupHeartbeat: static members', () => {
  it('testStaticMemberGetsBackAssignmentUponRejoin: the new incarnation replaces the old one and gets its partitions at epoch 10', () => {
    let group = staticPair();
    group = applyConsumerGroupRecords(group, accepted(group, heartbeat('m2', -2, { instanceId: 'instance-2', subscribedTopicNames: ['foo', 'bar'], topicPartitions: [] })).records);
    const result = accepted(group, join('m2-rejoin', { instanceId: 'instance-2' }));
    expect(result.response).toMatchObject({ memberId: 'm2-rejoin', memberEpoch: 10, heartbeatIntervalMs: 5000, assignment: { topicPartitions: [{ topicId: barTopicId, partitions: [2] }, { topicId: fooTopicId, partitions: [3, 4, 5] }] } });
    const copied = stableMember('m2-rejoin', 0, m2Partitions, { instanceId: 'instance-2', previousMemberEpoch: 0 });
    expect(result.records).toEqual([
      ...memberTombstones(groupId, 'm2'),
      memberMetadataRecord(groupId, copied),
      targetAssignmentRecord(groupId, 'm2-rejoin', m2Partitions),
      currentAssignmentRecord(groupId, copied),
      currentAssignmentRecord(groupId, { ...copied, memberEpoch: 10 }),
    ]);
    expect(assignor.calls).toBe(0);
    const after = applyConsumerGroupRecords(group, result.records);
    expect(Object.keys(after.members)).toEqual(['m1', 'm2-rejoin']);
    expect(after.groupEpoch).toBe(10);
    expect(consumerGroupStateOf(after)).toBe('Stable');
    expect(result.timers).toContainEqual({ type: 'cancelSessionTimeout', memberId: 'm2' });
  });

  it('testShouldThrownUnreleasedInstanceIdExceptionWhenNewMemberJoinsWithInUseInstanceId', () => {
    expect(consumerGroupHeartbeat(staticPair(), join('m3', { instanceId: 'instance-1' }), testEnv(assignor))).toMatchObject({ errorName: 'UNRELEASED_INSTANCE_ID' });
  });

  it('a heartbeat under another member’s instance id is FENCED_INSTANCE_ID', () => {
    expect(consumerGroupHeartbeat(staticPair(), heartbeat('m1', 10, { instanceId: 'instance-2' }), testEnv(assignor))).toMatchObject({ errorName: 'FENCED_INSTANCE_ID' });
  });
});

describe('fencing on session and rebalance timeouts', () => {
  it('fenceMember removes the member and bumps the group epoch; an unknown member is nothing to do', () => {
    const group = staticPair();
    expect(fenceMember(group, 'm1')?.records).toEqual([...memberTombstones(groupId, 'm1'), groupEpochRecord(groupId, 11)]);
    expect(fenceMember(group, 'gone')).toBeNull();
  });

  it('the rebalance timeout fences only a member still revoking at the epoch it was scheduled for', () => {
    const group = staticPair();
    const revoking = applyConsumerGroupRecords(group, [groupEpochRecord(groupId, 11), currentAssignmentRecord(groupId, { ...group.members.m1!, state: 'UNREVOKED_PARTITIONS', assignedPartitions: { [fooTopicId]: [0] }, partitionsPendingRevocation: { [fooTopicId]: [1, 2], [barTopicId]: [0, 1] } })]);
    expect(fenceMemberOnRebalanceTimeout(revoking, 'm1', 10)?.records).toEqual([...memberTombstones(groupId, 'm1'), groupEpochRecord(groupId, 12)]);
    expect(fenceMemberOnRebalanceTimeout(revoking, 'm1', 9)).toBeNull();
    expect(fenceMemberOnRebalanceTimeout(group, 'm1', 10)).toBeNull();
  });
});
