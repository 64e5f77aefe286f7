/**
 * `kactor experiment replay <name|file.yaml> --seed N [--variant V] [--case C]`: runs exactly one run of a
 * scenario again (the same scenario, seed and variant give the same trace, so the printed trace hash matches
 * the original run's) and prints what happened in it: each timeline action and each rebalance at its
 * simulated time, and its violations. With --dashboard the run's actors are shown in the dashboard
 * (experiment-dashboard.ts).
 */
import { resolveVariants, runScenario, type RunOptions, type RunResult, type TraceEvent } from './experiment-library.js';
import { runCoordinates, timelineLines } from './experiment-output.js';
import { VIOLATION_EXIT_CODE } from './experiment-options.js';
import { checkCases, loadForCommand } from './experiment-run.js';

export interface ReplayCommandOptions {
  seed: number;
  variant?: string;
  case?: string;
  quick?: boolean;
  dashboard?: boolean;
  speed: number;
  port: number;
}

type TimelineTrace = Extract<TraceEvent, { type: 'timeline' }>;

/** Runs one run with the given observers (the dashboard adds its own). */
export type OneRun = (options: RunOptions) => Promise<RunResult>;

/** How a replay is watched besides its printed timeline: the dashboard runs it with its observers, then plays it. */
export interface ReplayWatcher {
  run(oneRun: OneRun): Promise<RunResult>;
  /** After the timeline is printed. */
  afterPrint(): Promise<void>;
}

/** Replays the run and prints it; resolves to the exit code (1 when the run had a violation). */
export async function replayExperimentCommand(nameOrFile: string, options: ReplayCommandOptions, watcher?: ReplayWatcher): Promise<number> {
  const { scenario, source } = loadForCommand(nameOrFile, options.quick === true);
  if (options.case !== undefined) checkCases(scenario, source, [options.case]);
  // An unknown --variant is the scenario library's error (a ScenarioError naming the known ones).
  const variant = options.variant === undefined ? resolveVariants(scenario)[0]?.name : resolveVariants(scenario, [options.variant])[0]?.name;
  if (variant === undefined) throw new Error(`scenario ${scenario.name} has no variant to run`);
  const key = { variant, seed: options.seed, ...(options.case === undefined ? {} : { case: options.case }) };
  const actions: TimelineTrace[] = [];
  const run: OneRun = (runOptions) =>
    runScenario(scenario, key, {
      ...runOptions,
      onTrace: (event) => {
        if (event.type === 'timeline') actions.push(event);
        runOptions.onTrace?.(event);
      },
    });
  const result = watcher === undefined ? await run({}) : await watcher.run(run);
  process.stdout.write(`replay of ${scenario.name} ${runCoordinates(result)}: trace hash ${result.traceHash}\n`);
  process.stdout.write(`${Math.round(result.simulatedMs / 1000)} s simulated in ${Math.round(result.wallMs)} ms\n`);
  for (const line of timelineLines(actions, result.rebalances)) process.stdout.write(`${line}\n`);
  if (result.violations.length === 0) process.stdout.write('no violations\n');
  for (const violation of result.violations) process.stdout.write(`VIOLATION ${violation.checker} ${runCoordinates(result)}: ${violation.detail}\n`);
  await watcher?.afterPrint();
  return result.violations.length > 0 ? VIOLATION_EXIT_CODE : 0;
}
