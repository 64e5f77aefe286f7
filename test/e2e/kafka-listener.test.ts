/**
 * Issue 16 end to end: `kactor cluster up --brokers 3` gives every broker a Kafka listener (here on free ports,
 * `--kafka-port 0`), named on the `Kafka clients:` line. Kafka's own bytes, through a tiny client on a TCP
 * socket: ApiVersions in v0 and v3 and the KIP-511 fallback for v4; Metadata v0, v1 and v4 from each broker,
 * naming all three brokers by their Kafka endpoints and a created topic's leaders, replicas and ISR as kactor's
 * own `topics describe` reports them; and a malformed frame closes only its own connection. Then KafkaJS 2.2.4, a
 * client nobody here wrote, lists the topics and fetches the topic's metadata through its Admin; and kcat (librdkafka)
 * lists brokers, topic and partitions with `kcat -L` where it is installed (.ci/run installs it).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { KafkaWireClient } from './support/kafka-wire-client.js';

interface DescribeLine {
  topic: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
}

const topic = 'orders';
/** kcat is Debian's package, installed by .ci/run; a machine without it skips that one test and says so. */
const kcatInstalled = spawnSync('kcat', ['-V']).status === 0;
if (!kcatInstalled) console.warn('kcat is not installed (apt-get install -y kcat): the kcat -L test is skipped');
const UNSUPPORTED_VERSION = 35;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

function endpointOf(hostPort: string): { host: string; port: number } {
  const separator = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, separator), port: Number(hostPort.slice(separator + 1)) };
}

describe('the Kafka listener of a three-broker cluster up', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-kafka-listener');
  const clients: KafkaWireClient[] = [];
  let cluster: RunningCluster;
  let kafkaEndpoints: Array<{ host: string; port: number }>;
  let described: DescribeLine;

  async function connect(brokerIndex: number): Promise<KafkaWireClient> {
    const endpoint = kafkaEndpoints[brokerIndex] as { host: string; port: number };
    const client = await KafkaWireClient.connect(endpoint.host, endpoint.port);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, brokers: 3 });
    kafkaEndpoints = (cluster.kafkaBootstrap ?? '').split(',').map(endpointOf);
    const created = await kactor(['topics', 'create', topic, '--partitions', '3', '--replication-factor', '3', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    // Every replica in the ISR of every partition, as kactor's own tool sees it, before Metadata is compared with it.
    described = await eventually(
      async () => {
        const result = await kactor(['topics', 'describe', topic, '--json', '--bootstrap-server', cluster.bootstrap]);
        const [line] = jsonLines<DescribeLine>(result.stdout);
        return line !== undefined && line.partitions.length === 3 && line.partitions.every((partition) => partition.isr.length === 3) ? line : undefined;
      },
      60_000,
      'every partition of orders with three replicas in its ISR',
      500,
    );
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('names one Kafka endpoint per broker on 127.0.0.1, each on its own free port', () => {
    expect(kafkaEndpoints).toHaveLength(3);
    expect(kafkaEndpoints.every((endpoint) => endpoint.host === '127.0.0.1' && endpoint.port > 0)).toBe(true);
    expect(new Set(kafkaEndpoints.map((endpoint) => endpoint.port)).size).toBe(3);
    expect(cluster.output().stdout).toContain(`Kafka clients: ${cluster.kafkaBootstrap}\n`);
  });

  it('answers ApiVersions v0 and v3 with the APIs served, and v4 with the KIP-511 fallback in v0', async () => {
    const client = await connect(0);
    const [v0, v3, v4] = await Promise.all([
      client.request('ApiVersions', 0, {}),
      client.request('ApiVersions', 3, { clientSoftwareName: 'kactor-e2e', clientSoftwareVersion: '1.0' }),
      client.request('ApiVersions', 4, { clientSoftwareName: 'kactor-e2e', clientSoftwareVersion: '1.0' }, { answerVersion: 0 }),
    ]);
    for (const answer of [v0, v3]) {
      expect(answer.errorCode).toBe(0);
      expect(answer.apiKeys).toContainEqual(expect.objectContaining({ apiKey: 18, minVersion: 0, maxVersion: 3 }));
      expect(answer.apiKeys.find((entry) => entry.apiKey === 3)?.maxVersion).toBeGreaterThanOrEqual(4);
      expect(answer.apiKeys.every((entry) => entry.minVersion === 0)).toBe(true);
    }
    expect(v3.apiKeys).toEqual(v0.apiKeys);
    expect(v4.errorCode).toBe(UNSUPPORTED_VERSION);
    expect(v4.apiKeys).toEqual([expect.objectContaining({ apiKey: 18, minVersion: 0, maxVersion: 3 })]);
    expect(client.closed).toBe(false);
  });

  it.each([0, 1, 4])('answers Metadata v%i from every broker: all three brokers by their Kafka endpoints, the topic\'s leaders, replicas and ISR', async (version) => {
    for (const brokerIndex of [0, 1, 2]) {
      const client = await connect(brokerIndex);
      // v0 asks for every topic with an empty list, v1+ with null; before v4 a request cannot say allow_auto_topic_creation.
      const answer = await client.request('Metadata', version, { topics: version === 0 ? [] : null, ...(version >= 4 ? { allowAutoTopicCreation: false } : {}) });
      expect([...answer.brokers].sort((left, right) => left.nodeId - right.nodeId).map(({ nodeId, host, port }) => ({ nodeId, host, port }))).toEqual(
        kafkaEndpoints.map((endpoint, nodeId) => ({ nodeId, ...endpoint })),
      );
      if (version >= 1) expect([0, 1, 2]).toContain(answer.controllerId);
      const orders = answer.topics.find((entry) => entry.name === topic);
      expect(orders?.errorCode).toBe(0);
      const partitions = [...(orders?.partitions ?? [])].sort((left, right) => left.partitionIndex - right.partitionIndex);
      expect(partitions.map(({ partitionIndex, leaderId, replicaNodes, isrNodes }) => ({ partitionIndex, leaderId, replicaNodes: [...replicaNodes].sort(), isrNodes: [...isrNodes].sort() }))).toEqual(
        described.partitions.map((partition) => ({ partitionIndex: partition.partition, leaderId: partition.leader, replicaNodes: [...partition.replicas].sort(), isrNodes: [...partition.isr].sort() })),
      );
    }
  });

  it('answers Metadata v4 for a topic that does not exist, without creating it, with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const client = await connect(1);
    const answer = await client.request('Metadata', 4, { topics: [{ topicId: '', name: 'no-such-topic' }], allowAutoTopicCreation: false });
    expect(answer.topics.map((entry) => [entry.name, entry.errorCode])).toEqual([['no-such-topic', UNKNOWN_TOPIC_OR_PARTITION]]);
  });

  it('serves KafkaJS 2.2.4\'s Admin: listTopics names the topic, fetchTopicMetadata its leaders, replicas and ISR', async () => {
    const kafka = new Kafka({ clientId: 'kactor-e2e-kafkajs', brokers: (cluster.kafkaBootstrap ?? '').split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics.map((entry) => entry.name)).toEqual([topic]);
      const partitions = [...(topics[0]?.partitions ?? [])].sort((left, right) => left.partitionId - right.partitionId);
      expect(partitions.map(({ partitionId, leader, replicas, isr }) => ({ partitionId, leader, replicas: [...replicas].sort(), isr: [...isr].sort() }))).toEqual(
        described.partitions.map((partition) => ({ partitionId: partition.partition, leader: partition.leader, replicas: [...partition.replicas].sort(), isr: [...partition.isr].sort() })),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it.skipIf(!kcatInstalled)('serves kcat -L (librdkafka): every broker by its Kafka endpoint, the topic\'s partitions with their leaders, replicas and ISR', async () => {
    const { stdout } = await promisify(execFile)('kcat', ['-b', cluster.kafkaBootstrap ?? '', '-L', '-t', topic, '-m', '30'], { timeout: 60_000 });
    expect(stdout).toContain(' 3 brokers:');
    for (const [nodeId, endpoint] of kafkaEndpoints.entries()) expect(stdout).toMatch(new RegExp(`broker ${nodeId} at ${endpoint.host}:${endpoint.port}\\b`));
    expect(stdout).toContain(`topic "${topic}" with 3 partitions:`);
    for (const partition of described.partitions) {
      const line = new RegExp(`partition ${partition.partition}, leader ${partition.leader}, replicas: ([0-9,]+), isrs: ([0-9,]+)`).exec(stdout);
      expect(line?.[1]?.split(',').map(Number).sort()).toEqual([...partition.replicas].sort());
      expect(line?.[2]?.split(',').map(Number).sort()).toEqual([...partition.isr].sort());
    }
  });

  it('closes a connection that sends a malformed frame and keeps serving another one meanwhile', async () => {
    const [broken, healthy] = await Promise.all([connect(2), connect(2)]);
    // A frame of 6 bytes: API key 3, version 1, and a correlation id cut short.
    broken.writeRaw(Uint8Array.of(0, 0, 0, 6, 0, 3, 0, 1, 0, 0));
    const answer = await healthy.request('Metadata', 1, { topics: [{ topicId: '', name: topic }] });
    await broken.whenClosed();
    expect(broken.closed).toBe(true);
    expect(answer.topics.map((entry) => [entry.name, entry.errorCode, entry.partitions.length])).toEqual([[topic, 0, 3]]);
    // The healthy connection goes on being served after the other one closed.
    const again = await healthy.request('ApiVersions', 3, { clientSoftwareName: 'kactor-e2e', clientSoftwareVersion: '1.0' });
    expect(again.errorCode).toBe(0);
  });
});
