/**
 * How much faster than real time a whole-cluster experiment runs on the simulated clock (issue 15): 3 brokers, one
 * topic of 30 partitions, 10 real consumers (@kactor/client) in one group, each polling in its own application loop
 * (`poll(100)`, as a Java application would), for 10 simulated minutes, once with the group idle and once with a
 * producer sending 1,000 records/s. The producer is paced by the simulated clock: every 10 ms a round of 10 records
 * goes out (linger.ms 5 batches them), so time always moves between rounds.
 *
 * The figure is simulated time over wall time; the issue asks for 1,000x idle and 100x with records flowing.
 */
import type { Consumer } from '@kactor/client';
import type { ConfigValueInput } from '@kactor/protocol';
import { flushMicrotasks, type SimulatedClock } from '@kactor/runtime';
import { GroupClients, speedUpInWords } from '@kactor/simulation';

/**
 * How the measured window drives the clock, as the experiment runner does (`cluster.advance`): `instant` is
 * `SimulatedClock.advanceByAsync` (every timer of an instant, then the promise callbacks once); `per-timer` is how
 * advanceByAsync drove it before issue 15 (one timer, then 64 microtask turns, for every timer), kept here as the
 * baseline of the same run.
 */
export type ClockDriver = 'instant' | 'per-timer';

export interface ExperimentSpeedOptions {
  protocol: 'classic' | 'consumer';
  /** 0: the group idle. */
  recordsPerSecond: number;
  simulatedMs: number;
  members?: number;
  partitions?: number;
  seed?: number;
  /** Default `instant`. */
  driver?: ClockDriver;
}

export interface ExperimentSpeedResult {
  simulatedMs: number;
  wallMs: number;
  /** Simulated ms per wall ms. */
  speedUp: number;
  recordsAcknowledged: number;
  recordsConsumed: number;
  /** Wall ms spent bringing the cluster up and the group together, outside the measured window. */
  setupWallMs: number;
}

/** A producer round every this many simulated ms: 10 records per round make 1,000 records/s. */
const PRODUCER_ROUND_MS = 10;

export async function measureExperimentSpeed(options: ExperimentSpeedOptions): Promise<ExperimentSpeedResult> {
  const members = options.members ?? 10;
  const partitions = options.partitions ?? 30;
  const setupStarted = performance.now();
  const sim = new GroupClients(options.seed ?? 15);
  try {
    await sim.cluster.startAll();
    await sim.createTopic('orders', partitions);
    // Offsets committed as a Java application's are by default, every auto.commit.interval.ms.
    const settings: Record<string, ConfigValueInput> = { 'enable.auto.commit': true, ...(options.protocol === 'consumer' ? { 'group.protocol': 'consumer' } : {}) };
    const consumers: Consumer[] = Array.from({ length: members }, (_, index) => {
      const consumer = sim.consumer('speed', `member-${index}`, settings);
      consumer.subscribe(['orders']);
      return consumer;
    });
    const stable = () =>
      consumers.every((consumer) => ['stable', 'STABLE'].includes(consumer.groupMembership()?.state ?? '')) &&
      new Set(consumers.flatMap((consumer) => consumer.assignment().map((tp) => `${tp.topic}-${tp.partition}`))).size === partitions;
    await sim.pollUntil(consumers, stable, `${members} members stable, sharing ${partitions} partitions`, 120_000);
    const setupWallMs = performance.now() - setupStarted;

    const clock = sim.cluster.clock;
    const startMs = clock.now();
    const endMs = startMs + options.simulatedMs;
    const producer = options.recordsPerSecond > 0 ? sim.producer({ 'linger.ms': 5, acks: '1' }) : undefined;
    let acknowledged = 0;
    let sent = 0;
    if (producer !== undefined) {
      const perRound = Math.max(1, Math.round((options.recordsPerSecond * PRODUCER_ROUND_MS) / 1000));
      const round = () => {
        if (clock.now() >= endMs) return;
        for (let index = 0; index < perRound; index += 1) {
          const record = { topic: 'orders', partition: sent % partitions, value: `v${sent}` };
          sent += 1;
          void producer.send(record).then(() => (acknowledged += 1), () => undefined);
        }
        clock.setTimeout(round, PRODUCER_ROUND_MS);
      };
      round();
    }
    // Each member polls in its own application loop, as GroupClients.pollUntil runs them, until the window ends.
    let consumed = 0;
    let polling = true;
    const loops = consumers.map(async (consumer) => {
      while (polling) {
        const records = await consumer.poll(100);
        consumed += records.length;
      }
    });
    const started = performance.now();
    if ((options.driver ?? 'instant') === 'instant') await clock.advanceByAsync(options.simulatedMs);
    else await advanceOneTimerAtATime(clock, endMs);
    const wallMs = performance.now() - started;
    const simulatedMs = clock.now() - startMs;
    polling = false;
    await sim.settle(Promise.all(loops));
    return { simulatedMs, wallMs, speedUp: simulatedMs / wallMs, recordsAcknowledged: acknowledged, recordsConsumed: consumed, setupWallMs };
  } finally {
    await sim.close();
  }
}

/** advanceToAsync before issue 15: one timer, then 64 microtask turns, for every timer due by `targetMs`. */
async function advanceOneTimerAtATime(clock: SimulatedClock, targetMs: number): Promise<void> {
  await flushMicrotasks();
  while ((clock.nextTimerAt() ?? Number.POSITIVE_INFINITY) <= targetMs) {
    clock.runNext();
    await flushMicrotasks();
  }
  clock.advanceTo(targetMs);
}

// `tsx bench/experiment-speed.ts [classic|consumer] [recordsPerSecond] [simulatedMs] [instant|per-timer]`: one case alone, for profiling.
if (import.meta.url === `file://${process.argv[1]}`) {
  const protocol = process.argv[2] === 'consumer' ? 'consumer' : 'classic';
  const recordsPerSecond = Number(process.argv[3] ?? 0);
  const simulatedMs = Number(process.argv[4] ?? 600_000);
  const driver = process.argv[5] === 'per-timer' ? 'per-timer' : 'instant';
  const result = await measureExperimentSpeed({ protocol, recordsPerSecond, simulatedMs, driver });
  console.log(`${protocol}, ${recordsPerSecond} records/s, ${driver}: ${result.simulatedMs} simulated ms in ${result.wallMs.toFixed(0)} wall ms, ${speedUpInWords(result.simulatedMs, result.wallMs)}; acknowledged ${result.recordsAcknowledged}, consumed ${result.recordsConsumed}; setup ${result.setupWallMs.toFixed(0)} wall ms`);
}
