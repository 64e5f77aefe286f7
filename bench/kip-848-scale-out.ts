/**
 * KIP-848's published scenario with real processes (issue 14): a 3-broker `cluster up`, ten consumers in one
 * group on a topic of 100 partitions, which then grows to 1,000. The figure is the time from CreatePartitions
 * being answered until every member holds its share of the 1,000 (each partition owned exactly once, every member
 * in its protocol's stable state). Classic eager and classic cooperative are the baselines for the consumer
 * protocol; the published anchor is about 103 s (classic) against about 5 s (consumer).
 *
 * Every consumer runs Kafka's defaults where they decide the outcome: a classic group's leader sees the new
 * partitions at its next metadata refresh (metadata.max.age.ms, 5 minutes), a consumer group's coordinator at the
 * next heartbeat after its own metadata image changed (group.consumer.heartbeat.interval.ms, 5 s). The last row
 * runs the consumer protocol with a 500 ms heartbeat interval (a broker setting), what a latency-minded deployment
 * would set.
 */
import { Admin, Consumer, systemClientRuntime, type TopicPartition } from '@kactor/client';
import { startBenchCluster } from './cluster-process.js';

export interface ScaleOutRow {
  variant: string;
  /** Until the ten members held 100 partitions between them, from the first subscribe. */
  formMs: number;
  /** From CreatePartitions answered until every member held its share of the 1,000. */
  scaleOutMs: number;
}

interface Variant {
  variant: string;
  consumerConfig: Record<string, string | number>;
  /** Broker settings of this variant's own cluster, beyond the shared ones. */
  brokerOverrides: string[];
}

const key = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;
const stableStates = new Set(['stable', 'STABLE']);

function settled(consumers: readonly Consumer[], partitions: number): boolean {
  if (consumers.some((consumer) => !stableStates.has(consumer.groupMembership()?.state ?? ''))) return false;
  const held = consumers.map((consumer) => consumer.assignment().map(key));
  const fair = Math.floor(partitions / consumers.length);
  return new Set(held.flat()).size === partitions && held.flat().length === partitions && held.every((list) => list.length === fair || list.length === fair + 1);
}

async function waitFor(what: string, timeoutMs: number, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function runVariant(admin: Admin, bootstrap: string, variant: Variant, index: number, members: number, before: number, after: number): Promise<ScaleOutRow> {
  const topic = `bench-scale-out-${index}`;
  const [created] = await admin.createTopics([{ name: topic, numPartitions: before }]);
  if (created?.error) throw created.error;
  const runtime = systemClientRuntime();
  const consumers = Array.from({ length: members }, () =>
    Consumer.create({ 'bootstrap.servers': bootstrap, 'group.id': `bench-scale-out-${index}`, 'auto.offset.reset': 'earliest', ...variant.consumerConfig }, runtime),
  );
  let polling = true;
  const loops = consumers.map(async (consumer) => {
    consumer.subscribe([topic]);
    while (polling) await consumer.poll(50);
  });
  try {
    const startedAt = performance.now();
    await waitFor(`${variant.variant}: the group to form`, 120_000, () => settled(consumers, before));
    const formMs = performance.now() - startedAt;
    const [grown] = await admin.createPartitions([{ name: topic, count: after }]);
    // A retried request finds its own earlier attempt applied (INVALID_PARTITIONS: already that many): that is success.
    if (grown?.error && (await admin.describeTopics([topic]))[0]?.partitions.length !== after) throw grown.error;
    const grownAt = performance.now();
    await waitFor(`${variant.variant}: the members to share ${after} partitions`, 900_000, () => settled(consumers, after));
    return { variant: variant.variant, formMs, scaleOutMs: performance.now() - grownAt };
  } finally {
    polling = false;
    await Promise.all(loops);
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }
}

export async function measureKip848ScaleOut(options: { basePort: number; members?: number; before?: number; after?: number; onRow?: (row: ScaleOutRow) => void }): Promise<ScaleOutRow[]> {
  const { members = 10, before = 100, after = 1_000 } = options;
  const consumerProtocol = { 'group.protocol': 'consumer', 'group.remote.assignor': 'uniform' };
  const variants: Variant[] = [
    { variant: 'classic eager (range)', consumerConfig: { 'partition.assignment.strategy': 'range' }, brokerOverrides: [] },
    { variant: 'classic cooperative (cooperative-sticky)', consumerConfig: { 'partition.assignment.strategy': 'cooperative-sticky' }, brokerOverrides: [] },
    { variant: 'consumer (uniform)', consumerConfig: consumerProtocol, brokerOverrides: [] },
    {
      variant: 'consumer (uniform), 500 ms heartbeats',
      consumerConfig: consumerProtocol,
      brokerOverrides: ['group.consumer.min.heartbeat.interval.ms=500', 'group.consumer.heartbeat.interval.ms=500'],
    },
  ];
  const rows: ScaleOutRow[] = [];
  // Each variant on a cluster of its own, so none inherits another's load or settings.
  for (const [index, variant] of variants.entries()) {
    const cluster = await startBenchCluster(options.basePort, ['group.initial.rebalance.delay.ms=0', ...variant.brokerOverrides]);
    // Adding 900 partitions at once takes the controller and brokers a while on a loaded machine: one request that
    // waits for it, rather than a retry that finds the partitions already there (INVALID_PARTITIONS).
    const admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap, 'request.timeout.ms': 120_000, 'default.api.timeout.ms': 180_000 }, systemClientRuntime());
    try {
      const row = await runVariant(admin, cluster.bootstrap, variant, index, members, before, after);
      rows.push(row);
      options.onRow?.(row);
    } finally {
      admin.close();
      await cluster.stop();
    }
  }
  return rows;
}
