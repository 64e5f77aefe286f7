import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { consumerGroupDescribeAdapter } from './consumer-group-describe.js';

const ordersId = 'x8nB5hQ0TLmFZ0dVr1dqUw';
const request = { groupIds: ['billing', 'missing'], includeAuthorizedOperations: false };

const kactorAnswer: ResponseBody<'consumerGroupDescribe'> = {
  throttleTimeMs: 0,
  groups: [
    {
      errorCode: 0,
      errorMessage: null,
      groupId: 'billing',
      groupState: 'Reconciling',
      groupEpoch: 5,
      assignmentEpoch: 5,
      assignorName: 'uniform',
      members: [
        {
          memberId: 'Zq0LwmS7QdKcJ9kq3p9gTw',
          instanceId: null,
          rackId: null,
          memberEpoch: 4,
          clientId: 'billing-app',
          clientHost: '/127.0.0.1',
          subscribedTopicNames: ['orders'],
          subscribedTopicRegex: null,
          assignment: { topicPartitions: [{ topicId: ordersId, topicName: 'orders', partitions: [0, 1] }] },
          targetAssignment: { topicPartitions: [{ topicId: ordersId, topicName: 'orders', partitions: [0] }] },
          memberType: 1,
          memberState: 'UNREVOKED_PARTITIONS',
          partitionsPendingRevocation: [{ topicId: ordersId, topicName: 'orders', partitions: [1] }],
        },
      ],
      authorizedOperations: -2_147_483_648,
    },
    { errorCode: 69, errorMessage: 'Group missing not found.', groupId: 'missing', groupState: 'Dead', groupEpoch: 0, assignmentEpoch: 0, assignorName: '', members: [], authorizedOperations: -2_147_483_648 },
  ],
};

describe('ConsumerGroupDescribe adapter', () => {
  it('asks for the same groups', () => {
    expect(translated(consumerGroupDescribeAdapter, 0, request)).toEqual(request);
  });

  it('answers each member\'s epoch, client and current and target assignments, leaving out kactor\'s own fields', () => {
    const read = answeredInEveryVersion(consumerGroupDescribeAdapter, () => consumerGroupDescribeAdapter.toKafkaResponse(kactorAnswer, request, 0, { kafkaEndpointOf: () => undefined }));
    const group = read.get(0)?.groups[0];
    expect(group).toMatchObject({ groupId: 'billing', groupState: 'Reconciling', groupEpoch: 5, assignmentEpoch: 5, assignorName: 'uniform' });
    expect(group?.members[0]).toEqual({
      memberId: 'Zq0LwmS7QdKcJ9kq3p9gTw',
      instanceId: null,
      rackId: null,
      memberEpoch: 4,
      clientId: 'billing-app',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null,
      assignment: { topicPartitions: [{ topicId: ordersId, topicName: 'orders', partitions: [0, 1] }] },
      targetAssignment: { topicPartitions: [{ topicId: ordersId, topicName: 'orders', partitions: [0] }] },
    });
    expect(read.get(0)?.groups[1]).toMatchObject({ groupId: 'missing', errorCode: 69 });
  });

  it('puts the error on every group asked for, as Kafka\'s error response does', () => {
    const answer = consumerGroupDescribeAdapter.errorResponse(wireError('COORDINATOR_LOAD_IN_PROGRESS'), request, 0);
    expect(answer.groups.map((group) => [group.groupId, group.errorCode, group.members])).toEqual([
      ['billing', 14, []],
      ['missing', 14, []],
    ]);
    answeredInEveryVersion(consumerGroupDescribeAdapter, () => answer);
  });
});
