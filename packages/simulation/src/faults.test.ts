import { createSeededRandom } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { findDuplicatedRecords, findLostRecords, recordIdOf, type RecordId } from './checkers/records.js';
import { findReplicaDivergence } from './checkers/replica-divergence.js';
import { assertNoViolations } from './checkers/violation.js';
import { EpochWatch } from './checkers/epochs.js';
import { applyFault, describeFaults, planFaults, runFaults, type TimedFault } from './faults.js';
import { GroupClients } from './group-clients.js';
import { brokerHost, SimulatedCluster } from './simulated-cluster.js';

const plan = (seed: number, spare: number[] = [0]) => planFaults({ random: createSeededRandom(seed), brokerIds: [0, 1, 2, 3], durationMs: 60_000, faults: 40, spare });

/** Replays a plan's effect on which brokers run and which are cut off. */
function replay(timed: readonly TimedFault[]) {
  const killed = new Set<number>();
  const isolated = new Set<number>();
  const links = new Set<string>();
  for (const { fault } of timed) {
    if (fault.kind === 'kill' || fault.kind === 'shutdown') {
      expect(killed.has(fault.brokerId)).toBe(false);
      killed.add(fault.brokerId);
    } else if (fault.kind === 'restart') {
      expect(killed.delete(fault.brokerId)).toBe(true);
    } else if (fault.kind === 'isolate' || fault.kind === 'pause') {
      expect(isolated.has(fault.brokerId)).toBe(false);
      isolated.add(fault.brokerId);
    } else if (fault.kind === 'heal' || fault.kind === 'resume') isolated.delete(fault.brokerId);
    else if (fault.kind === 'heal-link') links.delete(fault.between.join('-'));
    else links.add(fault.between.join('-'));
    expect(killed.size + isolated.size).toBeLessThan(4);
  }
  return { killed, isolated, links };
}

/**
 * Seeds 31-33 by default; `SIMULATION_SEED=n` replays one seed (a failure prints its seed and faults) and
 * `SIMULATION_SEEDS=n` runs n seeds from 31: `SIMULATION_SEEDS=50 npx vitest run packages/simulation/src/faults.test.ts`.
 */
function trafficSeeds(): number[] {
  const one = process.env.SIMULATION_SEED;
  if (one !== undefined) return [Number(one)];
  const count = Number(process.env.SIMULATION_SEEDS ?? 3);
  return Array.from({ length: count }, (_, index) => 31 + index);
}

/**
 * acks=all traffic (one record every 500 ms of virtual time, so it runs through the faults) under a seeded
 * fault plan, then every checker; returns what happened, to compare runs of one seed.
 */
async function trafficThroughFaults(seed: number): Promise<{ acknowledged: string[]; read: string[]; endMs: number }> {
  const run = new GroupClients(seed);
  try {
    const sim = run.cluster;
    await sim.startAll();
    await run.createTopic('orders', 3);
    const producer = run.producer();
    const acknowledged: RecordId[] = [];
    const sends: Array<Promise<unknown>> = [];
    for (let n = 0; n < 60; n += 1) {
      const record = { topic: 'orders', partition: n % 3, value: `v${n}` };
      sim.clock.setTimeout(() => sends.push(producer.send(record).then(() => acknowledged.push(record))), n * 500);
    }
    const timed = planFaults({ random: createSeededRandom(seed), brokerIds: sim.brokerIds, durationMs: 30_000, faults: 10, spare: [sim.controllerId] });
    await runFaults(sim, timed);
    await run.settle(Promise.allSettled(sends), 300_000);
    // The seed and its faults, printed by any failing expectation below: the same seed replays the run.
    const context = `seed ${seed}, faults:\n${describeFaults(timed)}`;
    expect(acknowledged.length, context).toBe(60);

    const reader = run.consumer('check', 'reader');
    reader.subscribe(['orders']);
    const consumed = () => run.records(reader).map(recordIdOf);
    await run.pollUntil([reader], () => findLostRecords(acknowledged, consumed()).length === 0, 'every acknowledged record read', 120_000);
    expect(findLostRecords(acknowledged, consumed()), context).toEqual([]);
    expect(findDuplicatedRecords(consumed()).length, context).toBeLessThanOrEqual(60);
    const epochs = new EpochWatch();
    for (const record of run.records(reader)) epochs.observe(`${record.topic}-${record.partition}`, record.leaderEpoch, 'reader');
    expect(epochs.regressions, context).toEqual([]);
    for (const partition of [0, 1, 2]) {
      const replicas = sim.replicaLogs('orders', partition);
      assertNoViolations('replicas diverging', findReplicaDivergence(replicas, Math.min(...replicas.map((replica) => replica.log.logEndOffset))));
    }
    return {
      acknowledged: acknowledged.map((record) => `${record.partition}/${record.value}`),
      read: run.records(reader).map((record) => `${record.partition}@${record.offset}=${recordIdOf(record).value}`),
      endMs: sim.clock.now(),
    };
  } finally {
    await run.close();
  }
}

let clients: GroupClients | undefined;
let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  await clients?.close();
  if (cluster !== undefined) for (const node of cluster.nodes) await node.halt();
  clients = undefined;
  cluster = undefined;
});

describe('faults at seeded times', () => {
  it('plans the same faults at the same times for the same seed, sorted, and ends with everything healed and running', () => {
    expect(describeFaults(plan(11))).toBe(describeFaults(plan(11)));
    expect(describeFaults(plan(12))).not.toBe(describeFaults(plan(11)));
    for (const seed of [11, 12, 13, 14, 15]) {
      const timed = plan(seed);
      expect(timed.map((fault) => fault.atMs)).toEqual([...timed.map((fault) => fault.atMs)].sort((a, b) => a - b));
      expect(new Set(timed.map(({ fault }) => fault.kind)).size).toBeGreaterThan(3);
      expect(timed.some(({ fault }) => (fault.kind === 'kill' || fault.kind === 'isolate' || fault.kind === 'pause') && fault.brokerId === 0)).toBe(false);
      const end = replay(timed);
      expect([...end.killed, ...end.isolated, ...end.links]).toEqual([]);
    }
  });

  it('cut-link, drawn only when asked for, cuts two brokers apart while both still reach everyone else, and the plan heals it', async () => {
    expect(plan(11).some(({ fault }) => fault.kind === 'cut-link')).toBe(false);
    const timed = planFaults({ random: createSeededRandom(5), brokerIds: [0, 1, 2], durationMs: 10_000, faults: 4, kinds: ['cut-link'] });
    const cuts = timed.filter(({ fault }) => fault.kind === 'cut-link');
    expect(cuts.length).toBeGreaterThan(0);
    const cut = new Set<string>();
    for (const { fault } of timed) {
      if (fault.kind === 'cut-link') cut.add(fault.between.join('-'));
      if (fault.kind === 'heal-link') cut.delete(fault.between.join('-'));
    }
    expect([...cut]).toEqual([]);
    cluster = new SimulatedCluster({ seed: 5 });
    await applyFault(cluster, { kind: 'cut-link', between: [1, 2] });
    expect(cluster.faults.filter(brokerHost(1), brokerHost(2), undefined)).toBe('drop');
    expect(cluster.faults.filter(brokerHost(1), brokerHost(0), undefined)).toBe('deliver');
    expect(cluster.faults.filter('a-client', brokerHost(2), undefined)).toBe('deliver');
    await applyFault(cluster, { kind: 'heal-link', between: [1, 2] });
    expect(cluster.faults.filter(brokerHost(2), brokerHost(1), undefined)).toBe('deliver');
  });

  it('applies each fault at its virtual time to the cluster, which ends with every broker running', async () => {
    cluster = new SimulatedCluster({ seed: 2 });
    await cluster.startAll();
    const timed = planFaults({ random: createSeededRandom(2), brokerIds: cluster.brokerIds, durationMs: 20_000, faults: 8, spare: [cluster.controllerId], kinds: ['kill', 'restart', 'isolate', 'heal', 'pause', 'resume'] });
    const startMs = cluster.clock.now();
    const appliedAt: number[] = [];
    await runFaults(cluster, timed, () => appliedAt.push((cluster?.clock.now() ?? 0) - startMs));
    expect(appliedAt).toEqual(timed.map((fault) => fault.atMs));
    const running = cluster;
    await running.until(() => running.brokerIds.every((id) => running.isRunning(id) && running.node(id).brokerState() === 'RUNNING'), 'every broker runs again');
  });

  it('acks=all traffic through seeded faults (kills, restarts, pauses, isolation, slow and lossy links): no acknowledged record lost, replicas agree, epochs never go back', async () => {
    for (const seed of trafficSeeds()) await trafficThroughFaults(seed);
  });

  it('the same seed replays the same run: the same acknowledgements, the same records at the same offsets, at the same virtual time', async () => {
    const first = await trafficThroughFaults(32);
    expect(await trafficThroughFaults(32)).toEqual(first);
  });

  it('the lost-records checker catches a real loss: acks=all at RF 1, the leader killed losing what it had not flushed', async () => {
    clients = new GroupClients(41);
    const { cluster: sim } = clients;
    await sim.startAll();
    await clients.createTopic('orders', 3);
    const metadata = await sim.client().call('metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    const victim = metadata.topics[0]?.partitions.find((partition) => partition.leaderId !== sim.controllerId);
    if (victim === undefined) throw new Error('every partition is led by the controller');
    const before = ['b0', 'b1', 'b2'].map((value) => ({ topic: 'orders', partition: victim.partitionIndex, value }));
    const producer = clients.producer();
    await clients.settle(Promise.all(before.map((record) => producer.send(record))));

    await sim.kill(victim.leaderId, { loseUnflushedData: true });
    await sim.start(victim.leaderId);
    await sim.until(() => sim.node(victim.leaderId).brokerState() === 'RUNNING', 'the leader runs again');
    const after = { topic: 'orders', partition: victim.partitionIndex, value: 'after' };
    await clients.settle(producer.send(after));

    const reader = clients.consumer('check', 'reader');
    reader.subscribe(['orders']);
    const consumed = () => clients?.records(reader).map(recordIdOf) ?? [];
    await clients.pollUntil([reader], () => findLostRecords([after], consumed()).length === 0, 'the record sent after the restart is read');
    expect(findLostRecords([...before, after], consumed())).toEqual(before);
  });
});
