/**
 * A deposed leader's divergent tail, end to end in one process (issue 11; KIP-101 and KIP-279): a leader appends
 * records to itself only (its followers paused, acks=1), dies, a follower leads in a higher leader epoch and takes
 * new writes, and the old leader comes back as a follower. It must truncate by leader epoch, exactly where its log
 * and the new leader's part (never to its own high watermark), then copy the new leader's records, so every replica
 * holds the same log and every acks=all record is in it. The KIP-279 variant has two quick leader changes, so the
 * returning replica's last epoch is one the leader never had: it truncates to its own end of the last epoch they share.
 *
 * Each test runs one fixed schedule on the simulated clock and network: deterministic, no seed to vary.
 */
import { decodeRecordBatches, type RequestBody } from '@kactor/protocol';
import { batchOf, brokerHost, controllerRecord, findReplicaDivergence, replicasConverged, SimulatedCluster } from '@kactor/simulation';
import { MemoryLog } from '@kactor/storage';
import { afterEach, describe, expect, it, vi } from 'vitest';

const TOPIC = 'orders';
const decoder = new TextDecoder();
const clusters: SimulatedCluster[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const cluster of clusters.splice(0)) for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
});

async function replicatedCluster(brokers = 3, partitions = 3): Promise<SimulatedCluster> {
  const cluster = new SimulatedCluster({ brokers, seed: 101, latencyMs: 1 });
  clusters.push(cluster);
  await cluster.startAll();
  const created = await cluster.client().call('createTopics', {
    topics: [{ name: TOPIC, numPartitions: partitions, replicationFactor: 3, assignments: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(0);
  await cluster.until(() => Array.from({ length: partitions }, (_, partition) => partition).every((partition) => replicasConverged(cluster, TOPIC, partition)), 'the topic is replicated');
  return cluster;
}

/**
 * A partition whose replica order puts the controller's broker last: its leader and next-in-line can be killed (the
 * controller cannot: it has no standby until issue 12), and elections follow the replica order [leader, next, controller].
 */
function partitionLedAwayFromController(cluster: SimulatedCluster): { partition: number; leader: number; next: number; controller: number } {
  for (const partition of [0, 1, 2]) {
    const replicas = controllerRecord(cluster, TOPIC, partition)?.replicas ?? [];
    const [leader, next, last] = replicas;
    if (last === cluster.controllerId && leader !== undefined && next !== undefined) return { partition, leader, next, controller: last };
  }
  throw new Error('placement put the controller last in no partition');
}

function record(cluster: SimulatedCluster, partition: number) {
  const found = controllerRecord(cluster, TOPIC, partition);
  if (found === undefined) throw new Error(`${TOPIC}-${partition} is not in the controller's image`);
  return found;
}

async function produce(cluster: SimulatedCluster, brokerId: number, partition: number, values: string[], acks: -1 | 1) {
  const body: RequestBody<'produce'> = { transactionalId: null, acks, timeoutMs: 30_000, topicData: [{ name: TOPIC, partitionData: [{ index: partition, records: batchOf(values) }] }] };
  const answer = await cluster.client(cluster.node(brokerId).url).call('produce', body);
  const result = answer.responses[0]?.partitionResponses[0];
  expect(result?.errorCode, `produce ${values.join(',')} to broker ${brokerId}`).toBe(0);
  return result?.baseOffset;
}

/** Waits until `brokerId` leads the partition under a leader epoch above `aboveEpoch`, and returns that epoch. */
async function leaderElected(cluster: SimulatedCluster, partition: number, brokerId: number, aboveEpoch: number): Promise<number> {
  await cluster.until(() => {
    const now = record(cluster, partition);
    return now.leader === brokerId && now.leaderEpoch > aboveEpoch && cluster.node(brokerId).partitions.view(TOPIC, partition)?.state === 'Leader';
  }, `broker ${brokerId} leads ${TOPIC}-${partition}`, 60_000);
  return record(cluster, partition).leaderEpoch;
}

/** (value, leader epoch) of each record of a broker's copy, in offset order. */
function logOf(cluster: SimulatedCluster, brokerId: number, partition: number): Array<[string, number]> {
  const log = cluster.logStore(brokerId).get(TOPIC, partition);
  if (log === undefined) return [];
  const { batches } = decodeRecordBatches(log.read(log.logStartOffset, 1 << 20, log.logEndOffset).records);
  return batches.flatMap((batch) => batch.records.map((entry): [string, number] => [decoder.decode(entry.value ?? new Uint8Array()), batch.partitionLeaderEpoch]));
}

/** The offsets `brokerId`'s copy of the partition was truncated to from now on (spying on every in-memory log). */
function watchTruncations(cluster: SimulatedCluster, brokerId: number, partition: number): () => number[] {
  const spy = vi.spyOn(MemoryLog.prototype, 'truncateTo');
  return () => spy.mock.calls.flatMap(([offset], index) => (spy.mock.contexts[index] === cluster.logStore(brokerId).get(TOPIC, partition) ? [offset] : []));
}

/** A partition of the 4-partition topic none of whose replicas is on the controller's broker, so all may die. */
function partitionAwayFromController(cluster: SimulatedCluster): number {
  const partition = [0, 1, 2, 3].find((candidate) => !record(cluster, candidate).replicas.includes(cluster.controllerId));
  if (partition === undefined) throw new Error('placement put the controller in every partition');
  return partition;
}

describe('a deposed leader truncates its divergent tail by leader epoch', () => {
  it('KIP-101: the old leader, back as a follower, truncates exactly to where the new leader\'s epoch starts and converges', async () => {
    const cluster = await replicatedCluster();
    const { partition, leader, next, controller } = partitionLedAwayFromController(cluster);
    const firstEpoch = record(cluster, partition).leaderEpoch;
    expect(await produce(cluster, leader, partition, ['a', 'b'], -1)).toBe(0);

    // The leader appends to itself only: its followers are paused (SIGSTOP), and acks=1 answers after its own append.
    cluster.pause(next);
    cluster.pause(controller);
    expect(await produce(cluster, leader, partition, ['c', 'd', 'e'], 1)).toBe(2);
    await cluster.kill(leader);
    cluster.resume(next);
    cluster.resume(controller);

    // Fenced after broker.session.timeout.ms, the old leader's place goes to the next in-sync replica in a higher epoch.
    const secondEpoch = await leaderElected(cluster, partition, next, firstEpoch);
    expect(await produce(cluster, next, partition, ['x', 'y'], -1)).toBe(2);

    const truncations = watchTruncations(cluster, leader, partition);
    await cluster.start(leader);
    await cluster.until(() => replicasConverged(cluster, TOPIC, partition), 'the old leader rejoins with the new leader\'s log', 60_000);

    // By epoch: its epoch ends at offset 2 on the new leader, so it keeps a and b and drops c, d, e (never cut to its HW).
    expect(truncations()).toEqual([2]);
    const expected: Array<[string, number]> = [['a', firstEpoch], ['b', firstEpoch], ['x', secondEpoch], ['y', secondEpoch]];
    for (const brokerId of cluster.brokerIds) expect(logOf(cluster, brokerId, partition), `broker ${brokerId}'s log`).toEqual(expected);
    expect(findReplicaDivergence(cluster.replicaLogs(TOPIC, partition), 4)).toEqual([]);
  });

  it('KIP-279: after two quick leader changes the returning replica\'s last epoch is unknown to the leader, and it truncates to its own end of the last epoch they share', async () => {
    // Four brokers, so a partition can have its three replicas away from the controller's broker and all of them can die.
    const cluster = await replicatedCluster(4, 4);
    const partition = partitionAwayFromController(cluster);
    const [first, second, third] = record(cluster, partition).replicas as [number, number, number];
    const epoch0 = record(cluster, partition).leaderEpoch;
    expect(await produce(cluster, first, partition, ['a'], -1)).toBe(0);

    // b reaches the first leader and the third replica only.
    cluster.pause(second);
    expect(await produce(cluster, first, partition, ['b'], 1)).toBe(1);
    await cluster.until(() => cluster.logStore(third).get(TOPIC, partition)?.logEndOffset === 2, 'the third replica copies b');
    // The third replica keeps talking to the controller (so it stays unfenced and in the ISR) but never hears from the second.
    cluster.faults.cutLink(brokerHost(second), brokerHost(third));
    await cluster.kill(first);
    cluster.resume(second);

    // Leader change 1: the second replica leads (epoch 1 of this story) and appends x alone.
    const epoch1 = await leaderElected(cluster, partition, second, epoch0);
    expect(await produce(cluster, second, partition, ['x'], 1)).toBe(1);
    await cluster.kill(second);

    // Leader change 2: the third replica, still in the ISR, leads without ever having had epoch 1, and appends y.
    const epoch2 = await leaderElected(cluster, partition, third, epoch1);
    expect(await produce(cluster, third, partition, ['y'], 1)).toBe(2);
    cluster.faults.healLink(brokerHost(second), brokerHost(third));

    const truncations = watchTruncations(cluster, second, partition);
    await cluster.start(first);
    await cluster.start(second);
    await cluster.until(() => replicasConverged(cluster, TOPIC, partition), 'both deposed leaders rejoin', 60_000);

    // The leader answers epoch 1 with its largest epoch below it (epoch 0) ending at 2; the second replica's own epoch 0
    // ends at 1, so it truncates to 1 (KIP-279), not to 2 (which would keep x where the leader has b).
    expect(truncations()).toEqual([1]);
    const expected: Array<[string, number]> = [['a', epoch0], ['b', epoch0], ['y', epoch2]];
    for (const brokerId of [first, second, third]) expect(logOf(cluster, brokerId, partition), `broker ${brokerId}'s log`).toEqual(expected);
    expect(findReplicaDivergence(cluster.replicaLogs(TOPIC, partition), 3)).toEqual([]);
  });

  it('a leader deposed before it appended anything drops its empty epoch and follows (found by replication-faults seed 75)', async () => {
    // Kafka's UnifiedLog.truncateTo always truncates the epoch cache, even when the log itself has nothing to cut: a
    // broker that became leader recorded its epoch at its log end, and a leader after it answers that epoch with the
    // same end offset. Without dropping the entry the follower asks with it forever and never copies a record.
    const cluster = await replicatedCluster(4, 4);
    const partition = partitionAwayFromController(cluster);
    const [first, second, third] = record(cluster, partition).replicas as [number, number, number];
    const epoch0 = record(cluster, partition).leaderEpoch;
    expect(await produce(cluster, first, partition, ['a'], -1)).toBe(0);

    await cluster.kill(first);
    const epoch1 = await leaderElected(cluster, partition, second, epoch0);
    expect(cluster.logStore(second).get(TOPIC, partition)?.leaderEpochCache.epochEntries.at(-1)).toEqual({ epoch: epoch1, startOffset: 1 });
    // Leader with nothing appended, it stops (SIGSTOP) and is fenced; the third replica leads and takes a write.
    cluster.pause(second);
    const epoch2 = await leaderElected(cluster, partition, third, epoch1);
    expect(await produce(cluster, third, partition, ['x'], 1)).toBe(1);

    const truncations = watchTruncations(cluster, second, partition);
    cluster.resume(second);
    await cluster.start(first);
    await cluster.until(() => replicasConverged(cluster, TOPIC, partition), 'the deposed leader copies the new leader\'s records', 60_000);
    expect(truncations()).toEqual([1]);
    expect(cluster.logStore(second).get(TOPIC, partition)?.leaderEpochCache.epochEntries.map((entry) => entry.epoch)).toEqual([epoch0, epoch2]);
    for (const brokerId of [first, second, third]) expect(logOf(cluster, brokerId, partition), `broker ${brokerId}'s log`).toEqual([['a', epoch0], ['x', epoch2]]);
  });
});
