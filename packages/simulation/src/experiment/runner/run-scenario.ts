/**
 * One run: a scenario (with a case's overrides) under one variant and one seed, on a whole simulated cluster. The
 * brokers, the members, the producers and the timeline run on one simulated clock; every random is a fork of one
 * seeded random named by the run's coordinates, so the same coordinates give the same trace, byte for byte. Each
 * trace event goes to the analyzers as it is written; the result is what they found.
 *
 * The setup comes first: the brokers start, the topics are created and led, the groups' first members start and the
 * groups form (awaitGroupsFormed: every member reconciled with its coordinator, under each protocol). Only then do the
 * producers and the timeline start, at trace time 0, where the measured window opens; the setup's events are in the
 * trace before it, at negative times (run.started's workloadStartMs), checked but not measured.
 *
 * After the timeline's duration comes a bounded drain: the faults are healed, paused processes resumed, slow pollers
 * poll again, stopped brokers started again, the producers stop, timeline steps still pending are dropped, and the
 * groups get up to DRAIN_MAX_MS to settle (every live member stable, each partition held by exactly one of them: a
 * member cut off for a while may not have learned of its eviction yet) and to process every acknowledged record
 * (what is still missing then is for the checkers to report).
 */
import { Admin } from '@kactor/client';
import { createLogger, createSeededRandom, fork } from '@kactor/runtime';
import { controllerRecord } from '../../replica-state.js';
import { SimulatedCluster } from '../../simulated-cluster.js';
import { TraceAnalyzer } from '../analysis/index.js';
import type { Case, GroupSpec, RunResult, Scenario } from '../model.js';
import { applyCase, resolveVariants } from '../scenario/index.js';
import { wallNowMs } from './wall-clock.js';
import { Agenda } from './agenda.js';
import { CatchUp } from './catch-up.js';
import { ExperimentGroup } from './experiment-group.js';
import { errorName } from './error-name.js';
import { awaitGroupsFormed } from './group-formation.js';
import { transformedTopic } from './member.js';
import { LEADER_ONLY_ACKS, planLeaderLoss } from './planted-leader-loss.js';
import { RunContext } from './run-context.js';
import type { RunOptions } from './run-options.js';
import { RunSetupError } from './run-setup-error.js';
import { Timeline } from './timeline.js';
import { TraceWriter } from './trace-writer.js';
import { WorkloadProducer } from './workload-producer.js';

/** The longest the drain phase waits (simulated) for the groups to settle and process every acknowledged record. */
export const DRAIN_MAX_MS = 120_000;
/** How often the drain phase looks whether the groups caught up. */
const DRAIN_CHECK_MS = 100;
/** The longest setting up the cluster and its topics may take (simulated) before the run fails. */
const SETUP_MAX_MS = 120_000;

export { RunSetupError };

export async function runScenario(base: Scenario, key: { case?: string; variant: string; seed: number }, options: RunOptions = {}): Promise<RunResult> {
  const wallStartMs = wallNowMs();
  const scenario = key.case === undefined ? base : applyCase(base, findCase(base, key.case));
  const [variant] = resolveVariants(scenario, [key.variant]);
  if (variant === undefined) throw new RunSetupError(`no variant "${key.variant}"`);
  const random = createSeededRandom(`${scenario.name}/${key.case ?? ''}/${key.variant}/${key.seed}`);
  const cluster = new SimulatedCluster({
    brokers: scenario.cluster.brokers,
    ...(scenario.cluster.controllers === undefined ? {} : { controllers: scenario.cluster.controllers }),
    latencyMs: scenario.cluster.latencyMs,
    brokerConfig: { ...scenario.cluster.config, ...variant.brokerConfig },
    seed: fork(random, 'cluster').nextInt(2 ** 40),
    inspect: options.inspect,
  });
  const clockStartMs = cluster.clock.now();
  const trace = new TraceWriter(() => cluster.clock.now());
  const analyzer = new TraceAnalyzer({ durationMs: scenario.durationMs });
  trace.add(analyzer);
  const onTrace = options.onTrace;
  if (onTrace !== undefined) trace.add({ observe: (event) => onTrace(event) });
  const run = new RunContext(scenario, cluster, trace, random, createLogger({ clock: cluster.clock }), options.plant);
  const groups = new Map(scenario.groups.map((group, index) => [group.name, new ExperimentGroup(run, group, groupVariant(scenario, group, variant.name), index === 0)]));
  const catchUp = new CatchUp(new Map(scenario.groups.map((group) => [group.name, group.topics])));
  trace.add(catchUp);
  const agenda = new Agenda();
  const producers: WorkloadProducer[] = [];

  try {
    const admin = await setUp(run);
    // The producers exist before run.started, which says whether each is idempotent (sending starts with the workload).
    const producerOverrides = options.plant === 'ack-before-isr' ? LEADER_ONLY_ACKS : {};
    scenario.producers.forEach((spec, index) => producers.push(new WorkloadProducer(run, spec, index, producerOverrides)));
    const partitionCounts = Object.fromEntries(scenario.topics.map((topic) => [topic.name, topic.partitions]));
    trace.write({
      type: 'run.started',
      workloadStartMs: 0,
      partitions: partitionCounts,
      groups: Object.fromEntries(scenario.groups.map((group) => [group.name, { topics: [...group.topics], guarantee: group.commit === 'transactional' ? 'exactly-once' : 'at-least-once' }])),
      producers: Object.fromEntries(producers.map((producer) => [producer.name, { topic: producer.topic, idempotent: producer.idempotent }])),
    });
    for (const group of groups.values()) group.join(group.spec.members);
    await awaitGroupsFormed(run, admin, [...groups.values()], (topic) => partitionCounts[topic] ?? 0);
    trace.startWorkload();
    for (const producer of producers) producer.start(scenario.durationMs);
    const timeline = new Timeline(run, groups, admin, agenda);
    timeline.schedule(scenario.timeline);
    if (options.plant === 'ack-before-isr') planLeaderLoss(run, agenda);
    await drive(run, agenda, scenario.durationMs);
    await drain(run, { groups, producers, timeline, catchUp });
  } catch (error) {
    // A run that fails in its setup still hands the setup's events to the analyzers (a no-op once the workload started).
    trace.startWorkload();
    trace.write({ type: 'run.error', error: errorName(error) });
  }
  for (const [client, counter] of [...run.requestCounters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (client.includes('/member-')) trace.write({ type: 'client.requests', client, requests: counter.snapshot() });
  }
  trace.write({ type: 'run.ended' });
  const wallMs = wallNowMs() - wallStartMs;
  const analysis = analyzer.finish(wallMs);
  return {
    scenario: scenario.name,
    ...(key.case === undefined ? {} : { case: key.case }),
    variant: key.variant,
    seed: key.seed,
    traceHash: analysis.traceHash,
    simulatedMs: cluster.clock.now() - clockStartMs,
    wallMs,
    metrics: analysis.metrics,
    rebalances: analysis.rebalances,
    series: analysis.series,
    violations: analysis.violations,
  };
}

function findCase(scenario: Scenario, name: string): Case {
  const found = scenario.cases.find((candidate) => candidate.name === name);
  if (found === undefined) throw new RunSetupError(`the scenario ${scenario.name} has no case "${name}" (its cases: ${scenario.cases.map((candidate) => candidate.name).join(', ') || 'none'})`);
  return found;
}

/** The variant a group runs: its own pinned one, or the run's. */
function groupVariant(scenario: Scenario, group: GroupSpec, runVariant: string) {
  const [variant] = resolveVariants(scenario, [group.variant ?? runVariant]);
  if (variant === undefined) throw new RunSetupError(`no variant "${group.variant ?? runVariant}" for group ${group.name}`);
  return variant;
}

/** Starts the brokers and creates the topics (and each transactional group's output topic); returns the run's Admin. */
async function setUp(run: RunContext): Promise<Admin> {
  const { cluster, scenario } = run;
  await cluster.startAll();
  const admin = Admin.create({ 'bootstrap.servers': cluster.bootstrapServers }, run.runtime('admin'));
  const topics = scenario.topics.map((topic) => ({ name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor, configs: { ...topic.config } }));
  for (const group of scenario.groups) {
    if (group.commit !== 'transactional') continue;
    const replicationFactor = Math.min(scenario.cluster.brokers, scenario.topics[0]?.replicationFactor ?? 1);
    topics.push({ name: transformedTopic(group.name), numPartitions: 1, replicationFactor, configs: {} });
  }
  const results = await run.settle(admin.createTopics(topics), 'the topics are created', SETUP_MAX_MS);
  const failed = results.find((result) => result.error !== null);
  if (failed?.error) throw new RunSetupError(`creating topic ${failed.name} failed: ${failed.error.message}`);
  // Every partition has a leader before the workload starts, so the first seconds measure the groups, not the setup.
  const led = (): boolean => topics.every((topic) => Array.from({ length: topic.numPartitions }, (_, index) => controllerRecord(cluster, topic.name, index)).every((record) => record !== undefined && record.leader >= 0));
  await cluster.until(led, 'every partition has a leader', SETUP_MAX_MS);
  return admin;
}

/** Runs the clock to `untilMs` (ms since the workload started), applying the agenda's items at their times. */
async function drive(run: RunContext, agenda: Agenda, untilMs: number): Promise<void> {
  for (let next = agenda.peek(); next !== undefined && next.atMs <= untilMs; next = agenda.peek()) {
    agenda.take();
    const waitMs = next.atMs - run.trace.now();
    if (waitMs > 0) await run.cluster.advance(waitMs);
    try {
      await next.run();
    } catch (error) {
      run.trace.write({ type: 'run.error', error: errorName(error) });
    }
  }
  const restMs = untilMs - run.trace.now();
  if (restMs > 0) await run.cluster.advance(restMs);
}

interface DrainParts {
  groups: ReadonlyMap<string, ExperimentGroup>;
  producers: readonly WorkloadProducer[];
  timeline: Timeline;
  catchUp: CatchUp;
}

/**
 * The faults end and the groups get to finish: links healed, paused members resumed, stopped brokers started
 * again, and a group left with no live member gets its member-0 back (someone must read what was acknowledged).
 */
async function drain(run: RunContext, { groups, producers, timeline, catchUp }: DrainParts): Promise<void> {
  for (const producer of producers) producer.stop();
  timeline.healLinks();
  for (const brokerId of run.cluster.brokerIds) {
    if (run.cluster.isRunning(brokerId)) {
      run.cluster.resume(brokerId);
      continue;
    }
    await run.cluster.start(brokerId);
    run.trace.write({ type: 'broker.started', broker: brokerId });
  }
  for (const group of groups.values()) {
    for (const member of group.live()) {
      member.resume();
      member.endSlowPoll();
    }
    if (group.live().length === 0) group.members[0]?.start();
  }
  const deadlineMs = run.trace.now() + DRAIN_MAX_MS;
  const done = (): boolean =>
    producers.every((producer) => producer.settled) && catchUp.caughtUp() && [...groups.values()].every((group) => group.settled((topic) => catchUp.partitionCount(topic)));
  while (run.trace.now() < deadlineMs && !done()) {
    await run.cluster.advance(DRAIN_CHECK_MS);
  }
}
