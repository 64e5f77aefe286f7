/**
 * Metadata throughput (issue 12): topic creations per second, each request one topic of 1 partition with
 * replication factor 3, on three `kactor broker` processes (bench/quorum-nodes.ts): a 3-voter KRaft quorum, or
 * today's single controller on node 0 (the baseline). `concurrency` callers each create their share one request at
 * a time; one connection carries at most 5 requests at once (`max.in.flight.requests.per.connection`). Two answers:
 *
 * - `admin`: `Admin.createTopics` with its defaults; kactor's controller answers once the topic's records are
 *   committed and every unfenced broker has applied them;
 * - `commit`: a raw CreateTopics with `timeoutMs` 0 to the controller (bench/quorum-raw-requests.ts), answered once
 *   the records are committed: the quorum's own rate, and what Kafka's KRaft controller answers on.
 */
import { Admin, systemClientRuntime } from '@kactor/client';
import { RawClients } from './quorum-raw-requests.js';
import { startQuorumNodes, type QuorumMode } from './quorum-nodes.js';
import { median } from './quorum-report.js';

export interface MetadataThroughputRow {
  mode: QuorumMode;
  answer: 'admin' | 'commit';
  concurrency: number;
  topics: number;
  seconds: number;
  topicsPerSecond: number;
  /** One createTopics call, from call to answer. */
  medianLatencyMs: number;
  worstLatencyMs: number;
}

export interface MetadataThroughputOptions {
  mode: QuorumMode;
  basePort: number;
  topics: number;
  /** Each level is measured on the same cluster, in this order, with its own topic names. */
  concurrencies: readonly number[];
  /** Broker config overrides (Kafka names), `name=value`. */
  overrides?: readonly string[];
}

/** `concurrency` callers create topics `prefix-0..topics-1` with `create`, one at a time each; every call's latency. */
async function createAll(prefix: string, topics: number, concurrency: number, create: (name: string) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const caller = async () => {
    while (next < topics) {
      const name = `${prefix}-${next}`;
      next += 1;
      const startedAt = performance.now();
      await create(name);
      latencies.push(performance.now() - startedAt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return latencies;
}

export async function measureMetadataThroughput(options: MetadataThroughputOptions): Promise<MetadataThroughputRow[]> {
  const nodes = await startQuorumNodes(options.mode, options.basePort, options.overrides);
  const runtime = systemClientRuntime();
  const admin = Admin.create({ 'bootstrap.servers': nodes.bootstrap }, runtime);
  const raw = new RawClients(runtime, (nodeId) => nodes.urlOf(nodeId));
  const byAdmin = async (name: string) => {
    const [created] = await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 3 }]);
    if (created?.error) throw created.error;
  };
  try {
    // Warm-up: every broker registered and unfenced (RF 3 needs all three), connections open, code compiled.
    await createAll('warm-up', 10, 1, byAdmin);
    const controller = options.mode === 'kraft' ? (await admin.describeMetadataQuorum()).leaderId : 0;
    const atCommit = async (name: string) => {
      const answer = await raw.createTopic(controller, name, 3);
      const errorCode = answer.ok ? answer.body.topics[0]?.errorCode : undefined;
      if (errorCode !== 0) throw new Error(`createTopics ${name} at node ${controller}: ${answer.ok ? `error code ${errorCode}` : answer.error.message}`);
    };
    const rows: MetadataThroughputRow[] = [];
    for (const answer of ['admin', 'commit'] as const) {
      for (const concurrency of options.concurrencies) {
        const startedAt = performance.now();
        const latencies = await createAll(`${answer}-c${concurrency}`, options.topics, concurrency, answer === 'admin' ? byAdmin : atCommit);
        const seconds = (performance.now() - startedAt) / 1_000;
        rows.push({
          mode: options.mode,
          answer,
          concurrency,
          topics: options.topics,
          seconds,
          topicsPerSecond: options.topics / seconds,
          medianLatencyMs: median(latencies),
          worstLatencyMs: Math.max(...latencies),
        });
      }
    }
    return rows;
  } finally {
    raw.close();
    admin.close();
    await nodes.stop();
  }
}
