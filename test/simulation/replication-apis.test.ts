/**
 * Issue 11's wire contract answered by today's single-replica node: OffsetsForLeaderEpoch from the partition's
 * epoch cache and log end, ElectLeaders by the controller (a preferred election of an RF 1 partition is
 * ELECTION_NOT_NEEDED), AlterPartition by the controller for a cluster member (RF 1 has nothing to change), Produce with acks outside -1, 0, 1 refused INVALID_REQUIRED_ACKS with nothing written
 * (ReplicaManagerTest.testIllegalRequiredAcks), Fetch with a follower's fields still serving a consumer, and a
 * follower fetch (replica id >= 0) refused to clients with TOPIC_AUTHORIZATION_FAILED (Kafka's ClusterAction check).
 */
import { errorByName, type RequestBody } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, haltSingleNodes, singleNodeClusterSecret, startSingleNode, valuesOf, type SingleNode } from '@kactor/simulation';

afterEach(haltSingleNodes);

const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;

async function nodeWithOrders(): Promise<{ h: SingleNode; client: ReturnType<SingleNode['client']>; leaderEpoch: number }> {
  const h = await startSingleNode();
  const client = h.client(undefined);
  const created = await h.call(client, 'createTopics', { topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5_000, validateOnly: false });
  expect(created.ok && created.body.topics[0]?.errorCode).toBe(0);
  const metadata = await h.call(client, 'metadata', { topics: ['orders'], allowAutoTopicCreation: false });
  if (!metadata.ok) throw new Error('metadata failed');
  const leaderEpoch = metadata.body.topics[0]?.partitions[0]?.leaderEpoch ?? -1;
  return { h, client, leaderEpoch };
}

const produce = (acks: number, values: string[]): RequestBody<'produce'> => ({
  transactionalId: null,
  acks,
  timeoutMs: 30_000,
  topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batchOf(values) }] }],
});

describe('OffsetsForLeaderEpoch on a single-replica partition', () => {
  it("answers the leader epoch's end at the log end offset, UNDEFINED for a later epoch, and the KIP-320 and unknown-partition errors", async () => {
    const { h, client, leaderEpoch } = await nodeWithOrders();
    const produced = await h.call(client, 'produce', produce(1, ['a', 'b', 'c']));
    expect(produced.ok && produced.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    const answer = await h.call(client, 'offsetsForLeaderEpoch', {
      replicaId: -1,
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, currentLeaderEpoch: leaderEpoch, leaderEpoch },
            { partition: 1, currentLeaderEpoch: -1, leaderEpoch },
            { partition: 0, currentLeaderEpoch: -1, leaderEpoch: leaderEpoch + 1 },
            { partition: 0, currentLeaderEpoch: leaderEpoch + 1, leaderEpoch },
            { partition: 7, currentLeaderEpoch: -1, leaderEpoch },
          ],
        },
        { topic: 'unknown', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] },
      ],
    });
    if (!answer.ok) throw new Error(`refused: ${answer.error.name}`);
    expect(answer.body.topics).toEqual([
      {
        topic: 'orders',
        partitions: [
          { errorCode: 0, partition: 0, leaderEpoch, endOffset: 3 },
          { errorCode: 0, partition: 1, leaderEpoch, endOffset: 0 },
          { errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: code('UNKNOWN_LEADER_EPOCH'), partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), partition: 7, leaderEpoch: -1, endOffset: -1 },
        ],
      },
      { topic: 'unknown', partitions: [{ errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), partition: 0, leaderEpoch: -1, endOffset: -1 }] },
    ]);
  });
});

describe('ElectLeaders on a single-replica cluster', () => {
  it('a preferred election is ELECTION_NOT_NEEDED (84) for a live leader, UNKNOWN_TOPIC_OR_PARTITION for an unknown partition, and moves nothing', async () => {
    const { h, client, leaderEpoch } = await nodeWithOrders();
    const answer = await h.call(client, 'electLeaders', { electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [0, 1, 9] }, { topic: 'nope', partitions: [0] }], timeoutMs: 5_000 });
    if (!answer.ok) throw new Error(`refused: ${answer.error.name}`);
    expect(answer.body.errorCode).toBe(0);
    expect(answer.body.replicaElectionResults.map((topic) => [topic.topic, topic.partitionResult.map((partition) => [partition.partitionId, partition.errorCode])])).toEqual([
      ['orders', [[0, 84], [1, 84], [9, code('UNKNOWN_TOPIC_OR_PARTITION')]]],
      ['nope', [[0, code('UNKNOWN_TOPIC_OR_PARTITION')]]],
    ]);
    const all = await h.call(client, 'electLeaders', { electionType: 0, topicPartitions: null, timeoutMs: 5_000 });
    expect(all.ok && all.body.replicaElectionResults).toEqual([]);
    const metadata = await h.call(client, 'metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.ok && metadata.body.topics[0]?.partitions.map((partition) => [partition.leaderId, partition.leaderEpoch])).toEqual([
      [0, leaderEpoch],
      [0, leaderEpoch],
    ]);
  });
});

describe('AlterPartition on a single-replica cluster (a control-plane API served by the controller)', () => {
  it("answers the leader's unchanged ISR [0] with the committed epochs and writes nothing; a stale partition epoch is INVALID_UPDATE_VERSION, another incarnation's broker epoch STALE_BROKER_EPOCH", async () => {
    const { h, client } = await nodeWithOrders();
    const image = h.node.broker.getSnapshot().context.image;
    const topic = image?.topics.find((candidate) => candidate.name === 'orders');
    const partition = topic?.partitions[0];
    if (image === null || topic === undefined || partition === undefined) throw new Error('no image of orders');
    const brokerEpoch: number = h.node.broker.getSnapshot().context.brokerEpoch;
    const member = h.client(singleNodeClusterSecret, 'broker-1');
    const alter = (partitionEpoch: number, epoch = brokerEpoch) =>
      h.call(member, 'alterPartition', {
        brokerId: 0,
        brokerEpoch: epoch,
        topics: [{ topicId: topic.topicId, partitions: [{ partitionIndex: 0, leaderEpoch: partition.leaderEpoch, newIsrWithEpochs: [{ brokerId: 0, brokerEpoch: epoch }], leaderRecoveryState: 0, partitionEpoch }] }],
      });
    const unchanged = await alter(partition.partitionEpoch);
    expect(unchanged.ok && unchanged.body).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [{ topicId: topic.topicId, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: 0, leaderEpoch: partition.leaderEpoch, isr: [0], leaderRecoveryState: 0, partitionEpoch: partition.partitionEpoch }] }],
    });
    const stale = await alter(partition.partitionEpoch - 1);
    expect(stale.ok && stale.body.topics[0]?.partitions[0]?.errorCode).toBe(code('INVALID_UPDATE_VERSION'));
    const otherIncarnation = await alter(partition.partitionEpoch, brokerEpoch + 1);
    expect(otherIncarnation.ok && otherIncarnation.body.errorCode).toBe(code('STALE_BROKER_EPOCH'));
    expect(h.node.broker.getSnapshot().context.image?.metadataOffset).toBe(image.metadataOffset);
    const metadata = await h.call(client, 'metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.ok && metadata.body.topics[0]?.partitions[0]?.isrNodes).toEqual([0]);
  });
});

describe('Produce acks (ReplicaManagerTest.testIllegalRequiredAcks)', () => {
  it('acks=3 is answered INVALID_REQUIRED_ACKS (21) per partition and nothing is appended', async () => {
    const { h, client } = await nodeWithOrders();
    const refused = await h.call(client, 'produce', produce(3, ['lost']));
    if (!refused.ok) throw new Error(`refused as a whole: ${refused.error.name}`);
    expect(refused.body.responses[0]?.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 21, baseOffset: -1 });
    const offsets = await h.call(client, 'listOffsets', { replicaId: -1, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 }] }] });
    expect(offsets.ok && offsets.body.topics[0]?.partitions[0]?.offset).toBe(0);
  });
});

describe('Fetch with the replication fields', () => {
  it("a request carrying a last fetched epoch and broker epoch is still read as today's consumer fetch", async () => {
    const { h, client } = await nodeWithOrders();
    await h.call(client, 'produce', produce(1, ['x', 'y']));
    const fetched = await h.call(client, 'fetch', {
      replicaId: -1,
      replicaEpoch: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, lastFetchedEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    });
    if (!fetched.ok) throw new Error(`refused: ${fetched.error.name}`);
    const partition = fetched.body.responses[0]?.partitions[0];
    expect(partition?.errorCode).toBe(0);
    expect(valuesOf(partition?.records ?? new Uint8Array()).map((record) => record.value)).toEqual(['x', 'y']);
    expect(partition?.divergingEpoch).toBeUndefined();
  });

  it('a follower fetch (replica id >= 0) from a client is TOPIC_AUTHORIZATION_FAILED on every partition (ClusterAction), from a cluster member it reaches the partition, which refuses a replica it does not have with NOT_LEADER_OR_FOLLOWER', async () => {
    const { h, client } = await nodeWithOrders();
    await h.call(client, 'produce', produce(1, ['x']));
    const followerFetch: RequestBody<'fetch'> = {
      replicaId: 1,
      replicaEpoch: 0,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [0, 1].map((partition) => ({ partition, currentLeaderEpoch: -1, lastFetchedEpoch: -1, fetchOffset: 0, logStartOffset: 0, partitionMaxBytes: 1 << 20 })) }],
    };
    const refused = await h.call(client, 'fetch', followerFetch);
    if (!refused.ok) throw new Error(`refused as a whole: ${refused.error.name}`);
    expect(refused.body.responses[0]?.partitions.map((partition) => [partition.partitionIndex, partition.errorCode, partition.records.byteLength])).toEqual([
      [0, code('TOPIC_AUTHORIZATION_FAILED'), 0],
      [1, code('TOPIC_AUTHORIZATION_FAILED'), 0],
    ]);
    // Broker 1 is not a replica of these single-replica partitions (Partition.followerReplicaOrThrow); a real follower's fetch is in replication.test.ts.
    const served = await h.call(h.client(singleNodeClusterSecret, 'broker-1'), 'fetch', followerFetch);
    expect(served.ok && served.body.responses[0]?.partitions.map((partition) => partition.errorCode)).toEqual([code('NOT_LEADER_OR_FOLLOWER'), code('NOT_LEADER_OR_FOLLOWER')]);
  });
});
