/**
 * A whole experiment against real processes: every case x variant x seed one after another (each run has its
 * own cluster; runs never share processes, and one at a time keeps their timing honest). The result has the
 * shape of the simulated runner's runExperiment, so the report code works unchanged, plus what was skipped.
 */
import { systemClock } from '@kactor/runtime';
import { runRealScenario, type RealRunOptions } from './run-real-scenario.js';
import type { RunResult, Scenario } from './simulation-adapter.js';

export interface RealExperimentOptions {
  seeds: readonly number[];
  /** Default: the scenario's variants, or the three built-in protocols when it defines none. */
  variants?: readonly string[];
  /** Default: every case of the scenario, or none. */
  cases?: readonly string[];
  onRun?: (result: RunResult, done: number, total: number) => void;
  dataDir: string;
  log?: RealRunOptions['log'];
}

export interface RealExperimentResult {
  scenario: Scenario;
  runs: RunResult[];
  wallMs: number;
  /** The runs' workload time summed: real time, here. */
  simulatedMs: number;
  /** What real processes could not reproduce, once each, in words. */
  skipped: string[];
}

export async function runRealExperiment(scenario: Scenario, options: RealExperimentOptions): Promise<RealExperimentResult> {
  const startedMs = systemClock.now();
  const variants = options.variants ?? (scenario.variants.length > 0 ? scenario.variants.map((variant) => variant.name) : ['classic-eager', 'classic-cooperative', 'consumer']);
  const cases: ReadonlyArray<string | undefined> = options.cases ?? (scenario.cases.length > 0 ? scenario.cases.map((scenarioCase) => scenarioCase.name) : [undefined]);
  const keys = cases.flatMap((scenarioCase) => variants.flatMap((variant) => options.seeds.map((seed) => ({ ...(scenarioCase === undefined ? {} : { case: scenarioCase }), variant, seed }))));
  const runs: RunResult[] = [];
  const skipped = new Set<string>();
  for (const key of keys) {
    const { result, skipped: runSkipped } = await runRealScenario(scenario, key, { dataDir: options.dataDir, ...(options.log === undefined ? {} : { log: options.log }) });
    for (const note of runSkipped) skipped.add(note);
    runs.push(result);
    options.onRun?.(result, runs.length, keys.length);
  }
  return { scenario, runs, wallMs: systemClock.now() - startedMs, simulatedMs: runs.reduce((sum, run) => sum + run.simulatedMs, 0), skipped: [...skipped] };
}
