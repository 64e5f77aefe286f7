/**
 * CI's bounded swarm (issue 15): every built-in experiment in its quick form, two seeds spread over every variant,
 * with every checker on. Swarm testing (Groce et al., ISSTA 2012; TigerBeetle's VOPR tunes its faults per seed
 * the same way): each seed enables its own random subset of faults, added to the experiment's timeline (a
 * member crash, a broker killed and restarted, a short network partition between a member and the brokers, a
 * slow link, a short stop-the-world pause), so that two seeds try two different mixes instead of every seed
 * trying every fault at once. No run may report a violation, and each experiment's report is written and names
 * every variant.
 *
 * A failing run prints its seed, variant and faults, and the command that replays it: the scenario it ran (the
 * quick form plus the faults) is kept as a JSON file in the system's temporary folder for that command.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededRandom, type Random } from '@kactor/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCase, builtinExperiments, loadExperiment, replayCommand, resolveVariants, runScenario, writeReport } from '@kactor/simulation';
import type { RunResult, Scenario, TimelineEvent } from '@kactor/simulation';

/**
 * Two seeds, two fault mixes, per experiment, spread over its variants (variant i runs seed 1 + i mod 2) so that
 * every CI run tries both mixes and every variant within its time budget. `KACTOR_SWARM_SEEDS=N` runs every
 * variant for seeds 1..N instead: the longer sweep, behind a flag; beyond that, more seeds are the command's job.
 */
const FULL_SWARM_SEEDS = Number(process.env.KACTOR_SWARM_SEEDS ?? 0);
const SEEDS = FULL_SWARM_SEEDS > 0 ? Array.from({ length: FULL_SWARM_SEEDS }, (_, index) => index + 1) : [1, 2];
const runsSeed = (seed: number, variantIndex: number): boolean => FULL_SWARM_SEEDS > 0 || seed === SEEDS[variantIndex % SEEDS.length];
/**
 * Per experiment (all its variants and seeds). A quick run costs about 1 s of CPU to set up and a few ms per
 * record today, 2-3 s in all, and the whole swarm about two minutes of CPU; on two cores shared with other test
 * files the wall-clock time is several times that, so the bound is generous: it catches a run that hangs, not a
 * slow machine.
 */
const EXPERIMENT_TIMEOUT_MS = 300_000;

const reports = mkdtempSync(join(tmpdir(), 'kactor-swarm-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

/** A fault the swarm may add, given the run's scenario, its random and the window it may act in. */
interface Fault {
  name: string;
  /** Whether the fault makes sense for this scenario (e.g. no broker kill beside the scenario's own). */
  applies(scenario: Scenario): boolean;
  events(scenario: Scenario, random: Random, window: { fromMs: number; toMs: number }): TimelineEvent[];
}

const brokerNames = (scenario: Scenario) => Array.from({ length: scenario.cluster.brokers }, (_, broker) => `broker-${broker}`);
const between = (random: Random, fromMs: number, toMs: number) => fromMs + random.nextInt(Math.max(1, toMs - fromMs));
const firstGroup = (scenario: Scenario) => scenario.groups[0]!;
const someMember = (scenario: Scenario, random: Random) => `${firstGroup(scenario).name}/member-${random.nextInt(firstGroup(scenario).members)}`;

const FAULTS: readonly Fault[] = [
  {
    name: 'member crash',
    applies: () => true,
    events: (scenario, random, { fromMs, toMs }) => [{ at: between(random, fromMs, toMs), action: 'member.crash', group: firstGroup(scenario).name, count: 1, drawn: true }],
  },
  {
    // A broker killed and restarted 5-15 s later; left out where the scenario kills brokers itself, so that the
    // swarm never restarts a broker the scenario meant to keep down.
    name: 'broker kill and restart',
    applies: (scenario) => !scenario.timeline.some((event) => event.action.startsWith('broker.')),
    events: (scenario, random, { fromMs, toMs }) => {
      const broker = random.nextInt(scenario.cluster.brokers);
      const killedMs = between(random, fromMs, toMs);
      return [
        { at: killedMs, action: 'broker.kill', broker },
        { at: killedMs + 5_000 + random.nextInt(10_000), action: 'broker.restart', broker },
      ];
    },
  },
  {
    // Shorter than any session timeout in the built-ins, so it tests retries and reconnection, not eviction.
    name: 'network partition',
    applies: () => true,
    events: (scenario, random, { fromMs, toMs }) => [
      { at: between(random, fromMs, toMs), action: 'network.partition', between: [[someMember(scenario, random)], brokerNames(scenario)], durationMs: 2_000 + random.nextInt(4_000) },
    ],
  },
  {
    name: 'slow link',
    applies: () => true,
    events: (scenario, random, { fromMs, toMs }) => [
      { at: between(random, fromMs, toMs), action: 'link.slow', between: [[firstGroup(scenario).name], brokerNames(scenario)], latencyMs: 20 + random.nextInt(80), durationMs: 10_000 },
    ],
  },
  {
    name: 'member pause',
    applies: () => true,
    events: (scenario, random, { fromMs, toMs }) => [
      { at: between(random, fromMs, toMs), action: 'member.pause', group: firstGroup(scenario).name, member: random.nextInt(firstGroup(scenario).members), durationMs: 1_000 + random.nextInt(3_000) },
    ],
  },
];

/**
 * The seed's fault mix: each applicable fault enabled with probability one half (at least one), acting between
 * 20% and 60% of the run so that the group has the rest of the run to recover before the checkers look.
 */
function swarmFaults(scenario: Scenario, seed: number): { names: string[]; events: TimelineEvent[] } {
  const random = createSeededRandom(`swarm:${scenario.name}:${seed}`);
  const candidates = FAULTS.filter((fault) => fault.applies(scenario));
  let enabled = candidates.filter(() => random.nextInt(2) === 0);
  if (enabled.length === 0) enabled = [candidates[random.nextInt(candidates.length)]!];
  const window = { fromMs: Math.round(scenario.durationMs * 0.2), toMs: Math.round(scenario.durationMs * 0.6) };
  return { names: enabled.map((fault) => fault.name), events: enabled.flatMap((fault) => fault.events(scenario, random, window)) };
}

function describeFailure(result: RunResult, faults: readonly string[], file: string): string {
  const violations = result.violations.map((violation) => `    ${violation.checker}: ${violation.detail}`).join('\n');
  return `${result.scenario} seed ${result.seed} variant ${result.variant} (faults: ${faults.join(', ')}):\n${violations}\n  replay: ${replayCommand(file, result)}`;
}

describe('the built-in experiments, quick, two seeds over their variants, a random fault mix per seed', () => {
  it('lists the seven built-ins', () => {
    expect(builtinExperiments()).toHaveLength(7);
  });

  it.each(builtinExperiments().map((builtin) => builtin.name))('%s: no checker finds a violation, and its report names every variant', { timeout: EXPERIMENT_TIMEOUT_MS }, async (name) => {
    const { scenario: full } = loadExperiment(name);
    const scenario = applyCase(full, { name: 'quick', set: full.quick });
    const variants = resolveVariants(scenario).map((variant) => variant.name);
    const runs: RunResult[] = [];
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const faults = swarmFaults(scenario, seed);
      const faulted: Scenario = { ...scenario, timeline: [...scenario.timeline, ...faults.events] };
      for (const [variantIndex, variant] of variants.entries()) {
        if (!runsSeed(seed, variantIndex)) continue;
        const result = await runScenario(faulted, { variant, seed });
        runs.push(result);
        expect(result.simulatedMs).toBeGreaterThan(0);
        if (result.violations.length > 0) {
          const file = join(tmpdir(), `kactor-swarm-${name}-seed-${seed}.json`);
          writeFileSync(file, JSON.stringify(faulted, null, 2));
          failures.push(describeFailure(result, faults.names, file));
        }
      }
    }
    if (failures.length > 0) console.error(failures.join('\n'));
    expect(failures).toEqual([]);

    const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
    const simulatedMs = runs.reduce((sum, run) => sum + run.simulatedMs, 0);
    const outDir = join(reports, name);
    const { files } = await writeReport({ scenario, runs, wallMs, simulatedMs }, outDir, { source: name });
    const report = join(outDir, 'report.md');
    expect(files.length).toBeGreaterThan(0);
    expect(existsSync(report)).toBe(true);
    const text = readFileSync(report, 'utf8');
    for (const variant of variants) expect(text).toContain(variant);
  });
});
