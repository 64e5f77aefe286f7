/**
 * Metadata snapshots (KIP-630) in a KRaft cluster on a simulated clock: with a small
 * metadata.log.max.record.bytes.between.snapshots every node, voter or observer, writes snapshots of its own
 * committed metadata, each one loading into exactly the state its image shows.
 */
import type { RequestBody } from '@kactor/protocol';
import { SimulatedCluster } from '@kactor/simulation';
import { afterEach, describe, expect, it } from 'vitest';

const clusters: SimulatedCluster[] = [];

afterEach(async () => {
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

const topic = (name: string): RequestBody<'createTopics'>['topics'][number] => ({ name, numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] });

async function kraftCluster(seed: number, brokers: number, brokerConfig: Record<string, string>): Promise<SimulatedCluster> {
  const cluster = new SimulatedCluster({ brokers, controllers: 3, seed, latencyMs: 1, brokerConfig });
  clusters.push(cluster);
  await cluster.startAll();
  await cluster.until(() => cluster.quorumLeader() !== undefined, 'a metadata quorum leader');
  return cluster;
}

async function createTopic(cluster: SimulatedCluster, name: string): Promise<number> {
  const created = await cluster.client().call('createTopics', { topics: [topic(name)], timeoutMs: 10_000, validateOnly: false });
  return created.topics[0]?.errorCode ?? -1;
}

function topicsSeenBy(cluster: SimulatedCluster, brokerId: number): string[] {
  return (cluster.node(brokerId).broker.getSnapshot().context.image?.topics ?? []).map((known) => known.name).sort();
}

const snapshotsOf = (cluster: SimulatedCluster, brokerId: number) => cluster.logStore(brokerId).snapshots('__cluster_metadata', 0);

describe('metadata snapshots in a KRaft cluster (KIP-630)', () => {
  it('every node, voter or observer, writes snapshots of its committed metadata past the byte threshold', async () => {
    const cluster = await kraftCluster(11, 4, { 'metadata.log.max.record.bytes.between.snapshots': '2000' });
    const names = Array.from({ length: 8 }, (_, i) => `t${i}`);
    for (const name of names) expect(await createTopic(cluster, name)).toBe(0);
    await cluster.until(() => cluster.brokerIds.every((id) => topicsSeenBy(cluster, id).length === names.length), 'every node sees every topic', 30_000);
    await cluster.until(() => cluster.brokerIds.every((id) => snapshotsOf(cluster, id).latest() !== undefined), 'a snapshot on every node', 30_000);
    for (const id of cluster.brokerIds) {
      const latest = snapshotsOf(cluster, id).latest();
      // Only committed state is snapshotted: the end offset is at most what the node has committed.
      expect(latest?.endOffset).toBeGreaterThan(0);
      expect(latest?.endOffset).toBeLessThanOrEqual((cluster.node(id).broker.getSnapshot().context.image?.metadataOffset ?? -1) + 1);
      // Older snapshots are deleted once a newer one is written.
      expect(snapshotsOf(cluster, id).list()).toHaveLength(1);
    }
  });

  it('a restarted node loads its latest snapshot before it fetches anything: its image holds the snapshot at once', async () => {
    const cluster = await kraftCluster(12, 3, { 'metadata.log.max.record.bytes.between.snapshots': '1500' });
    const names = Array.from({ length: 6 }, (_, i) => `s${i}`);
    for (const name of names) expect(await createTopic(cluster, name)).toBe(0);
    const follower = cluster.brokerIds.find((id) => id !== cluster.quorumLeader()) as number;
    await cluster.until(() => snapshotsOf(cluster, follower).latest() !== undefined && topicsSeenBy(cluster, follower).length === names.length, 'a snapshot on the follower', 30_000);
    const snapshot = snapshotsOf(cluster, follower).latest()!;
    await cluster.kill(follower);
    await cluster.start(follower);
    // No simulated time has passed: nothing was fetched, so this image can only come from the snapshot.
    const image = cluster.node(follower).broker.getSnapshot().context.image;
    expect(image?.metadataOffset).toBe(snapshot.endOffset - 1);
    expect(image?.topics.length).toBeGreaterThan(0);
    await cluster.until(() => topicsSeenBy(cluster, follower).length === names.length, 'the restarted node sees every topic', 30_000);
    expect(topicsSeenBy(cluster, follower)).toEqual(names);
  });

  it('a voter and a broker killed during many topic creations return, read the leader\'s snapshot (FetchSnapshot) and see every topic', async () => {
    const cluster = await kraftCluster(13, 5, { 'metadata.log.max.record.bytes.between.snapshots': '1500' });
    expect(await createTopic(cluster, 'first')).toBe(0);
    const leader = cluster.quorumLeader() as number;
    const voter = [0, 1, 2].find((id) => id !== leader) as number;
    const observer = 3;
    await cluster.until(() => [voter, observer].every((id) => topicsSeenBy(cluster, id).includes('first')), 'both know the first topic', 30_000);
    const endsBefore = [voter, observer].map((id) => cluster.logStore(id).get('__cluster_metadata', 0)?.logEndOffset ?? 0);
    await cluster.kill(voter);
    await cluster.kill(observer);
    const names = ['first', ...Array.from({ length: 12 }, (_, i) => `while-down-${i}`)];
    for (const name of names.slice(1)) expect(await createTopic(cluster, name)).toBe(0);
    // The leader snapshotted and moved its log start past where the killed nodes stopped: the log they need is gone.
    const leaderLog = cluster.logStore(leader).get('__cluster_metadata', 0)!;
    await cluster.until(() => leaderLog.logStartOffset > Math.max(...endsBefore), 'the leader cleaned its log', 30_000);
    await cluster.start(voter);
    await cluster.start(observer);
    for (const id of [voter, observer]) {
      await cluster.until(() => topicsSeenBy(cluster, id).length === names.length, `node ${id} sees every topic`, 30_000);
      expect(topicsSeenBy(cluster, id)).toEqual([...names].sort());
      // Its log now starts where a snapshot of the leader's ended: it was installed, not replayed.
      const log = cluster.logStore(id).get('__cluster_metadata', 0)!;
      expect(log.logStartOffset).toBeGreaterThan(Math.max(...endsBefore));
    }
    // Identical committed metadata everywhere.
    const images = cluster.brokerIds.map((id) => cluster.node(id).broker.getSnapshot().context.image);
    await cluster.until(() => {
      const offsets = cluster.brokerIds.map((id) => cluster.node(id).broker.getSnapshot().context.image?.metadataOffset);
      return offsets.every((offset) => offset === offsets[0]);
    }, 'every node at the same metadata offset', 30_000);
    const topicsOf = (id: number) => JSON.stringify(cluster.node(id).broker.getSnapshot().context.image?.topics);
    for (const id of cluster.brokerIds) expect(topicsOf(id)).toBe(topicsOf(leader));
    expect(images.length).toBe(5);
  });
});
