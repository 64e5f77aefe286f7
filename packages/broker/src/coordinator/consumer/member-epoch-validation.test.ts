import type { RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { newConsumerGroupMember, type ConsumerGroupMember } from './consumer-group-data.js';
import { consumerGroupHeartbeatRequestProblem, consumerGroupMemberEpochProblem } from './member-epoch-validation.js';

const assignors = ['uniform', 'range'];

function request(fields: Partial<RequestBody<'consumerGroupHeartbeat'>>): RequestBody<'consumerGroupHeartbeat'> {
  return {
    groupId: 'fooup',
    memberId: 'member-1',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 5000,
    subscribedTopicNames: ['foo'],
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: [],
    ...fields,
  };
}

describe('consumerGroupHeartbeatRequestProblem (Kafka testConsumerHeartbeatRequestValidation)', () => {
  it('accepts a full join and a plain heartbeat', () => {
    expect(consumerGroupHeartbeatRequestProblem(request({}), assignors)).toBeNull();
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: 7, rebalanceTimeoutMs: -1, subscribedTopicNames: null, topicPartitions: null }), assignors)).toBeNull();
  });

  it('refuses empty group, member, instance and rack ids with INVALID_REQUEST', () => {
    expect(consumerGroupHeartbeatRequestProblem(request({ groupId: ' ' }), assignors)?.errorName).toBe('INVALID_REQUEST');
    // KIP-1082: the member id is the client's own, on every heartbeat including the first.
    expect(consumerGroupHeartbeatRequestProblem(request({ memberId: '' }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('member id') });
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: 1, memberId: '' }), assignors)?.errorName).toBe('INVALID_REQUEST');
    expect(consumerGroupHeartbeatRequestProblem(request({ instanceId: '' }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('instance id') });
    expect(consumerGroupHeartbeatRequestProblem(request({ rackId: '  ' }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('rack id') });
  });

  it('a join needs the rebalance timeout, an empty owned list and a subscription', () => {
    expect(consumerGroupHeartbeatRequestProblem(request({ rebalanceTimeoutMs: -1 }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('rebalance timeout') });
    expect(consumerGroupHeartbeatRequestProblem(request({ topicPartitions: null }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('owned partitions') });
    expect(consumerGroupHeartbeatRequestProblem(request({ topicPartitions: [{ topicId: 't', partitions: [0] }] }), assignors)?.errorName).toBe('INVALID_REQUEST');
    expect(consumerGroupHeartbeatRequestProblem(request({ subscribedTopicNames: null }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('subscribes') });
    expect(consumerGroupHeartbeatRequestProblem(request({ subscribedTopicNames: [] }), assignors)?.errorName).toBe('INVALID_REQUEST');
  });

  it('epoch -2 needs an instance id; epochs below -2 are invalid', () => {
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: -2 }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: expect.stringContaining('static') });
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: -2, instanceId: 'i' }), assignors)).toBeNull();
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: -1 }), assignors)).toBeNull();
    expect(consumerGroupHeartbeatRequestProblem(request({ memberEpoch: -3 }), assignors)).toMatchObject({ errorName: 'INVALID_REQUEST', errorMessage: 'The member epoch -3 is invalid.' });
  });

  it('refuses a regular expression subscription and an unknown assignor (UNSUPPORTED_ASSIGNOR naming the supported ones)', () => {
    expect(consumerGroupHeartbeatRequestProblem(request({ subscribedTopicRegex: 'foo.*' }), assignors)?.errorName).toBe('INVALID_REQUEST');
    expect(consumerGroupHeartbeatRequestProblem(request({ serverAssignor: 'sticky' }), assignors)).toEqual({
      errorName: 'UNSUPPORTED_ASSIGNOR',
      errorMessage: 'The server assignor sticky is not supported; the supported ones are uniform, range.',
    });
    expect(consumerGroupHeartbeatRequestProblem(request({ serverAssignor: 'range' }), assignors)).toBeNull();
  });
});

describe('consumerGroupMemberEpochProblem (Kafka testConsumerGroupMemberEpochValidation)', () => {
  // Kafka's values: the member is at epoch 100 (previous 99) and owns foo{1,2,3}.
  const member: ConsumerGroupMember = { ...newConsumerGroupMember('member-1'), memberEpoch: 100, previousMemberEpoch: 99, assignedPartitions: { foo: [1, 2, 3] } };

  it('fences an epoch greater than the coordinator’s', () => {
    expect(consumerGroupMemberEpochProblem(member, 200, null)?.errorName).toBe('FENCED_MEMBER_EPOCH');
  });

  it('fences an epoch smaller than the coordinator’s that is not the previous one', () => {
    expect(consumerGroupMemberEpochProblem(member, 50, null)?.errorName).toBe('FENCED_MEMBER_EPOCH');
  });

  it('fences the previous epoch without owned partitions, or with partitions beyond the assignment', () => {
    expect(consumerGroupMemberEpochProblem(member, 99, null)?.errorName).toBe('FENCED_MEMBER_EPOCH');
    expect(consumerGroupMemberEpochProblem(member, 99, [{ topicId: 'foo', partitions: [1, 4] }])?.errorName).toBe('FENCED_MEMBER_EPOCH');
    expect(consumerGroupMemberEpochProblem(member, 99, [{ topicId: 'bar', partitions: [1] }])?.errorName).toBe('FENCED_MEMBER_EPOCH');
  });

  it('accepts the previous epoch with a subset of the assignment (the answer with the new epoch was lost), and the current epoch', () => {
    expect(consumerGroupMemberEpochProblem(member, 99, [{ topicId: 'foo', partitions: [1, 2] }])).toBeNull();
    expect(consumerGroupMemberEpochProblem(member, 100, null)).toBeNull();
  });
});
