/**
 * An experiment: every case x variant x seed of a scenario, one run after another (each run is a whole cluster on
 * its own clock; one at a time keeps the figures of one run free of the others' load), and the command that
 * replays any one of them.
 */
import type { RunKey, RunResult, Scenario } from '../model.js';
import { resolveVariants } from '../scenario/index.js';
import { wallNowMs } from './wall-clock.js';
import { runScenario } from './run-scenario.js';

export interface ExperimentResult {
  scenario: Scenario;
  runs: RunResult[];
  wallMs: number;
  /** Simulated time of every run, summed. */
  simulatedMs: number;
}

export interface ExperimentOptions {
  seeds: readonly number[];
  /** Default: the scenario's variants. */
  variants?: readonly string[];
  /** Default: the scenario's cases (none: one run per variant and seed without a case). */
  cases?: readonly string[];
  onRun?: (result: RunResult, done: number, total: number) => void;
}

export async function runExperiment(scenario: Scenario, options: ExperimentOptions): Promise<ExperimentResult> {
  const wallStartMs = wallNowMs();
  const variants = resolveVariants(scenario, options.variants).map((variant) => variant.name);
  const cases: ReadonlyArray<string | undefined> = options.cases ?? (scenario.cases.length === 0 ? [undefined] : scenario.cases.map((scenarioCase) => scenarioCase.name));
  const total = cases.length * variants.length * options.seeds.length;
  const runs: RunResult[] = [];
  for (const scenarioCase of cases) {
    for (const variant of variants) {
      for (const seed of options.seeds) {
        const result = await runScenario(scenario, { ...(scenarioCase === undefined ? {} : { case: scenarioCase }), variant, seed });
        runs.push(result);
        options.onRun?.(result, runs.length, total);
      }
    }
  }
  return { scenario, runs, wallMs: wallNowMs() - wallStartMs, simulatedMs: runs.reduce((sum, run) => sum + run.simulatedMs, 0) };
}

/** The command that replays one run: `pnpm kactor experiment replay <source> --seed 17 --variant consumer [--case x]`. */
export function replayCommand(source: string, key: Pick<RunKey, 'case' | 'variant' | 'seed'>): string {
  const quoted = /^[\w./:@-]+$/.test(source) ? source : `'${source.replaceAll("'", "'\\''")}'`;
  return `pnpm kactor experiment replay ${quoted} --seed ${key.seed} --variant ${key.variant}${key.case === undefined ? '' : ` --case ${key.case}`}`;
}
