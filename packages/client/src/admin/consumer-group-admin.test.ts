import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import type { FakeDescribedConsumerGroup } from '../test-support/fake-consumer-group-descriptions.js';
import { Admin } from './admin.js';

let cluster: FakeCluster;
let admin: Admin;

async function setUp(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 3 });
  cluster.coordinatorId = 1;
  admin = Admin.create({ 'bootstrap.servers': cluster.bootstrapServers }, cluster.clientRuntime(7, 'admin'));
}

afterEach(async () => {
  admin.close();
  await cluster.close();
});

const partitions = (topicName: string, indexes: number[]) => [{ topicId: `${topicName}-id`, topicName, partitions: indexes }];

/** A consumer group in the middle of a reconciliation: member b still owns orders-2, which the assignor gave to a. */
const g848: FakeDescribedConsumerGroup = {
  groupId: 'g848',
  groupState: 'Reconciling',
  groupEpoch: 12,
  assignmentEpoch: 12,
  assignorName: 'uniform',
  members: [
    {
      memberId: 'a',
      instanceId: null,
      rackId: null,
      memberEpoch: 12,
      clientId: 'console-consumer',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null,
      assignment: { topicPartitions: partitions('orders', [0, 1]) },
      targetAssignment: { topicPartitions: partitions('orders', [2, 0, 1]) },
      memberType: 1,
      memberState: 'UNRELEASED_PARTITIONS',
      partitionsPendingRevocation: [],
    },
    {
      memberId: 'b',
      instanceId: 'reader-b',
      rackId: null,
      memberEpoch: 11,
      clientId: 'console-consumer',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null,
      assignment: { topicPartitions: partitions('orders', [3, 2]) },
      targetAssignment: { topicPartitions: partitions('orders', [3]) },
      memberType: 1,
      memberState: 'UNREVOKED_PARTITIONS',
      partitionsPendingRevocation: partitions('orders', [2]),
    },
  ],
};

describe('Admin consumer groups (KIP-848)', () => {
  it("lists classic and consumer groups with each one's type (ListGroups typesFilter [])", async () => {
    await setUp();
    cluster.groupCoordinator.commit('audit', 'orders', 0, 5);
    cluster.consumerGroupDescriptions.put(g848);
    expect(await cluster.settle(admin.listGroups())).toEqual([
      { groupId: 'audit', type: 'classic', protocolType: 'consumer', state: 'Empty', coordinatorId: 1 },
      { groupId: 'g848', type: 'consumer', protocolType: 'consumer', state: 'Reconciling', coordinatorId: 1 },
    ]);
    expect(cluster.requestsOf('listGroups').map((request) => request.body)).toEqual([0, 1, 2].map(() => ({ statesFilter: [], typesFilter: [] })));
  });

  it('describes a consumer group with ConsumerGroupDescribe: epochs, assignor, and each member\'s epoch, state, assignment and target', async () => {
    await setUp();
    cluster.consumerGroupDescriptions.put(g848);
    const [description] = await cluster.settle(admin.describeGroups(['g848']));
    expect(description).toMatchObject({
      groupId: 'g848',
      type: 'consumer',
      state: 'Reconciling',
      protocolType: 'consumer',
      protocol: 'uniform',
      generationId: 12,
      groupEpoch: 12,
      targetAssignmentEpoch: 12,
      assignorName: 'uniform',
      leaderId: '',
      error: null,
    });
    expect(description!.coordinator).toMatchObject({ nodeId: 1 });
    expect(description!.members).toEqual([
      {
        memberId: 'a',
        groupInstanceId: null,
        clientId: 'console-consumer',
        host: '/127.0.0.1',
        assignment: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }],
        memberEpoch: 12,
        memberState: 'UNRELEASED_PARTITIONS',
        targetAssignment: [0, 1, 2].map((partition) => ({ topic: 'orders', partition })),
        partitionsPendingRevocation: [],
      },
      {
        memberId: 'b',
        groupInstanceId: 'reader-b',
        clientId: 'console-consumer',
        host: '/127.0.0.1',
        assignment: [{ topic: 'orders', partition: 2 }, { topic: 'orders', partition: 3 }],
        memberEpoch: 11,
        memberState: 'UNREVOKED_PARTITIONS',
        targetAssignment: [{ topic: 'orders', partition: 3 }],
        partitionsPendingRevocation: [{ topic: 'orders', partition: 2 }],
      },
    ]);
    expect(cluster.requestsOf('consumerGroupDescribe').map((request) => request.body)).toEqual([{ groupIds: ['g848'], includeAuthorizedOperations: false }]);
    expect(cluster.groupCoordinator.requestsOf('describeGroups')).toHaveLength(0);
  });

  it('describes a classic group with DescribeGroups after ConsumerGroupDescribe answered GROUP_ID_NOT_FOUND, as Kafka\'s DescribeConsumerGroupsHandler does', async () => {
    await setUp();
    cluster.groupCoordinator.commit('audit', 'orders', 0, 5);
    const [description] = await cluster.settle(admin.describeGroups(['audit']));
    expect(description).toMatchObject({ groupId: 'audit', type: 'classic', state: 'Empty', error: null });
    expect(description!.groupEpoch).toBeUndefined();
    expect(cluster.requestsOf('consumerGroupDescribe')).toHaveLength(1);
    expect(cluster.groupCoordinator.requestsOf('describeGroups')).toHaveLength(1);
  });

  it('after falling back to DescribeGroups, a retry where the coordinator moved asks DescribeGroups only (Kafka\'s useClassicGroupApi)', async () => {
    await setUp();
    cluster.groupCoordinator.inject('describeGroups', 'NOT_COORDINATOR');
    const [description] = await cluster.settle(admin.describeGroups(['nobody']));
    expect(description).toMatchObject({ groupId: 'nobody', type: 'classic', state: 'Dead', members: [], error: null });
    expect(cluster.requestsOf('findCoordinator')).toHaveLength(2);
    expect(cluster.requestsOf('consumerGroupDescribe')).toHaveLength(1);
    expect(cluster.groupCoordinator.requestsOf('describeGroups')).toHaveLength(2);
  });

  it('asks DescribeGroups when the coordinator does not serve ConsumerGroupDescribe (UNSUPPORTED_VERSION, or INVALID_REQUEST from kactor\'s router)', async () => {
    await setUp();
    cluster.groupCoordinator.commit('audit', 'orders', 0, 5);
    for (const refusal of ['UNSUPPORTED_VERSION', 'INVALID_REQUEST'] as const) {
      cluster.consumerGroupDescriptions.refusal = refusal;
      const [description] = await cluster.settle(admin.describeGroups(['audit']));
      expect(description).toMatchObject({ groupId: 'audit', type: 'classic', state: 'Empty', error: null });
    }
    expect(cluster.groupCoordinator.requestsOf('describeGroups')).toHaveLength(2);
  });
});
