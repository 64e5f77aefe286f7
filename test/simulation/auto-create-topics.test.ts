import { errorByName } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupClients, SimulatedCluster, sortedNames } from '@kactor/simulation';

let cluster: SimulatedCluster;
let sim: GroupClients | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const node of cluster?.nodes ?? []) await node.halt();
});

const code = (name: Parameters<typeof errorByName>[0]): number => errorByName(name).code;

describe('auto.create.topics.enable (a Metadata request creates a missing topic)', () => {
  it('answers LEADER_NOT_AVAILABLE while it asks the controller, then the topic has num.partitions partitions with leaders', async () => {
    cluster = new SimulatedCluster({ seed: 21, brokerConfig: { 'num.partitions': '3' } });
    await cluster.startAll();
    const client = cluster.client('memory://broker-1:9100');
    const first = await client.call('metadata', { topics: ['fresh'], allowAutoTopicCreation: true });
    expect(first.topics[0]).toMatchObject({ name: 'fresh', errorCode: code('LEADER_NOT_AVAILABLE'), partitions: [] });
    // The client asks again after its retry backoff, as a producer does, until the topic is in this broker's image.
    let created: (typeof first.topics)[number] | undefined;
    for (let attempt = 0; attempt < 100 && created === undefined; attempt++) {
      await cluster.advance(100);
      const topic = (await client.call('metadata', { topics: ['fresh'], allowAutoTopicCreation: true })).topics[0];
      if (topic?.errorCode === 0 && topic.partitions.every((partition) => partition.leaderId >= 0)) created = topic;
    }
    expect(created?.partitions).toHaveLength(3);
  });

  it('does not create it when the request does not allow it (admin), nor an internal or illegal name', async () => {
    cluster = new SimulatedCluster({ seed: 22 });
    await cluster.startAll();
    const client = cluster.client();
    const answer = await client.call('metadata', { topics: ['admin-asked', '__internal', 'bad name'], allowAutoTopicCreation: false });
    expect(answer.topics.map((topic) => topic.errorCode)).toEqual([code('UNKNOWN_TOPIC_OR_PARTITION'), code('UNKNOWN_TOPIC_OR_PARTITION'), code('UNKNOWN_TOPIC_OR_PARTITION')]);
    const allowed = await client.call('metadata', { topics: ['__internal', 'bad name'], allowAutoTopicCreation: true });
    expect(allowed.topics.map((topic) => topic.errorCode)).toEqual([code('UNKNOWN_TOPIC_OR_PARTITION'), code('INVALID_TOPIC_EXCEPTION')]);
    await cluster.advance(5_000);
    const later = await client.call('metadata', { topics: null, allowAutoTopicCreation: false });
    expect(later.topics.map((topic) => topic.name)).not.toContain('admin-asked');
  });

  it('with auto.create.topics.enable=false answers UNKNOWN_TOPIC_OR_PARTITION and creates nothing', async () => {
    cluster = new SimulatedCluster({ seed: 23, brokerConfig: { 'auto.create.topics.enable': 'false' } });
    await cluster.startAll();
    const client = cluster.client();
    const answer = await client.call('metadata', { topics: ['nosuch'], allowAutoTopicCreation: true });
    expect(answer.topics[0]?.errorCode).toBe(code('UNKNOWN_TOPIC_OR_PARTITION'));
    await cluster.advance(5_000);
    const later = await client.call('metadata', { topics: ['nosuch'], allowAutoTopicCreation: true });
    expect(later.topics[0]?.errorCode).toBe(code('UNKNOWN_TOPIC_OR_PARTITION'));
  });

  it('a consumer group subscribed to a missing topic has it created (allow.auto.create.topics) and reads what is produced to it', async () => {
    sim = new GroupClients(24);
    cluster = sim.cluster;
    await cluster.startAll();
    const consumer = sim.consumer('fresh-readers', 'reader');
    consumer.subscribe(['fresh']);
    await sim.pollUntil([consumer], () => sortedNames(consumer.assignment()).includes('fresh-0'), 'the auto-created topic is assigned', 30_000);
    await sim.settle(sim.producer().send({ topic: 'fresh', value: 'first' }));
    await sim.pollUntil([consumer], () => sim?.records(consumer).length === 1, 'the record arrives', 30_000);
    expect(sim.records(consumer).map((record) => new TextDecoder().decode(record.value ?? new Uint8Array()))).toEqual(['first']);
  });
});
