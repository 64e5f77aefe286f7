import { encodeRecordBatch, isKafkaError, setBaseOffset } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalStateError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Admin } from './admin.js';
import { requireSuccess } from './require-success.js';

let cluster: FakeCluster;
let admin: Admin;

async function setUp(settings: Record<string, string | number> = {}): Promise<Admin> {
  cluster = await FakeCluster.start({ brokers: 3 });
  admin = Admin.create({ 'bootstrap.servers': 'broker-2:9092', ...settings }, cluster.clientRuntime());
  return admin;
}

function batchOf(count: number): Uint8Array {
  const bytes = encodeRecordBatch({ records: Array.from({ length: count }, (_, index) => ({ key: null, value: new Uint8Array([index]), timestamp: 1 })) });
  setBaseOffset(bytes, 0, 0);
  return bytes;
}

afterEach(async () => {
  admin.close();
  await cluster.close();
});

describe('Admin', () => {
  it('creates topics on the controller named in metadata, one result per topic', async () => {
    await setUp();
    cluster.createTopic('existing', 1);
    const results = await cluster.settle(
      admin.createTopics([
        { name: 'orders', numPartitions: 6, replicationFactor: 1, configs: { 'retention.ms': '1000' } },
        { name: 'existing', numPartitions: 1 },
      ]),
    );
    expect(results[0]).toMatchObject({ name: 'orders', numPartitions: 6, replicationFactor: 1, error: null });
    expect(results[0]!.topicId).not.toBeNull();
    expect(results[1]!.name).toBe('existing');
    expect(isKafkaError(results[1]!.error, 'TOPIC_ALREADY_EXISTS')).toBe(true);
    expect(() => requireSuccess(results)).toThrow(/existing/);
    const request = cluster.requestsOf('createTopics')[0]!;
    expect(request.brokerId).toBe(cluster.controllerId);
    expect(request.body.topics[0]).toEqual({ name: 'orders', numPartitions: 6, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] });
    expect(request.body).toMatchObject({ timeoutMs: 60_000, validateOnly: false });
    expect(cluster.topics.get('orders')?.partitions).toHaveLength(6);
  });

  it('elects leaders on the controller (ElectLeaders): one result per partition, ELECTION_NOT_NEEDED for a preferred leader', async () => {
    await setUp();
    cluster.createTopic('orders', 2);
    const results = await cluster.settle(
      admin.electLeaders('preferred', [
        { topic: 'orders', partition: 0 },
        { topic: 'orders', partition: 1 },
        { topic: 'nosuch', partition: 0 },
      ]),
    );
    expect(results.map((result) => [result.topic, result.partition, result.error?.errorName ?? null])).toEqual([
      ['orders', 0, 'ELECTION_NOT_NEEDED'],
      ['orders', 1, 'ELECTION_NOT_NEEDED'],
      ['nosuch', 0, 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    const request = cluster.requestsOf('electLeaders')[0]!;
    expect(request.brokerId).toBe(cluster.controllerId);
    expect(request.body).toMatchObject({ electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [0, 1] }, { topic: 'nosuch', partitions: [0] }] });
    expect(await cluster.settle(admin.electLeaders('unclean', null))).toEqual([]);
    expect(cluster.requestsOf('electLeaders')[1]!.body).toMatchObject({ electionType: 1, topicPartitions: null });
  });

  it("describes topics' configs (DescribeConfigs): overrides are not defaults, an unknown topic is UNKNOWN_TOPIC_OR_PARTITION", async () => {
    await setUp();
    await cluster.settle(admin.createTopics([{ name: 'configured', numPartitions: 1, configs: { 'segment.bytes': '1048576' } }]));
    const [configured, unknown] = await cluster.settle(admin.describeTopicConfigs(['configured', 'ghost']));
    expect(configured).toEqual({ name: 'configured', error: null, entries: [{ name: 'segment.bytes', value: '1048576', source: 'TOPIC_CONFIG', isDefault: false }] });
    expect(unknown?.entries).toEqual([]);
    expect(isKafkaError(unknown?.error, 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
    expect(cluster.requestsOf('describeConfigs')).toHaveLength(1);
    expect(cluster.requestsOf('describeConfigs')[0]?.body.resources.map((resource) => [resource.resourceType, resource.resourceName])).toEqual([
      [2, 'configured'],
      [2, 'ghost'],
    ]);
  });

  it('checks without creating when validateOnly is set', async () => {
    await setUp();
    const [result] = await cluster.settle(admin.createTopics([{ name: 'dry', numPartitions: 2 }], { validateOnly: true }));
    expect(result).toMatchObject({ name: 'dry', numPartitions: 2, error: null });
    expect(cluster.topics.has('dry')).toBe(false);
  });

  it('refreshes metadata and retries on NOT_CONTROLLER', async () => {
    await setUp();
    // Metadata names broker 1 as controller, but broker 0 acts: broker 1 answers NOT_CONTROLLER, and the
    // admin must refresh metadata until it names the real controller, then retry there.
    cluster.advertisedControllerId = 1;
    const pending = admin.createTopics([{ name: 'moved', numPartitions: 1 }]);
    cluster.clock.setTimeout(() => (cluster.advertisedControllerId = null), 150);
    const [result] = await cluster.settle(pending);
    expect(result!.error).toBeNull();
    const brokers = cluster.requestsOf('createTopics').map((request) => request.brokerId);
    expect(brokers[0]).toBe(1);
    expect(brokers.at(-1)).toBe(0);
  });

  it('gives topics still without an answer REQUEST_TIMED_OUT when the call runs out of time', async () => {
    await setUp();
    cluster.advertisedControllerId = 1; // broker 1 keeps answering NOT_CONTROLLER
    const startMs = cluster.clock.now();
    const [result] = await cluster.settle(admin.createTopics([{ name: 'never', numPartitions: 1 }], { timeoutMs: 2_000 }));
    expect(isKafkaError(result!.error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect(result!.error!.message).toContain('NOT_CONTROLLER');
    expect(cluster.clock.now() - startMs).toBeLessThanOrEqual(2_000);
  });

  it('deletes topics and reports unknown ones per topic', async () => {
    await setUp();
    cluster.createTopic('old', 1);
    const results = await cluster.settle(admin.deleteTopics(['old', 'ghost']));
    expect(results.map((result) => [result.name, result.error?.errorName ?? null])).toEqual([
      ['old', null],
      ['ghost', 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    expect(cluster.topics.has('old')).toBe(false);
  });

  it('adds partitions and refuses to shrink a topic', async () => {
    await setUp();
    cluster.createTopic('t', 2);
    const results = await cluster.settle(admin.createPartitions([{ name: 't', count: 4 }]));
    expect(results[0]!.error).toBeNull();
    expect(cluster.topics.get('t')?.partitions).toHaveLength(4);
    const [shrink] = await cluster.settle(admin.createPartitions([{ name: 't', count: 1 }]));
    expect(isKafkaError(shrink!.error, 'INVALID_PARTITIONS')).toBe(true);
  });

  it('lists topics by name, leaving internal ones out unless asked', async () => {
    await setUp();
    cluster.createTopic('b', 1);
    cluster.createTopic('a', 1);
    cluster.createTopic('__consumer_offsets', 1);
    expect((await cluster.settle(admin.listTopics())).map((topic) => topic.name)).toEqual(['a', 'b']);
    const all = await cluster.settle(admin.listTopics({ listInternal: true }));
    expect(all.map((topic) => [topic.name, topic.isInternal])).toEqual([
      ['__consumer_offsets', true],
      ['a', false],
      ['b', false],
    ]);
  });

  it('describes partitions with leaders from metadata and offsets from each leader', async () => {
    await setUp();
    cluster.createTopic('t', 3);
    cluster.append('t', 1, batchOf(4));
    cluster.partition('t', 1).logStartOffset = 1;
    await cluster.settle(admin.describeCluster()); // learn every broker before the bootstrap one goes
    await cluster.stopBroker(2);
    const [description, unknown] = await cluster.settle(admin.describeTopics(['t', 'ghost']));
    expect(description!.error).toBeNull();
    expect(description!.topicId).toBe(cluster.topics.get('t')!.topicId);
    expect(description!.partitions.map((partition) => [partition.partition, partition.leader, partition.logStartOffset, partition.logEndOffset, partition.highWatermark])).toEqual([
      [0, 0, 0, 0, 0],
      [1, 1, 1, 4, 4],
      // The leader of partition 2 (broker 2) is gone: its offsets are unknown.
      [2, 2, -1, -1, -1],
    ]);
    expect(description!.partitions[1]).toMatchObject({ replicas: [1], isr: [1], leaderEpoch: 0 });
    expect(unknown!.name).toBe('ghost');
    expect(isKafkaError(unknown!.error, 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
    const logDirRequests = cluster.requestsOf('describeLogDirs');
    expect(logDirRequests.map((request) => [request.brokerId, request.body.topics])).toEqual(
      expect.arrayContaining([
        [0, [{ topic: 't', partitions: [0] }]],
        [1, [{ topic: 't', partitions: [1] }]],
      ]),
    );
  });

  it('describes the cluster: its id, controller and live brokers', async () => {
    await setUp();
    const description = await cluster.settle(admin.describeCluster());
    expect(description).toEqual({
      clusterId: 'fake-cluster',
      controllerId: 0,
      brokers: [0, 1, 2].map((nodeId) => ({ nodeId, host: `broker-${nodeId}`, port: 9092, url: `memory://broker-${nodeId}:9092`, rack: null })),
    });
  });

  it('tries the next bootstrap broker when one is down', async () => {
    cluster = await FakeCluster.start({ brokers: 3 });
    await cluster.stopBroker(0);
    admin = Admin.create({ 'bootstrap.servers': 'broker-0:9092,broker-1:9092' }, cluster.clientRuntime());
    const description = await cluster.settle(admin.describeCluster());
    expect(description.brokers.map((broker) => broker.nodeId)).toEqual([1, 2]);
  });

  it('rejects a cluster-wide call with REQUEST_TIMED_OUT when no broker answers in time', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    await cluster.stopBroker(0);
    admin = Admin.create({ 'bootstrap.servers': 'broker-0:9092', 'default.api.timeout.ms': 30_000 }, cluster.clientRuntime());
    const startMs = cluster.clock.now();
    await expect(cluster.settle(admin.listTopics())).rejects.toSatisfy((error: unknown) => isKafkaError(error, 'REQUEST_TIMED_OUT'));
    expect(cluster.clock.now() - startMs).toBeLessThanOrEqual(30_000);
  });

  it('refuses calls after close()', async () => {
    await setUp();
    admin.close();
    await expect(admin.listTopics()).rejects.toBeInstanceOf(IllegalStateError);
  });
});
