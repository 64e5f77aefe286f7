import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, controllerUrl, SimulatedCluster, valuesOf } from '@kactor/simulation';

const createOrders = (partitions = 6): RequestBody<'createTopics'> => ({
  topics: [{ name: 'orders', numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
  timeoutMs: 5_000,
  validateOnly: false,
});

function produce(topic: string, partition: number, records: Uint8Array, acks = 1): RequestBody<'produce'> {
  return { transactionalId: null, acks, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
}

function fetchRequest(topic: string, partition: number, fetchOffset: number, options: { maxWaitMs?: number; minBytes?: number } = {}): RequestBody<'fetch'> {
  return {
    replicaId: -1,
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: 50 * 1024 * 1024,
    isolationLevel: 0,
    topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes: 1024 * 1024 }] }],
  };
}

function leaders(metadata: ResponseBody<'metadata'>, topic = 'orders'): number[] {
  return metadata.topics.find((candidate) => candidate.name === topic)?.partitions.map((partition) => partition.leaderId) ?? [];
}

function urlOf(metadata: ResponseBody<'metadata'>, brokerId: number): string {
  const broker = metadata.brokers.find((candidate) => candidate.nodeId === brokerId);
  if (broker === undefined) throw new Error(`broker ${brokerId} not in metadata`);
  return broker.url;
}

let cluster: SimulatedCluster;
afterEach(async () => {
  for (const node of cluster?.nodes ?? []) await node.halt();
});

describe('a simulated three-broker cluster', () => {
  it('STARTING -> RECOVERY -> RUNNING: every broker registers, catches up and is unfenced', async () => {
    cluster = new SimulatedCluster({ seed: 1 });
    await cluster.startAll();
    const metadata = await cluster.client().call('metadata', { topics: null, allowAutoTopicCreation: false });
    expect(metadata.brokers.map((broker) => broker.nodeId)).toEqual([0, 1, 2]);
    expect(metadata.controllerId).toBe(0);
    expect(metadata.clusterId).not.toBeNull();
  });

  it('creates a topic whose partitions are spread over the brokers, and every broker knows the leaders at once', async () => {
    cluster = new SimulatedCluster({ seed: 2 });
    await cluster.startAll();
    const created = await cluster.client().call('createTopics', createOrders(6));
    expect(created.topics[0]).toMatchObject({ name: 'orders', errorCode: 0, numPartitions: 6, replicationFactor: 1 });
    const views = [];
    for (const broker of [0, 1, 2]) views.push(leaders(await cluster.client(`memory://broker-${broker}:9100`).call('metadata', { topics: ['orders'], allowAutoTopicCreation: false })));
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    expect([...(views[0] ?? [])].sort()).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('answers controller requests on other brokers with NOT_CONTROLLER', async () => {
    cluster = new SimulatedCluster({ seed: 3 });
    await cluster.startAll();
    const answer = await cluster.client('memory://broker-1:9100').call('createTopics', createOrders());
    expect(answer.topics[0]).toMatchObject({ errorCode: 41 });
  });

  it('assigns contiguous offsets to produced batches and serves them back by fetch', async () => {
    cluster = new SimulatedCluster({ seed: 4 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(3));
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const leader = cluster.client(urlOf(metadata, leaders(metadata)[1] ?? -1));
    const first = await leader.call('produce', produce('orders', 1, batchOf(['a', 'b', 'c'])));
    const second = await leader.call('produce', produce('orders', 1, batchOf(['d', 'e'])));
    expect(first.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(second.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3 });
    const fetched = await leader.call('fetch', fetchRequest('orders', 1, 2));
    const partition = fetched.responses[0]?.partitions[0];
    expect(partition).toMatchObject({ errorCode: 0, highWatermark: 5, logStartOffset: 0 });
    expect(valuesOf(partition?.records ?? new Uint8Array(), 2)).toEqual([
      { offset: 2, value: 'c' },
      { offset: 3, value: 'd' },
      { offset: 4, value: 'e' },
    ]);
  });

  it('refuses produce to a broker that does not lead the partition with NOT_LEADER_OR_FOLLOWER, and unknown partitions with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    cluster = new SimulatedCluster({ seed: 5 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(3));
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const leaderOfZero = leaders(metadata)[0];
    const other = [0, 1, 2].find((broker) => broker !== leaderOfZero) ?? -1;
    const wrong = await cluster.client(urlOf(metadata, other)).call('produce', produce('orders', 0, batchOf(['x'])));
    expect(wrong.responses[0]?.partitionResponses[0]?.errorCode).toBe(6);
    const unknown = await cluster.client(urlOf(metadata, other)).call('produce', produce('nope', 0, batchOf(['x'])));
    expect(unknown.responses[0]?.partitionResponses[0]?.errorCode).toBe(3);
  });

  it('refuses a produce request that names a partition twice with INVALID_REQUEST, and keeps serving', async () => {
    cluster = new SimulatedCluster({ seed: 13 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(1));
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const leader = cluster.client(urlOf(metadata, leaders(metadata)[0] ?? -1));
    const twice: RequestBody<'produce'> = {
      transactionalId: null,
      acks: 1,
      timeoutMs: 30_000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batchOf(['a']) }, { index: 0, records: batchOf(['b']) }] }],
    };
    await expect(leader.call('produce', twice)).rejects.toThrow(/INVALID_REQUEST/);
    expect((await leader.call('produce', produce('orders', 0, batchOf(['ok'])))).responses[0]?.partitionResponses[0]?.baseOffset).toBe(0);
  });

  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE and keeps serving', async () => {
    cluster = new SimulatedCluster({ seed: 6 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(1));
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const leader = cluster.client(urlOf(metadata, leaders(metadata)[0] ?? -1));
    const corrupted = batchOf(['a']);
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] ?? 0) ^ 0xff;
    const refused = await leader.call('produce', produce('orders', 0, corrupted));
    expect(refused.responses[0]?.partitionResponses[0]?.errorCode).toBe(2);
    const accepted = await leader.call('produce', produce('orders', 0, batchOf(['ok'])));
    expect(accepted.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
  });

  it('holds a fetch until data arrives (fetch.min.bytes), or answers empty after fetch.max.wait.ms', async () => {
    cluster = new SimulatedCluster({ seed: 7 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(1));
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const url = urlOf(metadata, leaders(metadata)[0] ?? -1);
    const consumer = cluster.client(url);
    const started = cluster.clock.now();
    const empty = await consumer.call('fetch', fetchRequest('orders', 0, 0, { maxWaitMs: 500 }));
    expect(cluster.clock.now() - started).toBe(500);
    expect(empty.responses[0]?.partitions[0]?.records.byteLength).toBe(0);

    let answer: ResponseBody<'fetch'> | undefined;
    consumer.rpc.request('fetch', fetchRequest('orders', 0, 0, { maxWaitMs: 10_000 }), (result) => {
      if (result.ok) answer = result.body;
    });
    await cluster.advance(100);
    expect(answer).toBeUndefined();
    const producedAt = cluster.clock.now();
    await cluster.client(url).call('produce', produce('orders', 0, batchOf(['late'])));
    await cluster.until(() => answer !== undefined, 'fetch woken by the produce');
    expect(cluster.clock.now() - producedAt).toBeLessThan(100);
    expect(valuesOf(answer?.responses[0]?.partitions[0]?.records ?? new Uint8Array())).toEqual([{ offset: 0, value: 'late' }]);
  });

  it('RUNNING broker lost -> fenced after broker.session.timeout.ms, its partitions lose their leader', async () => {
    cluster = new SimulatedCluster({ seed: 8 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(6));
    await cluster.kill(2);
    const killedAt = cluster.clock.now();
    await cluster.advance(8_000);
    let metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.brokers.map((broker) => broker.nodeId)).toEqual([0, 1, 2]);
    await cluster.until(() => cluster.node(0).broker.getSnapshot().context.image?.brokers.find((broker) => broker.brokerId === 2)?.fenced === true, 'broker 2 fenced');
    const detectedAfter = cluster.clock.now() - killedAt;
    expect(detectedAfter).toBeGreaterThanOrEqual(9_000 - 2_000);
    expect(detectedAfter).toBeLessThanOrEqual(9_000 + 100);
    metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.brokers.map((broker) => broker.nodeId)).toEqual([0, 1]);
    const partitions = metadata.topics[0]?.partitions ?? [];
    const onTwo = partitions.filter((partition) => partition.replicaNodes.includes(2));
    expect(onTwo.length).toBe(2);
    for (const partition of onTwo) expect(partition).toMatchObject({ leaderId: -1, errorCode: 5, offlineReplicas: [2] });
  });

  it('a restarted broker registers a new incarnation, is unfenced and leads its partitions again with its data', async () => {
    cluster = new SimulatedCluster({ seed: 9 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(3));
    let metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const partitionOnTwo = metadata.topics[0]?.partitions.find((partition) => partition.leaderId === 2);
    if (partitionOnTwo === undefined) throw new Error('broker 2 leads nothing');
    await cluster.client(urlOf(metadata, 2)).call('produce', produce('orders', partitionOnTwo.partitionIndex, batchOf(['kept'])));
    await cluster.shutdown(2);
    await cluster.start(2);
    await cluster.until(() => cluster.node(2).brokerState() === 'RUNNING', 'broker 2 running again');
    metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const again = metadata.topics[0]?.partitions[partitionOnTwo.partitionIndex];
    expect(again?.leaderId).toBe(2);
    expect(again?.leaderEpoch).toBeGreaterThan(partitionOnTwo.leaderEpoch);
    const fetched = await cluster.client(urlOf(metadata, 2)).call('fetch', fetchRequest('orders', partitionOnTwo.partitionIndex, 0));
    expect(valuesOf(fetched.responses[0]?.partitions[0]?.records ?? new Uint8Array())).toEqual([{ offset: 0, value: 'kept' }]);
  });

  it('a broker killed and restarted at once waits out its old session (DUPLICATE_BROKER_REGISTRATION), then runs again', async () => {
    cluster = new SimulatedCluster({ seed: 12 });
    await cluster.startAll();
    await cluster.client().call('createTopics', createOrders(3));
    await cluster.kill(1);
    const killedAt = cluster.clock.now();
    await cluster.start(1);
    await cluster.until(() => cluster.node(1).brokerState() === 'RUNNING', 'broker 1 running again', 30_000);
    // The old incarnation's session had to expire first: broker.session.timeout.ms after its last heartbeat.
    expect(cluster.clock.now() - killedAt).toBeGreaterThanOrEqual(9_000 - 2_000);
  });

  it('survives a full restart: the controller replays its metadata log and every record is still there', async () => {
    cluster = new SimulatedCluster({ seed: 10 });
    await cluster.startAll();
    const client = cluster.client();
    const created = await client.call('createTopics', createOrders(3));
    let metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    for (const partition of metadata.topics[0]?.partitions ?? []) {
      await cluster.client(urlOf(metadata, partition.leaderId)).call('produce', produce('orders', partition.partitionIndex, batchOf([`p${partition.partitionIndex}`])));
    }
    for (const broker of [2, 1, 0]) await cluster.shutdown(broker);
    await cluster.startAll();
    metadata = await cluster.client(controllerUrl).call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.topics[0]?.topicId).toBe(created.topics[0]?.topicId);
    for (const partition of metadata.topics[0]?.partitions ?? []) {
      expect(partition.leaderId).toBeGreaterThanOrEqual(0);
      const fetched = await cluster.client(urlOf(metadata, partition.leaderId)).call('fetch', fetchRequest('orders', partition.partitionIndex, 0));
      expect(valuesOf(fetched.responses[0]?.partitions[0]?.records ?? new Uint8Array())).toEqual([{ offset: 0, value: `p${partition.partitionIndex}` }]);
    }
  });

  it('deleting a topic removes its partitions from every broker', async () => {
    cluster = new SimulatedCluster({ seed: 11 });
    await cluster.startAll();
    const client = cluster.client();
    await client.call('createTopics', createOrders(3));
    const deleted = await client.call('deleteTopics', { topicNames: ['orders'], timeoutMs: 5_000 });
    expect(deleted.responses[0]?.errorCode).toBe(0);
    for (const node of cluster.nodes) expect(node.partitions.hostedPartitions()).toEqual([]);
    const metadata = await client.call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.topics[0]?.errorCode).toBe(3);
  });

  it('is deterministic: the same seed gives the same placement, epochs and clock', async () => {
    const run = async () => {
      cluster = new SimulatedCluster({ seed: 'determinism' });
      await cluster.startAll();
      await cluster.client().call('createTopics', createOrders(6));
      const metadata = await cluster.client().call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
      const trace = JSON.stringify({ metadata, now: cluster.clock.now() });
      for (const node of cluster.nodes) await node.halt();
      return trace;
    };
    expect(await run()).toBe(await run());
  });
});
