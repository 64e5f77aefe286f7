/**
 * Producer ids in a KRaft cluster (issue 13, KIP-730) on a simulated clock and network: InitProducerId without a
 * transactional id, asked of every broker, answers ids that no other producer ever got, across a failover of the
 * active controller, a restarted broker (which starts without a block) and a broker that uses up its block and
 * needs the next one from the new controller; and with a single controller across its restart. Each block of 1000 ids
 * belongs to one broker.
 */
import { errorByName } from '@kactor/protocol';
import type { RpcResult } from '@kactor/runtime';
import { SimulatedCluster } from '@kactor/simulation';
import { afterEach, describe, expect, it } from 'vitest';

const clusters: SimulatedCluster[] = [];

afterEach(async () => {
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

const COORDINATOR_LOAD_IN_PROGRESS = errorByName('COORDINATOR_LOAD_IN_PROGRESS').code;

interface Handed {
  brokerId: number;
  producerId: number;
}

/**
 * `count` InitProducerId requests of idempotent producers to one broker at once (the client pipelines them), run until
 * all are answered; those refused COORDINATOR_LOAD_IN_PROGRESS (the broker waits for a block) are sent again after the
 * client's retry.backoff.ms.
 */
async function initProducerIds(cluster: SimulatedCluster, brokerId: number, count: number, handed: Handed[]): Promise<void> {
  const client = cluster.client(cluster.node(brokerId).url);
  let pending = count;
  for (let round = 0; pending > 0; round += 1) {
    if (round === 100) throw new Error(`broker ${brokerId} still owes ${pending} producer ids after 100 rounds`);
    const answers: Array<RpcResult<'initProducerId'>> = [];
    for (let i = 0; i < pending; i += 1) client.rpc.request('initProducerId', { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 }, (answer) => answers.push(answer));
    const sent = pending;
    await cluster.until(() => answers.length === sent, `${sent} InitProducerId answered by broker ${brokerId}`);
    for (const answer of answers) {
      if (!answer.ok) throw new Error(`InitProducerId failed: ${answer.error.message}`);
      if (answer.body.errorCode !== 0) {
        expect(answer.body.errorCode).toBe(COORDINATOR_LOAD_IN_PROGRESS);
        continue;
      }
      expect(answer.body.producerEpoch).toBe(0);
      handed.push({ brokerId, producerId: answer.body.producerId });
      pending -= 1;
    }
    if (pending > 0) await cluster.advance(100);
  }
}

function expectDistinctIdsAndOneBrokerPerBlock(handed: readonly Handed[]): void {
  const ids = handed.map(({ producerId }) => producerId);
  expect(new Set(ids).size).toBe(ids.length);
  const ownerOfBlock = new Map<number, number>();
  for (const { brokerId, producerId } of handed) {
    const block = Math.floor(producerId / 1000);
    expect(ownerOfBlock.get(block) ?? brokerId, `block ${block} handed to two brokers`).toBe(brokerId);
    ownerOfBlock.set(block, brokerId);
  }
}

describe('producer ids in a 3-broker cluster', () => {
  for (const seed of [1, 2, 3]) {
    it(`KRaft (3 voters): InitProducerId answers distinct ids on every broker, across an active-controller failover (seed ${seed})`, async () => {
      const cluster = new SimulatedCluster({ brokers: 3, controllers: 3, seed, latencyMs: 1 });
      clusters.push(cluster);
      await cluster.startAll();
      await cluster.until(() => cluster.quorumLeader() !== undefined && cluster.nodes.every((node) => node.brokerState() === 'RUNNING'), 'a quorum leader and every broker RUNNING');
      const handed: Handed[] = [];
      for (const brokerId of cluster.brokerIds) await initProducerIds(cluster, brokerId, 3, handed);
      expect(new Set(handed.map(({ producerId }) => Math.floor(producerId / 1000))).size).toBe(3);

      const first = cluster.quorumLeader() as number;
      await cluster.kill(first);
      await cluster.until(() => cluster.quorumLeader() !== undefined, 'a new metadata quorum leader', 10_000);
      const survivors = cluster.brokerIds.filter((id) => id !== first);
      for (const brokerId of survivors) await initProducerIds(cluster, brokerId, 3, handed);
      // One survivor uses up its block: the next one (prefetched at 90%) comes from the new controller.
      const busy = survivors[0] as number;
      await initProducerIds(cluster, busy, 1_000, handed);
      expect(handed.filter(({ brokerId }) => brokerId === busy).length).toBe(1_006);

      // The old controller's node restarts without a block and gets a new one.
      await cluster.start(first);
      await cluster.until(() => cluster.node(first).brokerState() === 'RUNNING', `broker ${first} RUNNING again`, 30_000);
      await initProducerIds(cluster, first, 3, handed);

      expectDistinctIdsAndOneBrokerPerBlock(handed);
      // Five blocks were handed out (one per broker before the failover, the busy broker's second, the restarted node's
      // new one); the active controller's next block starts after every id handed out.
      const leader = cluster.quorumLeader() as number;
      const nextProducerId = cluster.node(leader).controller?.getSnapshot().context.state.producerIds?.nextProducerId ?? 0;
      expect(nextProducerId).toBe(5_000);
      expect(Math.max(...handed.map(({ producerId }) => producerId))).toBeLessThan(nextProducerId);
    });
  }

  it('with a single controller: a restarted controller replays its ProducerIdsRecords and continues after the last block', async () => {
    const cluster = new SimulatedCluster({ brokers: 3, seed: 4, latencyMs: 1 });
    clusters.push(cluster);
    await cluster.startAll();
    await cluster.until(() => cluster.nodes.every((node) => node.brokerState() === 'RUNNING'), 'every broker RUNNING');
    const handed: Handed[] = [];
    for (const brokerId of cluster.brokerIds) await initProducerIds(cluster, brokerId, 2, handed);
    await cluster.kill(cluster.controllerId);
    await cluster.start(cluster.controllerId);
    await cluster.until(() => cluster.node(cluster.controllerId).brokerState() === 'RUNNING', 'the controller node RUNNING again', 30_000);
    await initProducerIds(cluster, cluster.controllerId, 2, handed);
    expectDistinctIdsAndOneBrokerPerBlock(handed);
    expect(cluster.node(cluster.controllerId).controller?.getSnapshot().context.state.producerIds?.nextProducerId).toBe(4_000);
  });
});
