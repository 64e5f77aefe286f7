/**
 * Produce throughput with replication, through a real 3-broker cluster (`kactor cluster up`, one process per
 * broker), on one cluster so the figures compare: replication factor 1 with acks=1 (the `throughput`
 * part's figure, measured again here), then replication factor 3 (min.insync.replicas=2) with acks=1 and
 * with acks=all. Each topic has its own partitions spread over the three brokers, so every broker leads
 * some and, at RF 3, follows the others' (its replica fetchers pull them).
 */
import { Admin, Producer, systemClientRuntime } from '@kactor/client';
import { produceAll } from './cluster-throughput.js';
import type { BenchCluster } from './cluster-process.js';
import { throughput, type ThroughputResult } from './ws-baseline.js';

export interface ReplicationThroughputOptions {
  records: number;
  recordBytes: number;
  partitions: number;
  /** The producer's settings except acks, which each case sets. */
  producerConfig: Record<string, string | number>;
  /** Records sent one at a time afterwards (each awaited, linger.ms=0) to time one acknowledgement on an otherwise idle cluster. */
  latencyProbes: number;
}

export interface ReplicationThroughputCase {
  name: string;
  replicationFactor: number;
  acks: '1' | 'all';
  result: ThroughputResult;
  /** Median time from send() to its acknowledgement, one record in flight. */
  medianAckMs: number;
}

const cases = [
  { name: 'rf1-acks1', replicationFactor: 1, acks: '1' },
  { name: 'rf3-acks1', replicationFactor: 3, acks: '1' },
  { name: 'rf3-acksall', replicationFactor: 3, acks: 'all' },
] as const;

/** Every partition of `topic` led, with all its replicas in sync: replication has started everywhere. */
export async function awaitFullyReplicated(admin: Admin, topic: string, replicationFactor: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [description] = await admin.describeTopics([topic], { timeoutMs: 5_000 });
    const partitions = description?.error === null ? description.partitions : [];
    if (partitions.length > 0 && partitions.every((partition) => partition.leader !== -1 && partition.isr.length === replicationFactor)) return;
    if (performance.now() > deadline) throw new Error(`${topic}: not every partition led with ${replicationFactor} replicas in sync after ${timeoutMs} ms: ${JSON.stringify(partitions)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What one acknowledgement costs without queueing: with acks=all the answer waits for the followers' next
 * fetches (the batch goes out in a fetch answer, and the follower's following fetch reports its new log end).
 */
async function medianAckLatency(cluster: BenchCluster, topic: string, acks: '1' | 'all', probes: number, value: Uint8Array): Promise<number> {
  const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrap, acks, 'linger.ms': 0 }, systemClientRuntime());
  try {
    await producer.send({ topic, value });
    const latencies: number[] = [];
    for (let probe = 0; probe < probes; probe += 1) {
      const started = performance.now();
      await producer.send({ topic, value });
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    return latencies[Math.floor(latencies.length / 2)] ?? Number.NaN;
  } finally {
    await producer.close();
  }
}

export async function measureReplicationThroughput(cluster: BenchCluster, options: ReplicationThroughputOptions): Promise<ReplicationThroughputCase[]> {
  const runtime = systemClientRuntime();
  const config = { 'bootstrap.servers': cluster.bootstrap };
  const admin = Admin.create(config, runtime);
  const value = new Uint8Array(options.recordBytes).fill(97);
  const results: ReplicationThroughputCase[] = [];
  try {
    for (const entry of cases) {
      const topic = `bench-${entry.name}`;
      const configs: Record<string, string> = entry.replicationFactor > 1 ? { 'min.insync.replicas': '2' } : {};
      const [created] = await admin.createTopics([{ name: topic, numPartitions: options.partitions, replicationFactor: entry.replicationFactor, configs }]);
      if (created?.error) throw created.error;
      await awaitFullyReplicated(admin, topic, entry.replicationFactor, 30_000);
      const producer = Producer.create({ ...config, ...options.producerConfig, acks: entry.acks }, runtime);
      try {
        await produceAll(producer, topic, 1_000, value);
        const started = performance.now();
        await produceAll(producer, topic, options.records, value);
        const result = throughput(options.records, options.records * options.recordBytes, (performance.now() - started) / 1000);
        results.push({ ...entry, result, medianAckMs: await medianAckLatency(cluster, topic, entry.acks, options.latencyProbes, value) });
      } finally {
        await producer.close();
      }
    }
    return results;
  } finally {
    admin.close();
  }
}
