/**
 * `kactor experiment run <name|file.yaml>`: every seed x variant x case of a scenario on the simulated
 * cluster, then a table per metric (median, p95 and worst over seeds), the speed-up in words, the report
 * written to --out, and every checker violation with the command that replays it. Exit code 1 when a run
 * had a violation, 2 when the scenario is bad. With --real the same scenario runs against real processes
 * on 127.0.0.1 (`cluster up` and `kactor consume` members): the fidelity check of the simulator's timing.
 */
import { join } from 'node:path';
import { applyCase, formatTables, loadExperiment, resolveVariants, runExperiment, ScenarioError, speedUpInWords, summarize, writeReport, type Scenario } from './experiment-library.js';
import { violationLines } from './experiment-output.js';
import { seedsOption, VIOLATION_EXIT_CODE } from './experiment-options.js';
import { runProgress } from './experiment-progress.js';

export interface RunCommandOptions {
  /** `--seeds` as given: read by seedsOption when the command runs. */
  seeds?: string;
  variants?: string[];
  cases?: string[];
  out: string;
  quick?: boolean;
  json?: boolean;
  real?: boolean;
}

/** The scenario a run or replay uses: built-in or file, with the quick overrides when asked. */
export function loadForCommand(nameOrFile: string, quick: boolean): { scenario: Scenario; source: string } {
  const { scenario, source } = loadExperiment(nameOrFile);
  return { scenario: quick ? applyCase(scenario, { name: 'quick', set: scenario.quick }) : scenario, source };
}

/**
 * The cases asked for, checked before anything runs (the runner would only find an unknown one when it gets
 * to it): a name the scenario does not define is a bad scenario request, said as the scenario loader says it.
 */
export function checkCases(scenario: Scenario, source: string, names: readonly string[]): void {
  const known = scenario.cases.map((scenarioCase) => scenarioCase.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const choices = known.length === 0 ? 'it has none' : `its cases are ${known.join(', ')}`;
  throw new ScenarioError(source, unknown.map((name) => ({ path: 'cases', message: `no case "${name}" (${choices})` })));
}

/** Runs the experiment and prints its outcome; resolves to the exit code. */
export async function runExperimentCommand(nameOrFile: string, options: RunCommandOptions): Promise<number> {
  const quick = options.quick === true;
  const { scenario, source } = loadForCommand(nameOrFile, quick);
  const seeds = seedsOption(options.seeds ?? String(scenario.seeds));
  if (options.cases !== undefined) checkCases(scenario, source, options.cases);
  const variants = resolveVariants(scenario, options.variants);
  const progress = runProgress();
  progress.start(seeds.length * variants.length * Math.max(1, (options.cases ?? scenario.cases).length));
  let result;
  try {
    const matrix = {
      seeds,
      ...(options.variants === undefined ? {} : { variants: options.variants }),
      ...(options.cases === undefined ? {} : { cases: options.cases }),
      onRun: progress.onRun,
    };
    if (options.real === true) {
      const { runRealExperiment } = await import('../experiment-real/index.js');
      const real = await runRealExperiment(scenario, { ...matrix, dataDir: join(options.out, 'real-clusters') });
      for (const note of real.skipped) process.stderr.write(`skipped (not possible with real processes): ${note}\n`);
      result = real;
    } else {
      result = await runExperiment(scenario, matrix);
    }
  } finally {
    progress.stop();
  }
  const summaries = summarize(result);
  const { files } = await writeReport(result, options.out, { source, quick });
  const report = join(options.out, 'report.md');
  const speedUp = speedUpInWords(result.simulatedMs, result.wallMs);
  const violations = violationLines(result.runs, source, quick);
  if (options.json === true) {
    // stdout is the JSON alone, for scripts; what a person reads goes to stderr.
    process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    process.stderr.write(`${result.runs.length} runs, ${speedUp}; report: ${report}\n`);
    for (const line of violations) process.stderr.write(`${line}\n`);
  } else {
    process.stdout.write(`${formatTables(summaries)}\n`);
    process.stdout.write(`${result.runs.length} runs, ${speedUp}\n`);
    process.stdout.write(`report: ${report} (${files.length} files in ${options.out})\n`);
    for (const line of violations) process.stdout.write(`${line}\n`);
  }
  return violations.length > 0 ? VIOLATION_EXIT_CODE : 0;
}
