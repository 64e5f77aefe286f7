/**
 * Issue 16 end to end, the admin, transaction and KIP-848 APIs: Kafka's own bytes through a tiny TCP client against
 * a three-broker `cluster up`, checked with kactor's own tools where they can see the result.
 * - Topics: CreateTopics (with a config, and a validate_only dry run), DescribeConfigs, CreatePartitions and
 *   DeleteTopics, each seen by `kactor topics describe` / `topics list`; the same through KafkaJS 2.2.4's Admin.
 * - A transaction: InitProducerId with a transactional id, AddPartitionsToTxn, a transactional Produce v3 batch,
 *   EndTxn commit; a read_committed Fetch then returns the records below the last stable offset, then the marker.
 * - KIP-848: a ConsumerGroupHeartbeat member joins a `consumer`-protocol group and is assigned every partition by
 *   the topic ids that ConsumerGroupDescribe names.
 */
import { encodeRecordBatch, decodeRecordBatches } from '@kactor/protocol';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { KafkaWireClient } from './support/kafka-wire-client.js';

interface DescribeLine {
  topic: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
}

const NOT_CONTROLLER = 41;
const COORDINATOR_LOAD_IN_PROGRESS = 14;
const TOPIC_CONFIG_SOURCE = 1;
const READ_COMMITTED = 1;
const text = new TextEncoder();
const fromBytes = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('admin, transaction and KIP-848 APIs through the Kafka listener of a three-broker cluster up', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-kafka-admin');
  const clients = new Map<number, KafkaWireClient>();
  let cluster: RunningCluster;
  let brokerEndpoints: Map<number, { host: string; port: number }>;

  /** One connection per broker id, opened on first use. */
  async function clientOf(brokerId: number): Promise<KafkaWireClient> {
    const open = clients.get(brokerId);
    if (open !== undefined) return open;
    const endpoint = brokerEndpoints.get(brokerId);
    if (endpoint === undefined) throw new Error(`broker ${brokerId} has no Kafka endpoint`);
    const client = await KafkaWireClient.connect(endpoint.host, endpoint.port);
    clients.set(brokerId, client);
    return client;
  }

  async function anyBroker(): Promise<KafkaWireClient> {
    return clientOf([...brokerEndpoints.keys()][0] as number);
  }

  /** The active controller's connection: DescribeCluster names it. */
  async function controller(): Promise<KafkaWireClient> {
    const cluster = await (await anyBroker()).request('DescribeCluster', 0, { endpointType: 1 });
    return clientOf(cluster.controllerId);
  }

  async function coordinatorOf(key: string, keyType: 0 | 1): Promise<KafkaWireClient> {
    const found = await eventually(
      async () => {
        const answer = await (await anyBroker()).request('FindCoordinator', 1, { key, keyType });
        return answer.errorCode === 0 ? answer : undefined;
      },
      30_000,
      `the coordinator of ${key}`,
    );
    return clientOf(found.nodeId);
  }

  async function describeTopic(topic: string): Promise<DescribeLine | undefined> {
    const result = await kactor(['topics', 'describe', topic, '--json', '--bootstrap-server', cluster.bootstrap]);
    return result.code === 0 ? jsonLines<DescribeLine>(result.stdout)[0] : undefined;
  }

  async function createTopic(name: string, numPartitions: number, replicationFactor: number, configs: Array<{ name: string; value: string }> = []): Promise<void> {
    const answer = await eventually(
      async () => {
        const created = await (await controller()).request('CreateTopics', 3, { topics: [{ name, numPartitions, replicationFactor, assignments: [], configs }], timeoutMs: 30_000 });
        return created.topics[0]?.errorCode === NOT_CONTROLLER ? undefined : created;
      },
      30_000,
      `CreateTopics ${name} reaching the controller`,
    );
    expect(answer.topics.map((topic) => [topic.name, topic.errorCode, topic.errorMessage])).toEqual([[name, 0, null]]);
    await eventually(async () => ((await describeTopic(name))?.partitions.every((partition) => partition.leader >= 0) ? true : undefined), 60_000, `${name} with a leader per partition`, 500);
  }

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, brokers: 3 });
    // Broker ids by their Kafka endpoints, as DescribeCluster names them, from the first Kafka endpoint printed.
    const bootstrapClient = await KafkaWireClient.connectTo(cluster.kafkaBootstrap ?? '');
    const described = await eventually(
      async () => {
        const answer = await bootstrapClient.request('DescribeCluster', 0, { endpointType: 1 });
        return answer.brokers.length === 3 ? answer : undefined;
      },
      60_000,
      'DescribeCluster naming three brokers',
    );
    await bootstrapClient.close();
    brokerEndpoints = new Map(described.brokers.map((broker) => [broker.brokerId, { host: broker.host, port: broker.port }]));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...clients.values()].map((client) => client.close()));
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('DescribeCluster names every broker by its Kafka endpoint, the cluster id and a live controller', async () => {
    const answer = await (await anyBroker()).request('DescribeCluster', 1, { endpointType: 1 });
    const printed = (cluster.kafkaBootstrap ?? '').split(',').sort();
    expect(answer.brokers.map((broker) => `${broker.host}:${broker.port}`).sort()).toEqual(printed);
    expect(answer.clusterId).not.toBe('');
    expect(answer.brokers.map((broker) => broker.brokerId)).toContain(answer.controllerId);
  });

  it('creates a topic with a config (and a dry run creates nothing), describes its config, adds partitions and deletes it', async () => {
    await createTopic('admin-orders', 3, 2, [{ name: 'segment.bytes', value: '1048576' }]);
    const orders = await describeTopic('admin-orders');
    expect(orders?.partitions.map((partition) => partition.replicas.length)).toEqual([2, 2, 2]);

    const dryRun = await (await controller()).request('CreateTopics', 3, {
      topics: [{ name: 'admin-dry', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: true,
    });
    expect(dryRun.topics.map((topic) => [topic.name, topic.errorCode])).toEqual([['admin-dry', 0]]);
    expect(await describeTopic('admin-dry')).toBeUndefined();

    const configs = await (await anyBroker()).request('DescribeConfigs', 1, { resources: [{ resourceType: 2, resourceName: 'admin-orders', configurationKeys: ['segment.bytes', 'cleanup.policy'] }] });
    const byName = new Map(configs.results[0]?.configs.map((config) => [config.name, config]));
    expect(configs.results[0]?.errorCode).toBe(0);
    expect(byName.get('segment.bytes')).toMatchObject({ value: '1048576', configSource: TOPIC_CONFIG_SOURCE, readOnly: false, isSensitive: false });
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5 });

    const grown = await (await controller()).request('CreatePartitions', 1, { topics: [{ name: 'admin-orders', count: 5, assignments: null }], timeoutMs: 30_000, validateOnly: false });
    expect(grown.results).toEqual([expect.objectContaining({ name: 'admin-orders', errorCode: 0 })]);
    await eventually(async () => ((await describeTopic('admin-orders'))?.partitions.length === 5 ? true : undefined), 60_000, 'admin-orders with five partitions', 500);

    const deleted = await (await controller()).request('DeleteTopics', 1, { topicNames: ['admin-orders'], timeoutMs: 30_000 });
    expect(deleted.responses.map((topic) => [topic.name, topic.errorCode])).toEqual([['admin-orders', 0]]);
    await eventually(
      async () => {
        const listed = await kactor(['topics', 'list', '--json', '--bootstrap-server', cluster.bootstrap]);
        return listed.code === 0 && !(JSON.parse(listed.stdout) as string[]).includes('admin-orders') ? true : undefined;
      },
      60_000,
      'admin-orders gone from topics list',
      500,
    );
  });

  it('KafkaJS 2.2.4\'s Admin creates a topic with a config, reads the config, adds partitions and deletes the topic', async () => {
    const kafka = new Kafka({ clientId: 'kactor-e2e-kafkajs-admin', brokers: (cluster.kafkaBootstrap ?? '').split(','), logLevel: logLevel.NOTHING, retry: { retries: 5 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({ topics: [{ topic: 'admin-kafkajs', numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'segment.bytes', value: '2097152' }] }], waitForLeaders: true });
      expect(created).toBe(true);
      const described = await eventually(async () => ((await describeTopic('admin-kafkajs'))?.partitions.length === 2 ? describeTopic('admin-kafkajs') : undefined), 60_000, 'admin-kafkajs in topics describe', 500);
      expect(described?.partitions.map((partition) => partition.replicas.length)).toEqual([3, 3]);

      const configs = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'admin-kafkajs', configNames: ['segment.bytes'] }], includeSynonyms: false });
      expect(configs.resources[0]?.configEntries).toEqual([expect.objectContaining({ configName: 'segment.bytes', configValue: '2097152', isDefault: false, readOnly: false, isSensitive: false })]);

      await admin.createPartitions({ topicPartitions: [{ topic: 'admin-kafkajs', count: 4 }] });
      await eventually(async () => ((await describeTopic('admin-kafkajs'))?.partitions.length === 4 ? true : undefined), 60_000, 'admin-kafkajs with four partitions', 500);

      await admin.deleteTopics({ topics: ['admin-kafkajs'] });
      await eventually(async () => ((await describeTopic('admin-kafkajs')) === undefined ? true : undefined), 60_000, 'admin-kafkajs deleted', 500);
    } finally {
      await admin.disconnect();
    }
  });

  it('commits a transaction (InitProducerId, AddPartitionsToTxn, a transactional batch, EndTxn) that a read_committed Fetch then returns', async () => {
    await createTopic('admin-txn', 1, 3);
    const transactionalId = 'e2e-payments';
    const coordinator = await coordinatorOf(transactionalId, 1);
    const producer = await eventually(
      async () => {
        const answer = await coordinator.request('InitProducerId', 1, { transactionalId, transactionTimeoutMs: 60_000 });
        return answer.errorCode === 0 ? answer : undefined;
      },
      30_000,
      'a producer id for the transactional id',
    );
    const added = await coordinator.request('AddPartitionsToTxn', 0, {
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producer.producerId,
      v3AndBelowProducerEpoch: producer.producerEpoch,
      v3AndBelowTopics: [{ name: 'admin-txn', partitions: [0] }],
    });
    expect(added.resultsByTopicV3AndBelow).toEqual([{ name: 'admin-txn', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }] }]);

    const leaderId = (await describeTopic('admin-txn'))?.partitions[0]?.leader as number;
    const leader = await clientOf(leaderId);
    const batch = encodeRecordBatch({
      records: ['debit', 'credit'].map((value, index) => ({ key: text.encode(`k${index}`), value: text.encode(value), timestamp: 1_700_000_000_000 + index })),
      producerId: Number(producer.producerId),
      producerEpoch: producer.producerEpoch,
      baseSequence: 0,
      isTransactional: true,
    });
    const produced = await leader.request('Produce', 3, { transactionalId, acks: -1, timeoutMs: 30_000, topicData: [{ name: 'admin-txn', partitionData: [{ index: 0, records: batch }] }] });
    expect(produced.responses[0]?.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: 0n });

    const ended = await coordinator.request('EndTxn', 1, { transactionalId, producerId: producer.producerId, producerEpoch: producer.producerEpoch, committed: true });
    expect(ended.errorCode).toBe(0);

    // The COMMIT marker follows the two records (offset 2): once it is written the last stable offset passes it.
    const fetched = await eventually(
      async () => {
        const answer = await leader.request('Fetch', 4, {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1_048_576,
          isolationLevel: READ_COMMITTED,
          topics: [{ topic: 'admin-txn', topicId: '', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1_048_576, replicaDirectoryId: '' }] }],
        });
        const partition = answer.responses[0]?.partitions[0];
        return partition !== undefined && partition.lastStableOffset >= 3n ? partition : undefined;
      },
      30_000,
      'the committed transaction below the last stable offset',
    );
    expect(fetched.errorCode).toBe(0);
    expect(fetched.abortedTransactions ?? []).toEqual([]);
    const batches = decodeRecordBatches(fetched.records ?? new Uint8Array(0)).batches;
    const data = batches.filter((decoded) => !decoded.isControl);
    expect(data.flatMap((decoded) => decoded.records.map((record) => [record.offset, fromBytes(record.value)]))).toEqual([
      [0, 'debit'],
      [1, 'credit'],
    ]);
    expect(data.every((decoded) => decoded.isTransactional)).toBe(true);
    expect(batches.some((decoded) => decoded.isControl && decoded.baseOffset === 2)).toBe(true);
  });

  it('a ConsumerGroupHeartbeat member joins a consumer group and is assigned every partition by topic id', async () => {
    await createTopic('admin-848', 2, 1);
    const groupId = 'e2e-848';
    const memberId = 'Zq0LwmS7QdKcJ9kq3p9gTw';
    const coordinator = await coordinatorOf(groupId, 0);
    // A coordinator still loading its __consumer_offsets partition answers COORDINATOR_LOAD_IN_PROGRESS, which a client retries.
    const joined = await eventually(
      async () => {
        const answer = await coordinator.request('ConsumerGroupHeartbeat', 0, {
          groupId,
          memberId,
          memberEpoch: 0,
          rebalanceTimeoutMs: 60_000,
          subscribedTopicNames: ['admin-848'],
          topicPartitions: [],
        });
        return answer.errorCode === COORDINATOR_LOAD_IN_PROGRESS ? undefined : answer;
      },
      30_000,
      'the join past the coordinator\'s load',
      500,
    );
    expect(joined).toMatchObject({ errorCode: 0, memberId });
    expect(joined.memberEpoch).toBeGreaterThan(0);

    // The assignment comes with the join or a later heartbeat; the member then says it owns it.
    let memberEpoch = joined.memberEpoch;
    let assigned = joined.assignment?.topicPartitions ?? [];
    await eventually(
      async () => {
        if (assigned.flatMap((topic) => topic.partitions).length === 2) return true;
        const beat = await coordinator.request('ConsumerGroupHeartbeat', 0, { groupId, memberId, memberEpoch, topicPartitions: assigned });
        expect(beat.errorCode).toBe(0);
        memberEpoch = beat.memberEpoch;
        if (beat.assignment !== null) assigned = beat.assignment.topicPartitions;
        return undefined;
      },
      30_000,
      'both partitions assigned',
      500,
    );

    const described = await coordinator.request('ConsumerGroupDescribe', 0, { groupIds: [groupId] });
    const group = described.groups[0];
    expect(group).toMatchObject({ errorCode: 0, groupId });
    const member = group?.members.find((candidate) => candidate.memberId === memberId);
    expect(member?.subscribedTopicNames).toEqual(['admin-848']);
    // The client.id of the heartbeat's request header, as Kafka's group tools show it (CLIENT-ID).
    expect(member?.clientId).toBe('kactor-wire-client');
    const topicId = member?.targetAssignment.topicPartitions.find((topic) => topic.topicName === 'admin-848')?.topicId;
    expect(topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(assigned.map((topic) => [topic.topicId, [...topic.partitions].sort()])).toEqual([[topicId, [0, 1]]]);

    const groups = await kactor(['groups', 'describe', groupId, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(groups.code, groups.stderr).toBe(0);
    expect(groups.stdout).toContain(memberId);
  });
});
