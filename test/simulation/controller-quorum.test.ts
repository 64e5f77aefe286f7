/**
 * A KRaft cluster on a simulated clock and network (issue 12): three brokers that are also the metadata quorum's
 * voters. Killing the active controller elects another within the election timeout, and creating topics, electing
 * partition leaders and fencing the dead broker go on; the killed node rejoins as a follower and catches up; a
 * quorum without a majority has no leader, and nothing committed is lost when the voters return.
 */
import type { RequestBody } from '@kactor/protocol';
import { SimulatedCluster } from '@kactor/simulation';
import { afterEach, describe, expect, it } from 'vitest';

const clusters: SimulatedCluster[] = [];

afterEach(async () => {
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

const topic = (name: string, replicationFactor = 3): RequestBody<'createTopics'>['topics'][number] => ({ name, numPartitions: 3, replicationFactor, assignments: [], configs: [] });

async function kraftCluster(seed: number, brokers = 3, controllers = 3): Promise<SimulatedCluster> {
  const cluster = new SimulatedCluster({ brokers, controllers, seed, latencyMs: 1 });
  clusters.push(cluster);
  await cluster.startAll();
  await cluster.until(() => cluster.quorumLeader() !== undefined, 'a metadata quorum leader');
  return cluster;
}

async function createTopic(cluster: SimulatedCluster, name: string, replicationFactor = 3): Promise<number> {
  const created = await cluster.client().call('createTopics', { topics: [topic(name, replicationFactor)], timeoutMs: 10_000, validateOnly: false });
  return created.topics[0]?.errorCode ?? -1;
}

/** What a broker's image says about `name`: leaders of its partitions, or undefined if it does not know the topic. */
function leadersSeenBy(cluster: SimulatedCluster, brokerId: number, name: string): number[] | undefined {
  const image = cluster.node(brokerId).broker.getSnapshot().context.image;
  return image?.topics.find((candidate) => candidate.name === name)?.partitions.map((partition) => partition.leader);
}

function fencedSeenBy(cluster: SimulatedCluster, brokerId: number, fenced: number): boolean {
  const image = cluster.node(brokerId).broker.getSnapshot().context.image;
  return image?.brokers.find((broker) => broker.brokerId === fenced)?.fenced === true;
}

describe('a KRaft cluster (3 nodes, each broker and controller)', () => {
  for (const seed of [1, 2, 3]) {
    it(`survives losing the active controller (seed ${seed}: KACTOR seed for a rerun)`, async () => {
      const cluster = await kraftCluster(seed);
      expect(await createTopic(cluster, 'before')).toBe(0);
      const first = cluster.quorumLeader() as number;
      const epoch = cluster.node(first).metadataQuorum?.leader().epoch as number;
      const electedAt = cluster.clock.now();
      await cluster.kill(first);
      await cluster.until(() => cluster.quorumLeader() !== undefined, 'a new metadata quorum leader', 10_000);
      const second = cluster.quorumLeader() as number;
      expect(second).not.toBe(first);
      expect(cluster.node(second).metadataQuorum?.leader().epoch).toBeGreaterThan(epoch);
      // controller.quorum.fetch.timeout.ms (2 s) to notice, then an election of at most 2 x election.timeout.ms (1 s) or so.
      expect(cluster.clock.now() - electedAt).toBeLessThan(6_000);

      // Fencing of the dead broker and elections of partition leaders go on under the new controller.
      const survivors = cluster.brokerIds.filter((id) => id !== first);
      await cluster.until(() => survivors.every((id) => fencedSeenBy(cluster, id, first)), `broker ${first} fenced`, 30_000);
      await cluster.until(() => survivors.every((id) => leadersSeenBy(cluster, id, 'before')?.every((leader) => leader !== first && leader >= 0) === true), 'leaders moved off the dead broker', 30_000);
      // Two brokers are left: a replication factor of 3 is refused (INVALID_REPLICATION_FACTOR), 2 is created.
      expect(await createTopic(cluster, 'after', 2)).toBe(0);

      // The killed node rejoins as a follower and catches up with everything committed meanwhile.
      await cluster.start(first);
      await cluster.until(() => cluster.node(first).brokerState() === 'RUNNING', `broker ${first} RUNNING again`, 30_000);
      await cluster.until(() => leadersSeenBy(cluster, first, 'after')?.length === 3, 'the restarted node knows the topic created while it was down', 30_000);
      expect(cluster.quorumLeader()).toBe(second);
      expect(cluster.node(first).metadataQuorum?.leader().leaderId).toBe(second);
    });
  }

  it('without a majority of voters there is no leader; when they return nothing committed is lost', async () => {
    const cluster = await kraftCluster(7);
    expect(await createTopic(cluster, 'kept')).toBe(0);
    const leader = cluster.quorumLeader() as number;
    const others = cluster.brokerIds.filter((id) => id !== leader);
    for (const id of others) await cluster.kill(id);
    await cluster.until(() => cluster.quorumLeader() === undefined && cluster.node(leader).metadataQuorum?.leader().leaderId !== leader, 'the lone voter resigns (check-quorum)', 10_000);
    // Nothing can be created without a majority: the create times out or is refused, never acknowledged.
    const refused = await cluster.client(cluster.node(leader).url).call('createTopics', { topics: [topic('lost')], timeoutMs: 2_000, validateOnly: false });
    expect(refused.topics[0]?.errorCode).not.toBe(0);
    for (const id of others) await cluster.start(id);
    await cluster.until(() => cluster.quorumLeader() !== undefined, 'a leader once a majority is back', 20_000);
    await cluster.until(() => cluster.nodes.every((node) => node.brokerState() === 'RUNNING'), 'every broker RUNNING', 30_000);
    for (const id of cluster.brokerIds) await cluster.until(() => leadersSeenBy(cluster, id, 'kept')?.length === 3, `broker ${id} still knows "kept"`, 30_000);
    expect(await createTopic(cluster, 'later')).toBe(0);
  });

  it('a createTopics with the Admin\'s timeout is answered once every live broker applied it: milliseconds, not a heartbeat interval, also right after a failover', async () => {
    const cluster = await kraftCluster(5);
    const timed = async (name: string, replicationFactor: number): Promise<number> => {
      const startedMs = cluster.clock.now();
      for (;;) {
        const created = await cluster.client().call('createTopics', { topics: [topic(name, replicationFactor)], timeoutMs: 60_000, validateOnly: false });
        const errorCode = created.topics[0]?.errorCode;
        if (errorCode === 0) return cluster.clock.now() - startedMs;
        // NOT_CONTROLLER (41) while the new leader's controller has not claimed yet: the Admin's retry.backoff.ms.
        expect(errorCode).toBe(41);
        await cluster.advance(100);
      }
    };
    // Every broker reports what it applied at once (the leader's own broker, and the others through their Fetches of
    // the metadata log), not in its next heartbeat (broker.heartbeat.interval.ms, 2 s).
    expect(await timed('quick', 3)).toBeLessThan(500);
    await cluster.kill(cluster.quorumLeader() as number);
    await cluster.until(() => cluster.quorumLeader() !== undefined, 'a new leader', 10_000);
    // The dead broker is not waited for until its session ends (9 s): only brokers heard from since the failover count.
    expect(await timed('after-failover', 2)).toBeLessThan(1_000);
  });

  it('brokers beyond the voters observe the quorum and follow its leader (5 brokers, 3 controllers)', async () => {
    const cluster = await kraftCluster(11, 5, 3);
    expect(cluster.node(4).controller).toBeUndefined();
    expect(await createTopic(cluster, 'observed')).toBe(0);
    await cluster.until(() => [3, 4].every((id) => leadersSeenBy(cluster, id, 'observed')?.length === 3), 'observers know the topic');
    const leader = cluster.quorumLeader() as number;
    await cluster.kill(leader);
    await cluster.until(() => cluster.quorumLeader() !== undefined, 'a new leader', 10_000);
    await cluster.until(() => cluster.node(4).metadataQuorum?.leader().leaderId === cluster.quorumLeader(), 'the observer follows the new leader', 10_000);
    expect(await createTopic(cluster, 'observed-later')).toBe(0);
    await cluster.until(() => [3, 4].every((id) => leadersSeenBy(cluster, id, 'observed-later')?.length === 3), 'observers know the later topic');
  });
});
