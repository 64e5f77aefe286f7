/**
 * The harness's own limits lifted: the controller on any broker, bootstrap servers from the brokers, any
 * number of network faults at once, and a process clock per broker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GroupClients } from './group-clients.js';
import { SimulatedCluster } from './simulated-cluster.js';

let cluster: SimulatedCluster | undefined;
let clients: GroupClients | undefined;

afterEach(async () => {
  if (cluster !== undefined) for (const node of cluster.nodes) await node.halt();
  await clients?.close();
  cluster = undefined;
  clients = undefined;
});

const brokerIdsIn = async (of: SimulatedCluster): Promise<number[]> =>
  (await of.client().call('metadata', { topics: null, allowAutoTopicCreation: false })).brokers.map((broker) => broker.nodeId).sort();

describe('SimulatedCluster', () => {
  it('runs the controller on the broker it is told, and every broker registers with it there', async () => {
    cluster = new SimulatedCluster({ brokers: 4, controllerId: 2, seed: 5 });
    expect(cluster.controllerUrl).toBe('memory://broker-2:9100');
    await cluster.startAll();
    const metadata = await cluster.client().call('metadata', { topics: null, allowAutoTopicCreation: false });
    expect(metadata.controllerId).toBe(2);
    expect(metadata.brokers.map((broker) => broker.nodeId).sort()).toEqual([0, 1, 2, 3]);
    expect(() => new SimulatedCluster({ brokers: 2, controllerId: 2 })).toThrow(RangeError);
  });

  it('derives the bootstrap servers from its brokers', () => {
    expect(new SimulatedCluster({ brokers: 1 }).bootstrapServers).toBe('broker-0:9100');
    expect(new SimulatedCluster({ brokers: 5 }).bootstrapServers.split(',')).toHaveLength(5);
  });

  it('an isolated broker is fenced by the controller and comes back once healed, while another link is slow', async () => {
    cluster = new SimulatedCluster({ seed: 9 });
    await cluster.startAll();
    cluster.faults.slowLink('broker-0', 'broker-2', 200);
    cluster.faults.isolate('broker-1');
    // broker.session.timeout.ms (9000) passes without a heartbeat from broker 1.
    await cluster.advance(12_000);
    expect(await brokerIdsIn(cluster)).toEqual([0, 2]);
    cluster.faults.heal('broker-1');
    // Its heartbeats get through again and the controller unfences it (within a bound of virtual time).
    let back = false;
    for (let waitedMs = 0; waitedMs < 120_000 && !back; waitedMs += 5_000) {
      await cluster.advance(5_000);
      back = (await brokerIdsIn(cluster)).includes(1);
    }
    expect(await brokerIdsIn(cluster)).toEqual([0, 1, 2]);
  });

  it('a killed broker sends nothing more, and restarts on a fresh process clock with its logs', async () => {
    cluster = new SimulatedCluster({ seed: 3 });
    await cluster.startAll();
    await cluster.kill(1);
    expect(cluster.isRunning(1)).toBe(false);
    let fromDead = 0;
    cluster.network.setLinkFilter((from, to, frame) => {
      if (from === 'broker-1') fromDead += 1;
      return cluster?.faults.filter(from, to, frame) ?? 'deliver';
    });
    await cluster.advance(15_000);
    expect(fromDead).toBe(0);
    expect(await brokerIdsIn(cluster)).toEqual([0, 2]);
    await cluster.start(1);
    await cluster.until(() => cluster?.node(1).brokerState() === 'RUNNING', 'broker 1 runs again');
    expect(fromDead).toBeGreaterThan(0);
    expect(await brokerIdsIn(cluster)).toEqual([0, 1, 2]);
  });
});

describe('SimulatedCluster pause', () => {
  it('a paused broker is fenced while stopped and carries on once resumed', async () => {
    cluster = new SimulatedCluster({ seed: 6 });
    await cluster.startAll();
    cluster.pause(2);
    await cluster.advance(12_000);
    expect(await brokerIdsIn(cluster)).toEqual([0, 1]);
    expect(cluster.faults.isIsolated('broker-2')).toBe(true);
    cluster.resume(2);
    expect(cluster.faults.isIsolated('broker-2')).toBe(false);
    let back = false;
    for (let waitedMs = 0; waitedMs < 120_000 && !back; waitedMs += 5_000) {
      await cluster.advance(5_000);
      back = (await brokerIdsIn(cluster)).includes(2);
    }
    expect(await brokerIdsIn(cluster)).toEqual([0, 1, 2]);
    expect(cluster.node(2).brokerState()).toBe('RUNNING');
  });
});

describe('GroupClients', () => {
  it('a broker stopped cleanly while cut off from the controller comes back: its connections end with its process (found by replication-faults)', async () => {
    // The controlled shutdown cannot reach the controller and times out; the process exits while the link is cut, so
    // the controller never hears its connections close. The OS resets them as it does at any exit (a peer's next packet
    // would get a reset); without that, the controller pushed metadata to the restarted broker over the dead
    // connection forever, and the broker stayed fenced.
    cluster = new SimulatedCluster({ seed: 23, latencyMs: 1 });
    await cluster.startAll();
    cluster.faults.cutLink('broker-0', 'broker-1');
    await cluster.shutdown(1);
    cluster.faults.healLink('broker-0', 'broker-1');
    await cluster.start(1);
    const running = cluster;
    await running.until(() => running.node(1).brokerState() === 'RUNNING', 'the restarted broker is unfenced and runs', 60_000);
    expect(running.node(0).controller?.getSnapshot().context.state.brokers[1]?.fenced).toBe(false);
  });

  it('runs clients against a one-broker cluster whose controller is that broker', async () => {
    clients = new GroupClients({ seed: 4, brokers: 1 });
    expect(clients.bootstrapServers).toBe('broker-0:9100');
    await clients.cluster.startAll();
    await clients.createTopic('orders', 2);
    await clients.fill('orders', 2, 3);
    const consumer = clients.consumer('readers', 'reader');
    consumer.subscribe(['orders']);
    await clients.pollUntil([consumer], () => clients?.records(consumer).length === 6, 'all six records read');
    expect(clients.records(consumer).map((record) => new TextDecoder().decode(record.value ?? new Uint8Array())).sort()).toEqual(['0/0', '0/1', '0/2', '1/0', '1/1', '1/2']);
  });
});
