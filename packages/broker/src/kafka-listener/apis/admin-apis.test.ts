/** The admin, transaction and KIP-848 APIs through a Kafka listener: real request frames in, the router answering with kactor bodies, Kafka answers decoded. */
import { defaultRequestBody, encodeRequestFrame } from '@kactor/kafka-protocol';
import { wireError, type ApiName } from '@kactor/protocol';
import { waitFor, type InboundRequest, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { ADVERTISED, BROKER_ID, listenerHarness, WAIT_MS } from '../kafka-listener-test-support.js';

const header = (correlationId: number) => ({ correlationId, clientId: 'producer-1' });
const ordersId = 'x8nB5hQ0TLmFZ0dVr1dqUw';

function refOf<A extends ApiName>(requests: readonly InboundRequest[], api: A): RequestRef & { api: A } {
  const request = requests.find((candidate) => candidate.api === api);
  if (request === undefined) throw new Error(`no ${api} request handed over`);
  return request.ref as RequestRef & { api: A };
}

describe('admin, transaction and KIP-848 APIs through the Kafka listener', () => {
  it('a transaction\'s EndTxn waits behind its AddPartitionsToTxn, and a coordinator error reaches every partition asked for', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(
      encodeRequestFrame('AddPartitionsToTxn', 0, header(7), {
        ...defaultRequestBody('AddPartitionsToTxn'),
        v3AndBelowTransactionalId: 'payments',
        v3AndBelowProducerId: 4001n,
        v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [{ name: 'orders', partitions: [0, 1] }],
      }),
      encodeRequestFrame('EndTxn', 1, header(8), { transactionalId: 'payments', producerId: 4001n, producerEpoch: 0, committed: true }),
    );
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'AddPartitionsToTxn handed over');
    expect(harness.requests[0]?.body).toEqual({ transactionalId: 'payments', producerId: 4001, producerEpoch: 0, topics: [{ name: 'orders', partitions: [0, 1] }] });
    // Unanswered, the AddPartitionsToTxn holds the connection: the EndTxn is not taken.
    expect(harness.requests.some((request) => request.api === 'endTxn')).toBe(false);

    harness.listener.respondError(refOf(harness.requests, 'addPartitionsToTxn'), wireError('NOT_COORDINATOR'));
    await waitFor(() => harness.requests.some((request) => request.api === 'endTxn'), WAIT_MS, 'EndTxn handed over after the answer');
    harness.listener.respond(refOf(harness.requests, 'endTxn'), { throttleTimeMs: 0, errorCode: 48 });

    const added = await client.answer(0, 'AddPartitionsToTxn', 0);
    const ended = await client.answer(1, 'EndTxn', 1);
    expect([added.correlationId, ended.correlationId]).toEqual([7, 8]);
    expect(added.body.resultsByTopicV3AndBelow).toEqual([
      { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 16 }, { partitionIndex: 1, partitionErrorCode: 16 }] },
    ]);
    expect(ended.body.errorCode).toBe(48);
  });

  it('CreateTopics refused by a broker that is not the controller, then DescribeCluster naming this broker by its Kafka listener', async () => {
    const harness = listenerHarness({
      onRequest: (request) => {
        if (request.api === 'createTopics') harness.listener.respondError(request.ref, wireError('NOT_CONTROLLER'));
        if (request.api === 'metadata') {
          const brokers = [{ nodeId: BROKER_ID, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101', rack: null }];
          harness.listener.respond(request.ref as RequestRef & { api: 'metadata' }, { throttleTimeMs: 0, clusterId: 'cluster-a', controllerId: BROKER_ID, brokers, topics: [] });
        }
      },
    });
    const client = harness.connect();
    client.send(
      encodeRequestFrame('CreateTopics', 3, header(1), {
        topics: [
          { name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] },
          { name: 'audit', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        ],
        timeoutMs: 30_000,
        validateOnly: false,
      }),
      encodeRequestFrame('DescribeCluster', 0, header(2), { includeClusterAuthorizedOperations: false, endpointType: 1 }),
    );
    const created = await client.answer(0, 'CreateTopics', 3);
    const cluster = await client.answer(1, 'DescribeCluster', 0);
    expect(created.body.topics.map((topic) => [topic.name, topic.errorCode])).toEqual([['orders', 41], ['audit', 41]]);
    expect(cluster.body).toMatchObject({ errorCode: 0, clusterId: 'cluster-a', controllerId: BROKER_ID, brokers: [{ brokerId: BROKER_ID, host: ADVERTISED.host, port: ADVERTISED.port, rack: null }] });
  });

  it('a ConsumerGroupHeartbeat join answered with an assignment by topic id', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(
      encodeRequestFrame('ConsumerGroupHeartbeat', 0, header(3), {
        groupId: 'billing',
        memberId: 'Zq0LwmS7QdKcJ9kq3p9gTw',
        memberEpoch: 0,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: 300_000,
        subscribedTopicNames: ['orders'],
        subscribedTopicRegex: null,
        serverAssignor: null,
        topicPartitions: [],
      }),
    );
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'the heartbeat handed over');
    expect(harness.requests[0]?.body).toMatchObject({ groupId: 'billing', memberEpoch: 0, subscribedTopicNames: ['orders'], topicPartitions: [] });
    harness.listener.respond(refOf(harness.requests, 'consumerGroupHeartbeat'), {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'Zq0LwmS7QdKcJ9kq3p9gTw',
      memberEpoch: 1,
      heartbeatIntervalMs: 5_000,
      assignment: { topicPartitions: [{ topicId: ordersId, partitions: [0, 1, 2] }] },
    });
    const answer = await client.answer(0, 'ConsumerGroupHeartbeat', 0);
    expect(answer.body).toMatchObject({ errorCode: 0, memberEpoch: 1, heartbeatIntervalMs: 5_000, assignment: { topicPartitions: [{ topicId: ordersId, partitions: [0, 1, 2] }] } });
  });
});
