/**
 * A broker on a full disk starts (issue 10 B7). A node (controller and broker) crashed, and its disk is full
 * when it starts again: ENOSPC is injected through the storage port (every write of data fails, as write(2)
 * does on a full disk). Loading `__cluster_metadata` and the partitions must not need a write, so the node
 * reaches RUNNING and serves reads; writes are refused with KAFKA_STORAGE_ERROR (56) as when the disk fills
 * while it runs: produce by the partition, topic changes by the controller. Once there is space, writes are
 * taken again, and what the controller kept waiting is on disk for the next start.
 */
import * as nodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryMetaPropertiesStore, startBrokerNode, type BrokerNode } from '@kactor/broker';
import type { ApiName, RequestBody } from '@kactor/protocol';
import { parseConfig } from '@kactor/protocol';
import { createIdGenerator, createLogger, createSeededRandom, fork, MemoryTransport, RpcClient, SimulatedClock, waitForSimulated, type RpcResult } from '@kactor/runtime';
import { FileLogStore, systemFs, type StorageFs } from '@kactor/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { batchOf, valuesOf } from '@kactor/simulation';

const clusterSecret = 'full-disk-cluster-secret';
const NEVER = 2 ** 63;

const enospc = (call: string) => Object.assign(new Error(`ENOSPC: no space left on device, ${call}`), { code: 'ENOSPC' });

/**
 * `node:fs` on a disk that can be made full: every write of data then fails with ENOSPC. `noNewFilesUnder`:
 * creating a file under that folder fails too (a disk too full for a new partition's first file).
 */
function diskThatFills(): StorageFs & { full: boolean; noNewFilesUnder: string | null } {
  const fs = {
    ...systemFs,
    full: false,
    noNewFilesUnder: null as string | null,
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
      if (fs.full) throw enospc('write');
      return systemFs.writeSync(fd, buffer, offset, length, position);
    },
    openSync(filePath: string, flags: number): number {
      if (fs.noNewFilesUnder !== null && filePath.includes(fs.noNewFilesUnder) && !systemFs.existsSync(filePath)) throw enospc(`open '${filePath}'`);
      return systemFs.openSync(filePath, flags);
    },
  };
  return fs;
}

const dataDir = nodeFs.mkdtempSync(path.join(tmpdir(), 'kactor-full-disk-'));
const disk = diskThatFills();
const metaProperties = new MemoryMetaPropertiesStore();
const nodes: BrokerNode[] = [];
afterAll(async () => {
  for (const node of nodes) await node.halt();
  nodeFs.rmSync(dataDir, { recursive: true, force: true });
});

interface Harness {
  clock: SimulatedClock;
  node: BrokerNode;
  store: FileLogStore;
  call<A extends ApiName>(api: A, body: RequestBody<A>): Promise<RpcResult<A>>;
}

async function startNode(run: number, dir = dataDir, meta = metaProperties): Promise<Harness> {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const network = new MemoryTransport({ clock });
  const random = createSeededRandom(`full-disk-${run}`);
  const logger = createLogger({ clock, level: 'silent' });
  // One broker: __consumer_offsets with Kafka's default of 3 replicas could not be created (as `kactor broker` alone does).
  const config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller', 'offsets.topic.replication.factor': '1' });
  const store = new FileLogStore(dir, { clock, fs: disk, logFlushSchedulerIntervalMs: NEVER });
  const node = await startBrokerNode({
    brokerId: 0,
    host: 'broker-0',
    port: 9100,
    processRoles: ['broker', 'controller'],
    config,
    logStore: store,
    metaProperties: meta,
    logDir: dir,
    clock,
    random: fork(random, 'broker-0'),
    ids: createIdGenerator(fork(random, 'broker-0-ids')),
    transport: network.forHost('broker-0'),
    logger,
    clusterSecret,
  });
  nodes.push(node);
  let running = false;
  void node.whenRunning().then(() => (running = true));
  await waitForSimulated(clock, () => running, `start ${run}: the broker runs`);
  const client = new RpcClient({
    url: node.url,
    transport: network.forHost('client'),
    clock,
    random: fork(random, 'client'),
    logger,
    requestTimeoutMs: 30_000,
    reconnectBackoffMs: 50,
    reconnectBackoffMaxMs: 1_000,
    maxInFlightRequests: 5,
    maxQueuedRequests: 100,
    maxResponseBytes: 1 << 24,
  });
  const call = async <A extends ApiName>(api: A, body: RequestBody<A>): Promise<RpcResult<A>> => {
    let result: RpcResult<A> | undefined;
    client.request(api, body, (answer) => (result = answer));
    await waitForSimulated(clock, () => result !== undefined, `${api} answered`);
    return result as RpcResult<A>;
  };
  return { clock, node, store, call };
}

const produce = (values: string[], topic = 'orders'): RequestBody<'produce'> => ({
  transactionalId: null,
  acks: -1,
  timeoutMs: 30_000,
  topicData: [{ name: topic, partitionData: [{ index: 0, records: batchOf(values) }] }],
});

const fetchFrom = (fetchOffset: number): RequestBody<'fetch'> => ({
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1024 * 1024,
  isolationLevel: 0,
  topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes: 1024 * 1024 }] }],
});

const createTopic = (name: string): RequestBody<'createTopics'> => ({
  topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
  timeoutMs: 5_000,
  validateOnly: false,
});

async function produceResult(h: Harness, values: string[], topic = 'orders') {
  const result = await h.call('produce', produce(values, topic));
  if (!result.ok) throw new Error(`produce failed: ${JSON.stringify(result.error)}`);
  return result.body.responses[0]?.partitionResponses[0];
}

async function readValues(h: Harness): Promise<string[]> {
  const result = await h.call('fetch', fetchFrom(0));
  if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
  const partition = result.body.responses[0]?.partitions[0];
  expect(partition?.errorCode).toBe(0);
  return valuesOf(partition?.records ?? new Uint8Array()).map((record) => record.value);
}

async function createTopicErrorCode(h: Harness, name: string): Promise<number | undefined> {
  const result = await h.call('createTopics', createTopic(name));
  if (!result.ok) throw new Error(`createTopics failed: ${JSON.stringify(result.error)}`);
  return result.body.topics[0]?.errorCode;
}

describe('a broker whose disk is full when it starts', { timeout: 60_000 }, () => {
  it('reaches RUNNING, serves reads, refuses writes with KAFKA_STORAGE_ERROR, and takes them again once there is space', async () => {
    const first = await startNode(1);
    expect(await createTopicErrorCode(first, 'orders')).toBe(0);
    await waitForSimulated(first.clock, () => first.node.partitions.view('orders', 0)?.context.leader === 0, 'orders-0 led here');
    expect(await produceResult(first, ['a', 'b', 'c'])).toMatchObject({ errorCode: 0, baseOffset: 0 });
    await first.node.halt(); // a crash: no clean-shutdown marker, so every log is recovered at the next start

    disk.full = true;
    const full = await startNode(2);
    expect(full.store.wasCleanShutdown).toBe(false);
    expect(full.node.brokerState()).toBe('RUNNING');
    await waitForSimulated(full.clock, () => full.node.partitions.view('orders', 0)?.context.leader === 0, 'orders-0 led after the restart');
    expect(await readValues(full)).toEqual(['a', 'b', 'c']);
    expect(await produceResult(full, ['d'])).toMatchObject({ errorCode: 56 });
    expect(await createTopicErrorCode(full, 'payments')).toBe(56);
    await full.clock.advanceByAsync(10_000);
    expect(full.node.brokerState()).toBe('RUNNING');
    expect(await produceResult(full, ['d'])).toMatchObject({ errorCode: 56 });

    disk.full = false;
    expect(await produceResult(full, ['d'])).toMatchObject({ errorCode: 0, baseOffset: 3 });
    // The registration and unfencing the controller kept waiting are written at its next retry.
    await full.clock.advanceByAsync(5_000);
    expect(await createTopicErrorCode(full, 'payments')).toBe(0);
    expect(await readValues(full)).toEqual(['a', 'b', 'c', 'd']);
    const stopped = full.node.shutdown();
    await waitForSimulated(full.clock, () => full.node.brokerState() === 'NOT_RUNNING', 'the controlled shutdown');
    await stopped;

    const after = await startNode(3);
    expect(after.store.wasCleanShutdown).toBe(true);
    await waitForSimulated(after.clock, () => after.node.partitions.view('orders', 0)?.context.leader === 0, 'orders-0 led after space returned');
    expect(await readValues(after)).toEqual(['a', 'b', 'c', 'd']);
    expect(after.node.broker.getSnapshot().context.image?.topics.map((topic) => topic.name).sort()).toEqual(['orders', 'payments']);
    await after.node.halt();
  });

  it('a partition whose log cannot be created is offline (KAFKA_STORAGE_ERROR) while the broker serves the rest, and opens once there is space', async () => {
    const otherDir = nodeFs.mkdtempSync(path.join(tmpdir(), 'kactor-full-disk-new-'));
    try {
      const h = await startNode(4, otherDir, new MemoryMetaPropertiesStore());
      expect(await createTopicErrorCode(h, 'orders')).toBe(0);
      await waitForSimulated(h.clock, () => h.node.partitions.view('orders', 0)?.context.leader === 0, 'orders-0 led here');
      disk.noNewFilesUnder = `${path.sep}payments-0`;
      expect(await createTopicErrorCode(h, 'payments')).toBe(0); // the metadata log has space; the new partition's folder does not
      await waitForSimulated(h.clock, () => h.node.partitions.isOffline('payments', 0), 'payments-0 offline here');
      expect(await produceResult(h, ['p'], 'payments')).toMatchObject({ errorCode: 56 });
      expect(await produceResult(h, ['o'])).toMatchObject({ errorCode: 0, baseOffset: 0 });
      expect(h.node.brokerState()).toBe('RUNNING');

      disk.noNewFilesUnder = null;
      await waitForSimulated(h.clock, () => h.node.partitions.view('payments', 0)?.context.leader === 0, 'payments-0 opened at the next retry');
      expect(await produceResult(h, ['p'], 'payments')).toMatchObject({ errorCode: 0, baseOffset: 0 });

      // The same for __consumer_offsets: its coordinator loads the partition once it opens.
      disk.noNewFilesUnder = `${path.sep}__consumer_offsets-`;
      const describeError = async () => {
        const answer = await h.call('describeGroups', { groups: ['analytics'] });
        return answer.ok ? answer.body.groups[0]?.errorCode : -1;
      };
      await h.call('findCoordinator', { key: 'analytics', keyType: 0 }); // creates __consumer_offsets
      await h.clock.advanceByAsync(5_000);
      expect(h.node.partitions.isOffline('__consumer_offsets', 0)).toBe(true);
      expect(await describeError()).not.toBe(0); // no coordinator here while its partitions cannot be opened
      disk.noNewFilesUnder = null;
      await h.clock.advanceByAsync(5_000);
      expect(await describeError()).toBe(0);
      await h.node.halt();
    } finally {
      disk.noNewFilesUnder = null;
      nodeFs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
