/**
 * Failover time with real processes: how long a partition whose leader goes down takes to accept produce
 * again. A real kactor Producer (acks=all, Kafka's retry settings) sends one record every few milliseconds
 * to one partition with replication factor 3 and min.insync.replicas=2, led by a broker that is not the
 * controller's (broker 0 runs the controller until issue 12: killing it would stop elections). Then the
 * leader goes down, by a controlled shutdown (`kactor cluster stop N`: SIGTERM) or by `kill -9`
 * (`kactor cluster kill N`), sent through cluster up's control channel.
 *
 * Failover time = from the moment the request to stop or kill is sent, to the first acknowledgement of a
 * record written by the new leader. "Written by the new leader" is read from the log, not guessed: the
 * first record in a leader epoch above the old one marks where the new leader's writes start, and every
 * acknowledged record at or past that offset was acknowledged by it (an old leader only acknowledges below
 * the high watermark, which the new leader keeps). After each run the broker is started again, rejoins
 * the ISR, and leads again by a preferred leader election, so every run starts from the same placement.
 */
import { Admin, Consumer, Producer, systemClientRuntime, type PartitionDescription } from '@kactor/client';
import type { BenchCluster } from './cluster-process.js';

export type FailoverKind = 'stop' | 'kill';

export interface FailoverRun {
  kind: FailoverKind;
  /** The broker that led the partition and went down. */
  victim: number;
  /** Request sent -> first acknowledgement by the new leader; undefined when it did not happen in time. */
  failoverMs: number | undefined;
  /** Request sent -> acknowledgement of the first record sent after it (by whichever leader). */
  firstSentAfterMs: number | undefined;
  oldLeaderEpoch: number;
  newLeader: number;
  newLeaderEpoch: number;
  /** Set when the run did not complete: what was missing. */
  error?: string;
}

export interface FailoverOptions {
  repetitions: number;
  /** The broker running the controller (cluster up's first): never the one that goes down. */
  controllerBrokerId: number;
  /** Milliseconds between two sends. */
  sendIntervalMs: number;
  /** How long one failover may take before the run is reported as failed. */
  runTimeoutMs: number;
  /** Which faults each repetition injects, in this order; both by default. */
  kinds?: readonly FailoverKind[];
}

interface SentRecord {
  sentAt: number;
  ackedAt?: number;
  offset?: number;
}

const topic = 'bench-failover';
/** kactor places replicas itself (no manual assignment yet): with one partition per broker, some partition's preferred leader is not the controller's broker. */
const partitions = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function describePartition(admin: Admin, partition: number): Promise<PartitionDescription | undefined> {
  try {
    const [description] = await admin.describeTopics([topic], { timeoutMs: 5_000 });
    return description?.error === null ? description.partitions.find((entry) => entry.partition === partition) : undefined;
  } catch {
    // A broker that just went down can fail one describe; the caller asks again.
    return undefined;
  }
}

async function waitFor<T>(description: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`${description}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Sends one record every `intervalMs` without waiting for acknowledgements, remembering when each was sent and acknowledged. */
function startSending(producer: Producer, partition: number, intervalMs: number) {
  const sent: SentRecord[] = [];
  let failed = 0;
  let running = true;
  const value = new Uint8Array(100).fill(97);
  const loop = (async () => {
    while (running) {
      const entry: SentRecord = { sentAt: performance.now() };
      sent.push(entry);
      producer.send({ topic, partition, value }).then(
        (metadata) => {
          entry.ackedAt = performance.now();
          entry.offset = metadata.offset;
        },
        () => (failed += 1),
      );
      await sleep(intervalMs);
    }
  })();
  return {
    sent,
    failed: () => failed,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The first offset written in a leader epoch above `oldEpoch`, read from the log from `fromOffset` on. */
async function firstOffsetAfterEpoch(consumer: Consumer, partition: number, fromOffset: number, oldEpoch: number, timeoutMs: number): Promise<number> {
  consumer.seek({ topic, partition }, fromOffset);
  return waitFor(`a record of a leader epoch above ${oldEpoch} from offset ${fromOffset}`, timeoutMs, async () => (await consumer.poll(500)).find((record) => record.leaderEpoch > oldEpoch)?.offset);
}

export async function measureFailover(cluster: BenchCluster, options: FailoverOptions): Promise<FailoverRun[]> {
  const runtime = systemClientRuntime();
  const config = { 'bootstrap.servers': cluster.bootstrap };
  const admin = Admin.create(config, runtime);
  const [created] = await admin.createTopics([{ name: topic, numPartitions: partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
  if (created?.error) throw created.error;
  const { partition, victim } = await waitFor(`a partition of ${topic} whose preferred leader leads it and is not broker ${options.controllerBrokerId}`, 30_000, async () => {
    const [description] = await admin.describeTopics([topic], { timeoutMs: 5_000 });
    const found = description?.error === null ? description.partitions.find((entry) => entry.leader !== options.controllerBrokerId && entry.leader === entry.replicas[0]) : undefined;
    return found === undefined ? undefined : { partition: found.partition, victim: found.leader };
  });
  const producer = Producer.create({ ...config, acks: 'all' }, runtime);
  const consumer = Consumer.create({ ...config, 'auto.offset.reset': 'earliest' }, runtime);
  consumer.assign([{ topic, partition }]);
  const sender = startSending(producer, partition, options.sendIntervalMs);
  const runs: FailoverRun[] = [];
  /** The victim leads again with every replica in sync; its leader epoch. */
  const victimLeadsInSync = (timeoutMs: number) =>
    waitFor(`broker ${victim} leading ${topic}-${partition} with 3 replicas in sync`, timeoutMs, async () => {
      const state = await describePartition(admin, partition);
      return state?.leader === victim && state.isr.length === 3 ? state.leaderEpoch : undefined;
    });
  try {
    await victimLeadsInSync(30_000);
    for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
      for (const kind of options.kinds ?? (['stop', 'kill'] as const)) {
        const oldLeaderEpoch = await victimLeadsInSync(60_000);
        // Steady acknowledgements before the fault: the ones in flight now are answered by the old leader.
        const steadyFrom = sender.sent.length;
        await waitFor('acknowledgements before the fault', 30_000, async () => (sender.sent.slice(steadyFrom).filter((entry) => entry.ackedAt !== undefined).length >= 20 ? true : undefined));
        const lastAckedOffset = sender.sent.reduce((highest, entry) => Math.max(highest, entry.offset ?? 0), 0);
        const requestedAt = performance.now();
        const reply = cluster.control(kind, victim);
        const run: FailoverRun = { kind, victim, failoverMs: undefined, firstSentAfterMs: undefined, oldLeaderEpoch, newLeader: -1, newLeaderEpoch: -1 };
        try {
          const moved = await waitFor(`${topic}-${partition} to get a new leader after ${kind} of broker ${victim}`, options.runTimeoutMs, async () => {
            const state = await describePartition(admin, partition);
            return state !== undefined && state.leader !== -1 && state.leader !== victim && state.leaderEpoch > oldLeaderEpoch ? state : undefined;
          });
          run.newLeader = moved.leader;
          run.newLeaderEpoch = moved.leaderEpoch;
          // A record sent once the new leader is known must be acknowledged: then the log holds the new epoch.
          const probeFrom = sender.sent.length;
          await waitFor(`an acknowledgement from the new leader ${moved.leader}`, options.runTimeoutMs, async () => (sender.sent.slice(probeFrom).some((entry) => entry.ackedAt !== undefined) ? true : undefined));
          const newEpochStart = await firstOffsetAfterEpoch(consumer, partition, lastAckedOffset, oldLeaderEpoch, 30_000);
          const firstByNewLeader = sender.sent.reduce(
            (earliest, entry) => (entry.ackedAt !== undefined && entry.ackedAt >= requestedAt && (entry.offset as number) >= newEpochStart ? Math.min(earliest, entry.ackedAt) : earliest),
            Number.POSITIVE_INFINITY,
          );
          run.failoverMs = firstByNewLeader - requestedAt;
          const firstSentAfter = sender.sent.find((entry) => entry.sentAt >= requestedAt);
          if (firstSentAfter?.ackedAt !== undefined) run.firstSentAfterMs = firstSentAfter.ackedAt - requestedAt;
        } catch (error) {
          run.error = error instanceof Error ? error.message : String(error);
        }
        runs.push(run);
        await reply;
        await cluster.control('start', victim);
        await waitFor(`broker ${victim} back in the ISR`, 60_000, async () => ((await describePartition(admin, partition))?.isr.length === 3 ? true : undefined));
        const [elected] = await admin.electLeaders('preferred', [{ topic, partition }]);
        if (elected?.error && elected.error.errorName !== 'ELECTION_NOT_NEEDED') throw elected.error;
      }
    }
    if (sender.failed() > 0) throw new Error(`${sender.failed()} sends failed during the failovers (the producer retries for delivery.timeout.ms)`);
    return runs;
  } finally {
    await sender.stop();
    await producer.close().catch(() => undefined);
    await consumer.close().catch(() => undefined);
    admin.close();
  }
}
