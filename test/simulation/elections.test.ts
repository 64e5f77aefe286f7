/**
 * The controller's elections through real brokers on a simulated clock and network (issue 11): preferred leaders
 * return once a failed broker is back in sync (auto.leader.rebalance.enable, checked every
 * leader.imbalance.check.interval.seconds), and unclean.leader.election.enable decides between an offline partition
 * and a leader that lost acknowledged records (Kafka's UncleanLeaderElectionTest).
 */
import type { RequestBody } from '@kactor/protocol';
import { batchOf, SimulatedCluster } from '@kactor/simulation';
import { afterEach, describe, expect, it } from 'vitest';

const clusters: SimulatedCluster[] = [];

afterEach(async () => {
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

async function clusterWith(topics: RequestBody<'createTopics'>['topics'], brokerConfig: Record<string, string> = {}) {
  const cluster = new SimulatedCluster({ brokers: 3, seed: 17, latencyMs: 1, brokerConfig });
  clusters.push(cluster);
  await cluster.startAll();
  const created = await cluster.client().call('createTopics', { topics, timeoutMs: 10_000, validateOnly: false });
  expect(created.topics.map((topic) => topic.errorCode)).toEqual(topics.map(() => 0));
  return cluster;
}

function controllerContext(cluster: SimulatedCluster) {
  const controller = cluster.node(cluster.controllerId).controller;
  if (controller === undefined) throw new Error('no controller');
  return controller.getSnapshot().context;
}

function partitionOf(cluster: SimulatedCluster, topic: string, index: number) {
  const partition = controllerContext(cluster).state.topics[topic]?.partitions[index];
  if (partition === undefined) throw new Error(`${topic}-${index} is not in the controller's state`);
  return partition;
}

/** The partition of `topic` whose replicas leave out the controller's broker (which these tests do not kill or pause). */
function partitionAwayFromController(cluster: SimulatedCluster, topic: string): number {
  const partitions = controllerContext(cluster).state.topics[topic]?.partitions ?? [];
  const found = partitions.find((partition) => !partition.replicas.includes(cluster.controllerId));
  if (found === undefined) throw new Error(`every partition of ${topic} has a replica on the controller's broker`);
  return found.partitionIndex;
}

const topic = (name: string, replicationFactor: number, configs: Record<string, string> = {}) => ({
  name,
  numPartitions: 3,
  replicationFactor,
  assignments: [],
  configs: Object.entries(configs).map(([configName, value]) => ({ name: configName, value })),
});

async function produce(cluster: SimulatedCluster, topicName: string, index: number, values: string[], acks: number) {
  const leader = partitionOf(cluster, topicName, index).leader;
  const answer = await cluster.client(cluster.node(leader).url).call('produce', {
    transactionalId: null,
    acks,
    timeoutMs: 30_000,
    topicData: [{ name: topicName, partitionData: [{ index, records: batchOf(values) }] }],
  });
  return answer.responses[0]?.partitionResponses[0]?.errorCode;
}

describe('elections through the brokers', () => {
  it('a killed preferred leader that comes back and rejoins the ISR leads again at the next leader imbalance check', async () => {
    const cluster = await clusterWith([topic('orders', 3)], { 'leader.imbalance.check.interval.seconds': '60' });
    const index = (controllerContext(cluster).state.topics.orders?.partitions ?? []).find((partition) => partition.replicas[0] !== cluster.controllerId)?.partitionIndex ?? -1;
    const preferred = partitionOf(cluster, 'orders', index).replicas[0] as number;
    expect(partitionOf(cluster, 'orders', index).leader).toBe(preferred);
    await cluster.kill(preferred);
    await cluster.until(() => ![-1, preferred].includes(partitionOf(cluster, 'orders', index).leader), 'leadership moves off the killed broker');
    const failedOver = partitionOf(cluster, 'orders', index);
    await cluster.start(preferred);
    await cluster.until(() => partitionOf(cluster, 'orders', index).isr.includes(preferred), 'the restarted broker rejoins the ISR', 120_000);
    // The move comes at the next check (the bound allows Kafka's default 300 s interval too).
    await cluster.until(() => partitionOf(cluster, 'orders', index).leader === preferred, 'the preferred replica leads again', 310_000);
    expect(partitionOf(cluster, 'orders', index).leaderEpoch).toBeGreaterThan(failedOver.leaderEpoch);
    await cluster.until(() => cluster.node(preferred).partitions.view('orders', index)?.state === 'Leader', 'the preferred broker acts as leader');
    expect(await produce(cluster, 'orders', index, ['after'], -1)).toBe(0);
  });

  it('losing the last in-sync replica: unclean.leader.election.enable=true elects the out-of-sync one (records lost, counted), false leaves the partition offline', async () => {
    const cluster = await clusterWith([topic('lossy', 2, { 'unclean.leader.election.enable': 'true' }), topic('safe', 2)]);
    const lossy = partitionAwayFromController(cluster, 'lossy');
    const safe = partitionAwayFromController(cluster, 'safe');
    const [first, second] = partitionOf(cluster, 'lossy', lossy).replicas as [number, number];
    expect(await produce(cluster, 'lossy', lossy, ['first'], -1)).toBe(0);
    // `second` stops (SIGSTOP): fenced after broker.session.timeout.ms, it leaves both ISRs and `first` leads both.
    cluster.pause(second);
    await cluster.until(
      () => [partitionOf(cluster, 'lossy', lossy), partitionOf(cluster, 'safe', safe)].every((partition) => partition.leader === first && partition.isr.join() === String(first)),
      'the paused broker leaves the ISRs',
    );
    expect(await produce(cluster, 'lossy', lossy, ['second'], 1)).toBe(0);
    await cluster.kill(first);
    await cluster.until(() => partitionOf(cluster, 'safe', safe).leader === -1, 'the last in-sync replica is fenced');
    cluster.resume(second);
    await cluster.until(() => partitionOf(cluster, 'lossy', lossy).leader === second, 'the out-of-sync replica is elected uncleanly');
    expect(partitionOf(cluster, 'lossy', lossy).isr).toEqual([second]);
    expect(controllerContext(cluster).uncleanLeaderElections).toBe(1);
    await cluster.until(() => cluster.node(second).partitions.view('lossy', lossy)?.state === 'Leader', 'the unclean leader acts as leader');
    // The acknowledged 'second' only ever reached the killed broker: the new leader's log ends after 'first'.
    expect(cluster.node(second).partitions.view('lossy', lossy)?.context.ports.log.logEndOffset).toBe(1);
    // Without unclean election the partition waits, offline, for its last in-sync replica.
    expect(partitionOf(cluster, 'safe', safe)).toMatchObject({ leader: -1, isr: [first] });
  });
});
