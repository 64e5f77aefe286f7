/**
 * Kafka's GroupMetadataManagerTest.testReconciliationProcess, step by step with its values: a third member joins a
 * group of two; the others revoke before the newcomer gets anything, and no partition ever has two owners.
 */
import type { RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { consumerGroupStateOf, type Assignment, type ConsumerGroupData, type MemberStateName } from './consumer-group-data.js';
import { barTopicId, fooTopicId, groupId, groupOf, heartbeat, join, PreparedAssignor, stableMember, testEnv } from './consumer-group-core-test-support.js';
import { consumerGroupHeartbeat, isHeartbeatRefusal, type AcceptedHeartbeat } from './consumer-group-heartbeat.js';
import { currentAssignmentRecord } from './consumer-group-records.js';
import { applyConsumerGroupRecords } from './consumer-group-replay.js';

const owned = (assignment: Assignment) => Object.entries(assignment).map(([topicId, partitions]) => ({ topicId, partitions }));
const answer = (assignment: Assignment) => ({ topicPartitions: owned(assignment) });

describe('testReconciliationProcess', () => {
  it('revocation before assignment, epoch by epoch', () => {
    const assignor = new PreparedAssignor('range');
    let group: ConsumerGroupData = groupOf(10, [
      stableMember('m1', 10, { [barTopicId]: [0, 1], [fooTopicId]: [0, 1, 2] }, { previousMemberEpoch: 9 }),
      stableMember('m2', 10, { [barTopicId]: [2], [fooTopicId]: [3, 4, 5] }, { previousMemberEpoch: 9 }),
    ]);
    assignor.prepare({ m1: { [fooTopicId]: [0, 1], [barTopicId]: [0] }, m2: { [fooTopicId]: [2, 3], [barTopicId]: [2] }, m3: { [fooTopicId]: [4, 5], [barTopicId]: [1] } });
    expect(consumerGroupStateOf(group)).toBe('Stable');

    const send = (request: RequestBody<'consumerGroupHeartbeat'>): AcceptedHeartbeat => {
      const result = consumerGroupHeartbeat(group, request, testEnv(assignor));
      if (isHeartbeatRefusal(result)) throw new Error(result.errorMessage);
      group = applyConsumerGroupRecords(group, result.records);
      return result;
    };
    const expectMember = (memberId: string, state: MemberStateName, memberEpoch: number, previousMemberEpoch: number, assignedPartitions: Assignment, partitionsPendingRevocation: Assignment = {}) =>
      expect(group.members[memberId]).toMatchObject({ state, memberEpoch, previousMemberEpoch, assignedPartitions, partitionsPendingRevocation });

    // Member 3 joins: a new target at epoch 11; it gets nothing yet, everything it should have is still owned.
    let result = send(join('m3'));
    expect(result.response).toMatchObject({ memberId: 'm3', memberEpoch: 11, assignment: answer({}) });
    expect(result.records.at(-1)).toEqual(currentAssignmentRecord(groupId, stableMember('m3', 11, {}, { state: 'UNRELEASED_PARTITIONS', previousMemberEpoch: 0 })));
    expect(consumerGroupStateOf(group)).toBe('Reconciling');

    // Member 1 heartbeats: it stays at epoch 10, told only what it keeps, and must revoke foo-2 and bar-1.
    result = send(heartbeat('m1', 10));
    expect(result.response).toMatchObject({ memberEpoch: 10, assignment: answer({ [barTopicId]: [0], [fooTopicId]: [0, 1] }) });
    expect(result.timers).toContainEqual({ type: 'scheduleRebalanceTimeout', memberId: 'm1', memberEpoch: 10, timeoutMs: 5000 });
    expectMember('m1', 'UNREVOKED_PARTITIONS', 10, 10, { [barTopicId]: [0], [fooTopicId]: [0, 1] }, { [barTopicId]: [1], [fooTopicId]: [2] });

    // Member 2 likewise must revoke foo-4 and foo-5.
    result = send(heartbeat('m2', 10));
    expect(result.response).toMatchObject({ memberEpoch: 10, assignment: answer({ [barTopicId]: [2], [fooTopicId]: [3] }) });
    expectMember('m2', 'UNREVOKED_PARTITIONS', 10, 10, { [barTopicId]: [2], [fooTopicId]: [3] }, { [fooTopicId]: [4, 5] });

    // Member 3 heartbeats: still waiting, so no assignment in the answer.
    result = send(heartbeat('m3', 11));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: null });
    expectMember('m3', 'UNRELEASED_PARTITIONS', 11, 11, {});

    // Member 1 acknowledges the revocation by sending what it still owns: epoch 11, STABLE, its rebalance timer cancelled.
    result = send(heartbeat('m1', 10, { topicPartitions: owned({ [barTopicId]: [0], [fooTopicId]: [0, 1] }) }));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: null });
    expect(result.timers).toContainEqual({ type: 'cancelRebalanceTimeout', memberId: 'm1' });
    expectMember('m1', 'STABLE', 11, 10, { [barTopicId]: [0], [fooTopicId]: [0, 1] });

    // Member 2 heartbeats without acknowledging: nothing changes.
    result = send(heartbeat('m2', 10));
    expect(result.records).toEqual([]);
    expect(result.response).toMatchObject({ memberEpoch: 10, assignment: null });

    // Member 3 gets bar-1, released by member 1; foo-4 and foo-5 are still member 2's.
    result = send(heartbeat('m3', 11));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: answer({ [barTopicId]: [1] }) });
    expectMember('m3', 'UNRELEASED_PARTITIONS', 11, 11, { [barTopicId]: [1] });
    result = send(heartbeat('m3', 11));
    expect(result.records).toEqual([]);

    // Member 2 acknowledges: epoch 11 with foo-2 (released by member 1) added.
    result = send(heartbeat('m2', 10, { topicPartitions: owned({ [barTopicId]: [2], [fooTopicId]: [3] }) }));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: answer({ [barTopicId]: [2], [fooTopicId]: [2, 3] }) });
    expectMember('m2', 'STABLE', 11, 10, { [barTopicId]: [2], [fooTopicId]: [2, 3] });
    expect(consumerGroupStateOf(group)).toBe('Reconciling');

    // Member 3 gets the rest and the group is Stable.
    result = send(heartbeat('m3', 11, { topicPartitions: owned({ [barTopicId]: [1] }) }));
    expect(result.response).toMatchObject({ memberEpoch: 11, assignment: answer({ [barTopicId]: [1], [fooTopicId]: [4, 5] }) });
    expectMember('m3', 'STABLE', 11, 11, { [barTopicId]: [1], [fooTopicId]: [4, 5] });
    expect(consumerGroupStateOf(group)).toBe('Stable');
    expect(group.partitionEpochs).toEqual({ [barTopicId]: { 0: 11, 1: 11, 2: 11 }, [fooTopicId]: { 0: 11, 1: 11, 2: 11, 3: 11, 4: 11, 5: 11 } });
  });
});
