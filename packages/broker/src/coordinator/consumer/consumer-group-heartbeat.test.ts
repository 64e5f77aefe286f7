/** ConsumerGroupHeartbeat's join, update, target assignment and reconciliation, after Kafka's GroupMetadataManagerTest. */
import { describe, expect, it } from 'vitest';
import { consumerGroupStateOf, emptyConsumerGroup, type ConsumerGroupData } from './consumer-group-data.js';
import { barTopicId, fooAndBar, fooTopicId, groupId, groupOf, heartbeat, join, PreparedAssignor, stableMember, testEnv } from './consumer-group-core-test-support.js';
import { consumerGroupHeartbeat, isHeartbeatRefusal, type AcceptedHeartbeat, type ConsumerGroupHeartbeatEnv } from './consumer-group-heartbeat.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, partitionMetadataRecord, targetAssignmentEpochRecord, targetAssignmentRecord } from './consumer-group-records.js';
import { applyConsumerGroupRecords } from './consumer-group-replay.js';
import type { RequestBody } from '@kactor/protocol';

function accepted(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>, env: ConsumerGroupHeartbeatEnv): AcceptedHeartbeat {
  const result = consumerGroupHeartbeat(group, request, env);
  if (isHeartbeatRefusal(result)) throw new Error(`refused: ${result.errorName} ${result.errorMessage}`);
  return result;
}
const tp = (topicId: string, ...partitions: number[]) => ({ topicId, partitions });
const fooBarTopics = { bar: { topicId: barTopicId, numPartitions: 3 }, foo: { topicId: fooTopicId, numPartitions: 6 } };

describe('consumerGroupHeartbeat: joining and the target assignment', () => {
  it('testMemberJoinsEmptyConsumerGroup: epoch 1, the whole target at once, Kafka’s records in Kafka’s order', () => {
    const assignor = new PreparedAssignor('range');
    assignor.prepare({ m1: { [fooTopicId]: [0, 1, 2, 3, 4, 5], [barTopicId]: [0, 1, 2] } });
    const group = emptyConsumerGroup(groupId);
    const result = accepted(group, join('m1'), testEnv(assignor));
    expect(result.response).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm1',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      assignment: { topicPartitions: [tp(barTopicId, 0, 1, 2), tp(fooTopicId, 0, 1, 2, 3, 4, 5)] },
    });
    const expected = stableMember('m1', 1, { [barTopicId]: [0, 1, 2], [fooTopicId]: [0, 1, 2, 3, 4, 5] }, { previousMemberEpoch: 0 });
    expect(result.records).toEqual([
      memberMetadataRecord(groupId, expected),
      partitionMetadataRecord(groupId, fooBarTopics),
      groupEpochRecord(groupId, 1),
      targetAssignmentRecord(groupId, 'm1', expected.assignedPartitions),
      targetAssignmentEpochRecord(groupId, 1),
      currentAssignmentRecord(groupId, expected),
    ]);
    expect(result.timers).toEqual([
      { type: 'cancelRebalanceTimeout', memberId: 'm1' },
      { type: 'scheduleSessionTimeout', memberId: 'm1', timeoutMs: 45000 },
    ]);
    // The function changes nothing; the records applied give the Stable group.
    expect(group).toEqual(emptyConsumerGroup(groupId));
    const after = applyConsumerGroupRecords(group, result.records);
    expect(consumerGroupStateOf(after)).toBe('Stable');
    expect(after.members.m1).toEqual(expected);
  });

  it('testUpdatingSubscriptionTriggersNewTargetAssignment: epoch 10 -> 11, the new target given at once', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0, 1, 2, 3, 4, 5] }, { subscribedTopicNames: ['foo'] })]);
    assignor.prepare({ m1: { [fooTopicId]: [0, 1, 2, 3, 4, 5], [barTopicId]: [0, 1, 2] } });
    const result = accepted(group, heartbeat('m1', 10, { subscribedTopicNames: ['foo', 'bar'] }), testEnv(assignor));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: { topicPartitions: [tp(barTopicId, 0, 1, 2), tp(fooTopicId, 0, 1, 2, 3, 4, 5)] } });
    const expected = stableMember('m1', 11, { [barTopicId]: [0, 1, 2], [fooTopicId]: [0, 1, 2, 3, 4, 5] }, { previousMemberEpoch: 10 });
    expect(result.records).toEqual([
      memberMetadataRecord(groupId, expected),
      partitionMetadataRecord(groupId, fooBarTopics),
      groupEpochRecord(groupId, 11),
      targetAssignmentRecord(groupId, 'm1', expected.assignedPartitions),
      targetAssignmentEpochRecord(groupId, 11),
      currentAssignmentRecord(groupId, expected),
    ]);
  });

  it('testNewJoiningMemberTriggersNewTargetAssignment: the others are asked to revoke; the new member waits (UNRELEASED_PARTITIONS)', () => {
    const assignor = new PreparedAssignor('range');
    const m1 = stableMember('m1', 10, { [fooTopicId]: [0, 1, 2], [barTopicId]: [0, 1] });
    const m2 = stableMember('m2', 10, { [fooTopicId]: [3, 4, 5], [barTopicId]: [2] });
    const group = groupOf(10, [m1, m2]);
    assignor.prepare({ m1: { [fooTopicId]: [0, 1], [barTopicId]: [0] }, m2: { [fooTopicId]: [2, 3], [barTopicId]: [1] }, m3: { [fooTopicId]: [4, 5], [barTopicId]: [2] } });
    const result = accepted(group, join('m3'), testEnv(assignor));
    expect(result.response).toMatchObject({ memberId: 'm3', memberEpoch: 11, assignment: { topicPartitions: [] } });
    // The topics subscribed to did not change: no PartitionMetadata record.
    expect(result.records).toEqual([
      memberMetadataRecord(groupId, stableMember('m3', 0, {}, { previousMemberEpoch: -1 })),
      groupEpochRecord(groupId, 11),
      targetAssignmentRecord(groupId, 'm1', { [barTopicId]: [0], [fooTopicId]: [0, 1] }),
      targetAssignmentRecord(groupId, 'm2', { [barTopicId]: [1], [fooTopicId]: [2, 3] }),
      targetAssignmentRecord(groupId, 'm3', { [barTopicId]: [2], [fooTopicId]: [4, 5] }),
      targetAssignmentEpochRecord(groupId, 11),
      currentAssignmentRecord(groupId, stableMember('m3', 11, {}, { state: 'UNRELEASED_PARTITIONS', previousMemberEpoch: 0 })),
    ]);
    expect(consumerGroupStateOf(applyConsumerGroupRecords(group, result.records))).toBe('Reconciling');
  });

  it('a subscribed topic grown, created or deleted bumps the group epoch with a PartitionMetadata record', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0, 1, 2, 3, 4, 5], [barTopicId]: [0, 1, 2] })]);
    const grown = new Map([...fooAndBar, ['foo', { topicId: fooTopicId, numPartitions: 8 }]]);
    assignor.prepare({ m1: { [fooTopicId]: [0, 1, 2, 3, 4, 5, 6, 7], [barTopicId]: [0, 1, 2] } });
    const result = accepted(group, heartbeat('m1', 10), testEnv(assignor, { topics: grown }));
    expect(result.records.slice(0, 2)).toEqual([partitionMetadataRecord(groupId, { ...fooBarTopics, foo: { topicId: fooTopicId, numPartitions: 8 } }), groupEpochRecord(groupId, 11)]);
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: { topicPartitions: [tp(barTopicId, 0, 1, 2), tp(fooTopicId, 0, 1, 2, 3, 4, 5, 6, 7)] } });
    // Deleted, then created again under the same name: a different topic id.
    const deleted = accepted(group, heartbeat('m1', 10), testEnv(assignor, { topics: new Map([['foo', fooAndBar.get('foo')!]]) }));
    expect(deleted.records[0]).toEqual(partitionMetadataRecord(groupId, { foo: fooBarTopics.foo }));
    const recreated = accepted(group, heartbeat('m1', 10), testEnv(assignor, { topics: new Map([...fooAndBar, ['bar', { topicId: 'bar-id-2', numPartitions: 3 }]]) }));
    expect(recreated.records[0]).toEqual(partitionMetadataRecord(groupId, { ...fooBarTopics, bar: { topicId: 'bar-id-2', numPartitions: 3 } }));
    // Nothing changed: no record, no assignor run, no assignment in the answer to an incremental heartbeat.
    const before = assignor.calls;
    const quiet = accepted(group, heartbeat('m1', 10), testEnv(assignor));
    expect(quiet.records).toEqual([]);
    expect(quiet.response.assignment).toBeNull();
    expect(assignor.calls).toBe(before);
  });

  it('a full heartbeat (rebalance timeout, subscription and owned partitions all sent) gets the assignment even when nothing changed', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, { [barTopicId]: [0, 1, 2], [fooTopicId]: [0, 1, 2, 3, 4, 5] })]);
    const full = heartbeat('m1', 10, { rebalanceTimeoutMs: 5000, subscribedTopicNames: ['foo', 'bar'], topicPartitions: [tp(barTopicId, 0, 1, 2), tp(fooTopicId, 0, 1, 2, 3, 4, 5)] });
    const result = accepted(group, full, testEnv(assignor));
    expect(result.records).toEqual([]);
    expect(result.response).toMatchObject({ memberEpoch: 10, assignment: { topicPartitions: [tp(barTopicId, 0, 1, 2), tp(fooTopicId, 0, 1, 2, 3, 4, 5)] } });
    // The subscription in another order is the same subscription.
    expect(accepted(group, heartbeat('m1', 10, { subscribedTopicNames: ['foo', 'bar'] }), testEnv(assignor)).records).toEqual([]);
  });

  it('UNSUPPORTED_ASSIGNOR when the assignor the group prefers is not configured; UNKNOWN_SERVER_ERROR when the assignor fails', () => {
    const range = new PreparedAssignor('range');
    const env = testEnv(range, { assignors: new Map([['uniform', new PreparedAssignor('uniform')]]), defaultAssignor: 'uniform' });
    const group = groupOf(10, [stableMember('m1', 10, {})]);
    expect(consumerGroupHeartbeat(group, heartbeat('m1', 10, { subscribedTopicNames: ['foo'] }), env)).toMatchObject({ errorName: 'UNSUPPORTED_ASSIGNOR' });
    const failing = { name: 'range', assign: () => { throw new Error('boom'); } };
    expect(consumerGroupHeartbeat(emptyConsumerGroup(groupId), join('m1'), testEnv(failing))).toEqual({ errorName: 'UNKNOWN_SERVER_ERROR', errorMessage: 'Failed to compute a new target assignment for epoch 1: boom' });
  });

  it('GROUP_MAX_SIZE_REACHED for a new member of a full group; its members still heartbeat', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, {})]);
    expect(consumerGroupHeartbeat(group, join('m2'), testEnv(assignor, { maxSize: 1 }))).toMatchObject({ errorName: 'GROUP_MAX_SIZE_REACHED' });
    expect(isHeartbeatRefusal(consumerGroupHeartbeat(group, heartbeat('m1', 10), testEnv(assignor, { maxSize: 1 })))).toBe(false);
  });

  it('UNKNOWN_MEMBER_ID for an unknown member with an epoch other than 0; FENCED_MEMBER_EPOCH for a wrong epoch', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0] })]);
    expect(consumerGroupHeartbeat(group, heartbeat('m9', 10), testEnv(assignor))).toMatchObject({ errorName: 'UNKNOWN_MEMBER_ID' });
    expect(consumerGroupHeartbeat(group, heartbeat('m1', 11), testEnv(assignor))).toMatchObject({ errorName: 'FENCED_MEMBER_EPOCH' });
    expect(consumerGroupHeartbeat(group, heartbeat('m1', 9), testEnv(assignor))).toMatchObject({ errorName: 'FENCED_MEMBER_EPOCH' });
    expect(accepted(group, heartbeat('m1', 9, { topicPartitions: [tp(fooTopicId, 0)] }), testEnv(assignor)).response.memberEpoch).toBe(10);
  });

  it('a known member rejoining with epoch 0 starts over under its id: it gets its target back at the assignment epoch', () => {
    const assignor = new PreparedAssignor('range');
    const group = groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0, 1, 2], [barTopicId]: [0, 1] }), stableMember('m2', 10, { [fooTopicId]: [3, 4, 5], [barTopicId]: [2] })]);
    const result = accepted(group, join('m1'), testEnv(assignor));
    expect(assignor.calls).toBe(0);
    expect(result.records).toEqual([currentAssignmentRecord(groupId, stableMember('m1', 10, { [barTopicId]: [0, 1], [fooTopicId]: [0, 1, 2] }, { previousMemberEpoch: 0 }))]);
    expect(result.response).toMatchObject({ memberEpoch: 10, assignment: { topicPartitions: [tp(barTopicId, 0, 1), tp(fooTopicId, 0, 1, 2)] } });
    expect(applyConsumerGroupRecords(group, result.records).partitionEpochs[fooTopicId]).toEqual({ 0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10 });
  });
});
