/**
 * Faults at seeded times (Jepsen's nemesis): `planFaults` draws a schedule from a seeded random, so the
 * same seed gives the same faults at the same virtual times; `runFaults` applies it to a SimulatedCluster
 * while the clock runs (traffic started before keeps flowing; a controlled shutdown runs the clock until it is done). A plan stays coherent: it kills and
 * isolates or pauses only running, connected brokers, never the spared ones (by default the controller, which has no
 * standby yet), keeps at least one broker up, and ends by healing every link and restarting every broker.
 */
import type { Random } from '@kactor/runtime';
import { brokerHost, type SimulatedCluster } from './simulated-cluster.js';

export type Fault =
  | { kind: 'kill'; brokerId: number; loseUnflushedData?: boolean }
  /** A clean stop (SIGTERM: controlled shutdown, leadership moved away first); 'restart' starts it again. */
  | { kind: 'shutdown'; brokerId: number }
  | { kind: 'restart'; brokerId: number }
  | { kind: 'isolate'; brokerId: number }
  | { kind: 'heal'; brokerId: number }
  | { kind: 'pause'; brokerId: number }
  | { kind: 'resume'; brokerId: number }
  | { kind: 'slow-link'; between: [number, number]; latencyMs: number }
  | { kind: 'lossy-link'; between: [number, number]; dropProbability: number }
  /** Nothing passes between the two brokers, while each still reaches everyone else (clients included): a partial partition. */
  | { kind: 'cut-link'; between: [number, number] }
  | { kind: 'heal-link'; between: [number, number] };

export interface TimedFault {
  /** Virtual ms after the plan starts. */
  atMs: number;
  fault: Fault;
}

export interface FaultPlanOptions {
  random: Random;
  brokerIds: readonly number[];
  /** Faults happen in [0, durationMs); the recovery runs at durationMs. */
  durationMs: number;
  /** How many faults to draw (before the recovery). */
  faults: number;
  /** Brokers never killed or isolated (their links may still be slowed or made lossy). */
  spare?: readonly number[];
  kinds?: readonly Fault['kind'][];
  /** The slowest link latency drawn, ms; default 500. */
  maxLatencyMs?: number;
  /** The highest drop probability drawn; default 0.3. */
  maxDropProbability?: number;
}

/** The kinds drawn by default; 'cut-link' and 'shutdown' are drawn only when asked for (`kinds`), so existing seeds keep their plans. */
const ALL_KINDS: readonly Fault['kind'][] = ['kill', 'restart', 'isolate', 'heal', 'pause', 'resume', 'slow-link', 'lossy-link', 'heal-link'];

/** A seeded fault schedule, sorted by time, ending with every link healed and every broker running. */
export function planFaults(options: FaultPlanOptions): TimedFault[] {
  const { random, brokerIds, durationMs } = options;
  const spare = new Set(options.spare ?? []);
  const kinds = options.kinds ?? ALL_KINDS;
  const times = Array.from({ length: options.faults }, () => random.nextInt(Math.max(1, durationMs))).sort((a, b) => a - b);
  const killed = new Set<number>();
  const isolated = new Set<number>();
  const paused = new Set<number>();
  const faultyLinks = new Map<string, [number, number]>();
  const pick = <T>(from: readonly T[]): T | undefined => (from.length === 0 ? undefined : from[random.nextInt(from.length)]);
  const plan: TimedFault[] = [];
  for (const atMs of times) {
    const up = brokerIds.filter((id) => !killed.has(id));
    const cutOff = isolated.size + paused.size;
    const canFault = up.filter((id) => !spare.has(id) && !isolated.has(id) && !paused.has(id) && up.length - cutOff > 1);
    const fault = draw(pick(kinds));
    if (fault !== undefined) plan.push({ atMs, fault });

    function draw(kind: Fault['kind'] | undefined): Fault | undefined {
      switch (kind) {
        case 'kill':
        case 'shutdown': {
          const brokerId = pick(canFault);
          if (brokerId === undefined) return undefined;
          killed.add(brokerId);
          return { kind, brokerId };
        }
        case 'restart': {
          const brokerId = pick([...killed]);
          if (brokerId === undefined) return undefined;
          killed.delete(brokerId);
          return { kind, brokerId };
        }
        case 'isolate': {
          const brokerId = pick(canFault);
          if (brokerId === undefined) return undefined;
          isolated.add(brokerId);
          return { kind, brokerId };
        }
        case 'pause': {
          const brokerId = pick(canFault);
          if (brokerId === undefined) return undefined;
          paused.add(brokerId);
          return { kind, brokerId };
        }
        case 'resume': {
          const brokerId = pick([...paused]);
          if (brokerId === undefined) return undefined;
          paused.delete(brokerId);
          return { kind, brokerId };
        }
        case 'heal': {
          const brokerId = pick([...isolated]);
          if (brokerId === undefined) return undefined;
          isolated.delete(brokerId);
          return { kind, brokerId };
        }
        case 'slow-link':
        case 'lossy-link':
        case 'cut-link': {
          if (brokerIds.length < 2) return undefined;
          const a = pick(brokerIds) as number;
          const b = pick(brokerIds.filter((id) => id !== a)) as number;
          const between: [number, number] = [Math.min(a, b), Math.max(a, b)];
          faultyLinks.set(between.join('-'), between);
          if (kind === 'cut-link') return { kind, between };
          if (kind === 'slow-link') return { kind, between, latencyMs: 1 + random.nextInt(options.maxLatencyMs ?? 500) };
          return { kind, between, dropProbability: random.next() * (options.maxDropProbability ?? 0.3) };
        }
        case 'heal-link': {
          const between = pick([...faultyLinks.values()]);
          if (between === undefined) return undefined;
          faultyLinks.delete(between.join('-'));
          return { kind, between };
        }
        default:
          return undefined;
      }
    }
  }
  for (const between of faultyLinks.values()) plan.push({ atMs: durationMs, fault: { kind: 'heal-link', between } });
  for (const brokerId of [...isolated].sort()) plan.push({ atMs: durationMs, fault: { kind: 'heal', brokerId } });
  for (const brokerId of [...paused].sort()) plan.push({ atMs: durationMs, fault: { kind: 'resume', brokerId } });
  for (const brokerId of [...killed].sort()) plan.push({ atMs: durationMs, fault: { kind: 'restart', brokerId } });
  return plan;
}

/** Applies one fault now. */
export async function applyFault(cluster: SimulatedCluster, fault: Fault): Promise<void> {
  switch (fault.kind) {
    case 'kill':
      return cluster.kill(fault.brokerId, { loseUnflushedData: fault.loseUnflushedData ?? false });
    case 'shutdown':
      return cluster.shutdown(fault.brokerId);
    case 'restart':
      if (!cluster.isRunning(fault.brokerId)) await cluster.start(fault.brokerId);
      return;
    case 'isolate':
      return cluster.faults.isolate(brokerHost(fault.brokerId));
    case 'heal':
      return cluster.faults.heal(brokerHost(fault.brokerId));
    case 'pause':
      return cluster.pause(fault.brokerId);
    case 'resume':
      return cluster.resume(fault.brokerId);
    case 'slow-link':
      return cluster.faults.slowLink(brokerHost(fault.between[0]), brokerHost(fault.between[1]), fault.latencyMs);
    case 'lossy-link':
      return cluster.faults.lossyLink(brokerHost(fault.between[0]), brokerHost(fault.between[1]), fault.dropProbability);
    case 'cut-link':
      return cluster.faults.cutLink(brokerHost(fault.between[0]), brokerHost(fault.between[1]));
    case 'heal-link':
      return cluster.faults.healLink(brokerHost(fault.between[0]), brokerHost(fault.between[1]));
  }
}

/** Runs the clock through `plan`, applying each fault at its time (relative to now); `onFault` sees each. */
export async function runFaults(cluster: SimulatedCluster, plan: readonly TimedFault[], onFault?: (timed: TimedFault) => void): Promise<void> {
  const startMs = cluster.clock.now();
  for (const timed of plan) {
    const waitMs = startMs + timed.atMs - cluster.clock.now();
    if (waitMs > 0) await cluster.advance(waitMs);
    onFault?.(timed);
    await applyFault(cluster, timed.fault);
  }
}

/** One line per fault, for a failing seed's report. */
export function describeFaults(plan: readonly TimedFault[]): string {
  return plan.map(({ atMs, fault }) => `${atMs}ms ${JSON.stringify(fault)}`).join('\n');
}
