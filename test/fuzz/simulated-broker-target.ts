/**
 * A fuzz target: one simulated kactor node (broker, controller and group coordinator in one) on the
 * in-memory transport and a simulated clock, with the topics the generated frames name already created.
 * Frames reach it through a client connection, as any client's would.
 */
import type { RequestBody } from '@kactor/protocol';
import type { Connection } from '@kactor/runtime';
import { batchOf, SimulatedCluster, valuesOf } from '@kactor/simulation';
import type { FuzzTarget } from './fuzz-campaign.js';

const createTopic = (name: string, partitions: number): RequestBody<'createTopics'> => ({
  topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
  timeoutMs: 5_000,
  validateOnly: false,
});

export async function startSimulatedBrokerTarget(seed: number): Promise<FuzzTarget & { cluster: SimulatedCluster }> {
  const cluster = new SimulatedCluster({ brokers: 1, seed });
  await cluster.startAll();
  const setup = cluster.client();
  for (const name of ['fuzz', 'orders']) await setup.call('createTopics', createTopic(name, 3));
  const network = cluster.network.forHost('fuzzer');

  return {
    cluster,
    async connect(): Promise<Connection> {
      let connection: Connection | undefined;
      let failure: unknown;
      network.connect(cluster.controllerUrl).then(
        (opened) => (connection = opened),
        (error: unknown) => (failure = error),
      );
      await cluster.until(() => connection !== undefined || failure !== undefined, 'the fuzzer connected', 10_000);
      if (connection === undefined) throw new Error(`the fuzzer could not connect: ${String(failure)}`);
      return connection;
    },
    advance: (ms) => cluster.advance(ms),
    async stillServing(): Promise<string | undefined> {
      const state = cluster.node(0).brokerState();
      if (state !== 'RUNNING') return `the broker is ${state}`;
      const client = cluster.client();
      const created = await client.call('createTopics', createTopic('after-fuzz', 1));
      if (created.topics[0]?.errorCode !== 0) return `createTopics answered ${JSON.stringify(created.topics[0])}`;
      await cluster.until(() => true, 'a turn');
      const produced = await client.call('produce', {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [{ name: 'after-fuzz', partitionData: [{ index: 0, records: batchOf(['still', 'serving']) }] }],
      });
      const partition = produced.responses[0]?.partitionResponses[0];
      if (partition?.errorCode !== 0) return `produce answered ${JSON.stringify(partition)}`;
      const fetched = await client.call('fetch', {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1024 * 1024,
        isolationLevel: 0,
        topics: [{ topic: 'after-fuzz', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1024 * 1024 }] }],
      });
      const values = valuesOf(fetched.responses[0]?.partitions[0]?.records ?? new Uint8Array()).map((record) => record.value);
      if (values.join(',') !== 'still,serving') return `fetch returned ${JSON.stringify(values)}`;
      const metadata = await client.call('metadata', { topics: null, allowAutoTopicCreation: false });
      const names = metadata.topics.map((topic) => topic.name);
      if (!names.includes('after-fuzz')) return `metadata lists ${JSON.stringify(names)}`;
      return undefined;
    },
  };
}
