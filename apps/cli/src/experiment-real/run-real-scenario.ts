/**
 * One scenario x case x variant x seed against real processes on 127.0.0.1: a `kactor cluster up`, topics
 * created with `kactor topics create`, each member a `kactor consume --group --json --events` process,
 * producers in this process (paced-producer.ts), the timeline on the wall clock (real-timeline.ts). The members'
 * and producers' output becomes the same trace the simulated runner writes, read by the same TraceAnalyzer, so
 * a real run's RunResult sits beside the simulated ones in the report: how far the simulator's timing can be trusted.
 *
 * The setup comes first, as in the simulated runner: the cluster, the topics, the groups' first members, and the
 * groups forming (real-group-formation.ts: the simulation's formation check against the coordinator, bounded by
 * GROUP_FORMATION_MAX_MS; a group that does not form fails the run with a run.error, and no workload runs). Only
 * then do the producers and the timeline start, at trace time 0; the setup's events are in the trace before it, at
 * negative times (run.started's workloadStartMs), checked but not measured. After `durationMs` the producers stop,
 * the members are given up to `drainTimeoutMs` to process what was acknowledged, and the run ends.
 *
 * A real run's trace hash is not deterministic: process start-up, scheduling and the wall clock make every run's
 * trace different, seed or not. The seed still fixes what the scenario draws (event times, keys, members picked).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSeededRandom, fork, systemClock } from '@kactor/runtime';
import { runCli, sleep, waitUntil } from './cli-process.js';
import { MemberProcess } from './member-process.js';
import { PacedProducer, producerIsIdempotent } from './paced-producer.js';
import { RealCluster } from './real-cluster.js';
import { awaitRealGroupsFormed } from './real-group-formation.js';
import { planRealRun } from './real-run-setup.js';
import { runTimeline } from './real-timeline.js';
import { experimentModules, type RunResult, type Scenario, type TraceEvent } from './simulation-adapter.js';
import { TraceReorderBuffer } from './trace-reorder.js';

export interface RealRunOptions {
  /** Each run's cluster keeps its data under here (a directory per run, removed afterwards unless `keepData`). */
  dataDir: string;
  log?: (message: string) => void;
  keepData?: boolean;
  /** How long the first members may take to form their groups (GROUP_FORMATION_MAX_MS by default). */
  formationTimeoutMs?: number;
  /** After the workload, how long the members may take to process what was acknowledged. */
  drainTimeoutMs?: number;
  onTrace?: (event: TraceEvent) => void;
}

export interface RealRunResult {
  result: RunResult;
  /** Timeline events and scenario settings real processes could not reproduce, in words. */
  skipped: string[];
}

/** How long lines from different processes are held to be put in time order (trace-reorder.ts). */
const reorderWindowMs = 2_000;

export async function runRealScenario(source: Scenario, key: { case?: string; variant: string; seed: number }, options: RealRunOptions): Promise<RealRunResult> {
  const wallStartMs = systemClock.now();
  const log = options.log ?? (() => undefined);
  const modules = experimentModules;
  const plan = planRealRun(source, key, modules);
  const { scenario } = plan;
  const skipped = [...plan.notes];
  // The simulated runner's random for the same coordinates, so the seed draws the same times, keys and members.
  const random = createSeededRandom(`${scenario.name}/${key.case ?? ''}/${key.variant}/${key.seed}`);
  const runDir = resolve(options.dataDir, `${scenario.name}-${key.case ?? 'base'}-${key.variant}-${key.seed}`.replace(/[^A-Za-z0-9._-]/g, '_'));
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });

  const analyzer = modules.createAnalyzer({ durationMs: scenario.durationMs });
  let ended = false;
  const buffer = new TraceReorderBuffer(reorderWindowMs, (event) => {
    if (ended) return;
    options.onTrace?.(event);
    analyzer.observe(event);
  });
  // Trace times count from the workload's start, unknown until the groups have formed: until then events are
  // stamped from the setup's start and held, then shifted to their (negative) times before the workload's start.
  const setupStartMs = systemClock.now();
  let workloadStartMs: number | undefined;
  const originMs = () => workloadStartMs ?? setupStartMs;
  const nowMs = () => systemClock.now() - originMs();
  const setupEvents: TraceEvent[] = [];
  const acked = new Set<string>();
  const processed = new Set<string>();
  const brokersDown = new Set<number>();
  const emit = (event: TraceEvent) => {
    if (event.type === 'broker.killed' || event.type === 'broker.stopped') brokersDown.add(event.broker);
    if (event.type === 'broker.started') brokersDown.delete(event.broker);
    if (event.type === 'record.acked') acked.add(event.id);
    if (event.type === 'record.processed') processed.add(event.id);
    if (workloadStartMs === undefined) setupEvents.push(event);
    else buffer.push(event);
  };
  /** The workload starts now: the setup's events go to the trace, at their times before it. Returns its start. */
  const startWorkload = (): number => {
    const startMs = systemClock.now();
    workloadStartMs = startMs;
    for (const event of setupEvents.splice(0)) buffer.push(shifted(event, setupStartMs - startMs));
    return startMs;
  };

  const members = new Map<string, MemberProcess[]>();
  const producers: PacedProducer[] = [];
  let cluster: RealCluster | undefined;
  let releasing: ReturnType<typeof systemClock.setTimeout> | undefined;
  try {
    log(`starting a cluster of ${scenario.cluster.brokers} broker(s) in ${runDir}`);
    cluster = await RealCluster.start({ brokers: scenario.cluster.brokers, controllers: scenario.cluster.controllers, config: plan.brokerConfig, dataDir: runDir, readyTimeoutMs: 60_000 });
    const bootstrap = cluster.bootstrap;
    await Promise.all(
      scenario.topics.map((topic) =>
        runCli(
          [
            'topics',
            'create',
            topic.name,
            '--partitions',
            String(topic.partitions),
            '--replication-factor',
            String(topic.replicationFactor),
            ...Object.entries(topic.config).flatMap(([name, value]) => ['--config', `${name}=${value}`]),
            '--bootstrap-server',
            bootstrap,
          ],
          60_000,
        ),
      ),
    );
    log(`cluster up at ${bootstrap}; topics created`);
    const partitions = Object.fromEntries(scenario.topics.map((topic) => [topic.name, topic.partitions]));
    emit({
      type: 'run.started',
      timeMs: nowMs(),
      workloadStartMs: 0,
      partitions,
      groups: Object.fromEntries(scenario.groups.map((group) => [group.name, { topics: group.topics, guarantee: 'at-least-once' as const }])),
      producers: Object.fromEntries(scenario.producers.map((spec, index) => [`producer-${index}`, { topic: spec.topic, idempotent: producerIsIdempotent(spec, bootstrap) }])),
    });

    const nextIndex = new Map<string, number>();
    // A member is traced as started when its consumer starts joining (its first lifecycle line), not when its
    // process is spawned: node and tsx take a second or two to start (far more on a loaded machine), which a
    // simulated member does not, and which is no part of the rebalance the protocols are compared on.
    const startMember = (groupName: string, index?: number, onStarted?: (timeMs: number) => void): MemberProcess => {
      const group = scenario.groups.find((candidate) => candidate.name === groupName);
      if (group === undefined) throw new Error(`no group ${groupName} in the scenario`);
      const memberIndex = index ?? nextIndex.get(groupName) ?? 0;
      nextIndex.set(groupName, Math.max(nextIndex.get(groupName) ?? 0, memberIndex + 1));
      const name = `${groupName}/member-${memberIndex}`;
      const member = new MemberProcess(group, memberIndex, plan.variantOf(group), bootstrap, originMs, emit, (timeMs) => {
        onStarted?.(timeMs);
        emit({ type: 'member.started', timeMs, group: groupName, member: name });
      });
      const list = (members.get(groupName) ?? []).filter((other) => other.index !== memberIndex);
      members.set(groupName, [...list, member].sort((a, b) => a.index - b.index));
      return member;
    };
    for (const group of scenario.groups) for (let index = 0; index < group.members; index += 1) startMember(group.name, index);
    log(`waiting for ${scenario.groups.length} group(s) to form`);
    const liveMembers = (group: string) => (members.get(group) ?? []).filter((member) => member.isRunning());
    const forming = scenario.groups.map((group) => ({ name: group.name, topics: group.topics, live: () => liveMembers(group.name) }));
    const unformed = await awaitRealGroupsFormed(forming, cluster.admin, (topic) => partitions[topic] ?? 0, options.formationTimeoutMs);
    const runStartMs = startWorkload();
    const release = () => {
      buffer.release(nowMs());
      releasing = systemClock.setTimeout(release, 100);
    };
    release();
    if (unformed !== undefined) {
      // As a simulated run's setup error: the run fails with its reason, and no workload runs.
      const where = [...members.values()].flat().map((member) => `${member.name}: ${member.lastState ?? 'no state'}, owning ${member.owned.size}; ${member.stderr().trim().slice(-300)}`);
      emit({ type: 'run.error', timeMs: nowMs(), error: `${unformed}; ${where.join('; ')}` });
      log(`${unformed}; ${where.join('; ')}`);
    } else {
      log(`workload running for ${scenario.durationMs} ms of real time`);
      for (const [index, spec] of scenario.producers.entries()) {
        const producer = new PacedProducer({ index, spec, bootstrap, runStartMs, durationMs: scenario.durationMs, random: fork(random, `producer-${index}/keys`), emit });
        producers.push(producer);
        producer.start();
      }
      const timeline = runTimeline(scenario.timeline, {
        cluster,
        nowMs,
        emit,
        liveMembers,
        startMember,
        random,
        drawValue: modules.drawValue,
        firstGroup: scenario.groups[0]?.name,
        firstTopic: scenario.topics[0]?.name,
        skipped,
      });
      await sleep(scenario.durationMs - nowMs());
      await Promise.all(producers.map((producer) => producer.stop()));
      await timeline;
      log(`workload done: ${acked.size} records acknowledged, ${processed.size} processed; draining`);
      // As the simulated runner drains: stopped brokers start again, and a group with no live member gets its member-0 back.
      for (const brokerId of [...brokersDown].sort((a, b) => a - b)) {
        await cluster.control('start', brokerId);
        emit({ type: 'broker.started', timeMs: nowMs(), broker: brokerId });
      }
      for (const group of scenario.groups) if (liveMembers(group.name).length === 0 && (nextIndex.get(group.name) ?? 0) > 0) startMember(group.name, 0);
      await waitUntil(() => [...acked].every((id) => processed.has(id)), options.drainTimeoutMs ?? 30_000, 'the members processing every acknowledged record').catch((error: unknown) => log((error as Error).message));
    }
    // Lines still on their way are in time order once the window has passed.
    await sleep(reorderWindowMs);
    if (releasing !== undefined) systemClock.clearTimeout(releasing);
    buffer.flush();
    const simulatedMs = nowMs();
    const endEvent: TraceEvent = { type: 'run.ended', timeMs: simulatedMs };
    options.onTrace?.(endEvent);
    analyzer.observe(endEvent);
    ended = true;
    const wallMs = systemClock.now() - wallStartMs;
    const analysis = analyzer.finish(wallMs);
    log(`run done: ${analysis.violations.length} violation(s), ${skipped.length} skipped`);
    for (const member of [...members.values()].flat()) log(`${member.name}: ${member.isRunning() ? 'running' : 'exited'}, ${member.lastState ?? 'no state'}, owning ${member.owned.size}${member.stderr().trim() === '' ? '' : `; stderr: ${member.stderr().trim().slice(-500)}`}`);
    return {
      result: {
        scenario: scenario.name,
        ...(key.case === undefined ? {} : { case: key.case }),
        variant: key.variant,
        seed: key.seed,
        traceHash: analysis.traceHash,
        simulatedMs,
        wallMs,
        metrics: analysis.metrics,
        rebalances: analysis.rebalances,
        series: analysis.series,
        violations: analysis.violations,
      },
      skipped,
    };
  } finally {
    ended = true;
    if (releasing !== undefined) systemClock.clearTimeout(releasing);
    await Promise.all(producers.map((producer) => producer.stop().catch(() => undefined)));
    await Promise.all([...members.values()].flat().map((member) => member.close(10_000).catch(() => undefined)));
    await cluster?.stop();
    if (options.keepData !== true) rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** An event stamped from the setup's start, stamped from the workload's (every time it carries). */
function shifted(event: TraceEvent, shiftMs: number): TraceEvent {
  if (event.type === 'member.rebalance') return { ...event, timeMs: event.timeMs + shiftMs, startMs: event.startMs + shiftMs, endMs: event.endMs + shiftMs };
  return { ...event, timeMs: event.timeMs + shiftMs };
}
