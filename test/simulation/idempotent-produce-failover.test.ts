/**
 * Idempotence across a leader change (issue 13, KIP-98), on three simulated brokers: followers copy each producer's
 * state with its batches, so the new leader answers a producer's retry of a batch the old leader wrote with its
 * original offset and writes nothing twice; a gap is still refused.
 */
import { encodeRecordBatch, errorByName, type RequestBody } from '@kactor/protocol';
import { SimulatedCluster } from '@kactor/simulation';
import { afterEach, describe, expect, it } from 'vitest';

const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;
const clusters: SimulatedCluster[] = [];
afterEach(async () => {
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

const producerId = 4000;
const batch = (baseSequence: number, count: number) =>
  encodeRecordBatch({
    records: Array.from({ length: count }, (_, index) => ({ key: null, value: new TextEncoder().encode(`v${baseSequence + index}`), headers: [], timestamp: 1_700_000_000_000 })),
    producerId,
    producerEpoch: 0,
    baseSequence,
  });
const produce = (index: number, records: Uint8Array): RequestBody<'produce'> => ({ transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: 'orders', partitionData: [{ index, records }] }] });

describe('idempotent produce across a leader change', () => {
  it('the new leader answers a retry of a batch the old leader wrote with its original offset; the log holds it once', async () => {
    const cluster = new SimulatedCluster({ brokers: 3, seed: 13, latencyMs: 1 });
    clusters.push(cluster);
    await cluster.startAll();
    const created = await cluster.client().call('createTopics', {
      topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3, assignments: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(0);
    const state = (index: number) => {
      const partition = cluster.node(cluster.controllerId).broker.getSnapshot().context.image?.topics.find((topic) => topic.name === 'orders')?.partitions[index];
      if (partition === undefined) throw new Error(`orders-${index} is not in the image`);
      return partition;
    };
    // A partition whose leader is not the controller's broker, so killing the leader leaves the controller up.
    const index = [0, 1, 2].find((candidate) => state(candidate).leader !== cluster.controllerId);
    if (index === undefined) throw new Error('every partition is led by the controller');
    const send = async (records: Uint8Array) => {
      const answer = await cluster.client(cluster.node(state(index).leader).url).call('produce', produce(index, records));
      return answer.responses[0]?.partitionResponses[0];
    };
    expect(await send(batch(0, 2))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await send(batch(2, 3))).toMatchObject({ errorCode: 0, baseOffset: 2 });

    const before = state(index);
    await cluster.kill(before.leader);
    await cluster.until(() => state(index).leader !== -1 && state(index).leader !== before.leader, 'a new leader is elected', 60_000);
    const leader = state(index).leader;
    await cluster.until(() => cluster.node(leader).partitions.view('orders', index)?.state === 'Leader', 'the new leader took over');

    // The producer never heard about its second batch and sends it again, to the new leader.
    expect(await send(batch(2, 3))).toMatchObject({ errorCode: 0, baseOffset: 2 });
    expect(await send(batch(5, 1))).toMatchObject({ errorCode: 0, baseOffset: 5 });
    expect(await send(batch(9, 1))).toMatchObject({ errorCode: code('OUT_OF_ORDER_SEQUENCE_NUMBER') });
    expect(cluster.node(leader).partitions.view('orders', index)?.context.ports.log.logEndOffset).toBe(6);
  });
});
