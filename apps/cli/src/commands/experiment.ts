/**
 * `kactor experiment list|run|replay`: seeded, whole-cluster experiments comparing consumer-group protocol
 * variants under faults, on @kactor/simulation's simulated cluster (issue 15, docs/EXPERIMENTS.md). The
 * library loads, runs, checks and reports; this command only parses flags and prints.
 */
import type { Command } from 'commander';
import { exitAfterFlush } from '../support/exit.js';
import { portOption } from '../support/options.js';
import { defaultDashboardPort } from './dashboard.js';
import { namesOption, seedOption, speedOption } from './experiment-flags.js';
import type { ReplayCommandOptions } from './experiment-replay.js';
import type { RunCommandOptions } from './experiment-run.js';

/** Where `run` writes its report unless --out says otherwise. */
const DEFAULT_RESULTS_DIRECTORY = 'results/';

/** Runs a subcommand's body and exits with its code; a failure is printed as one line (a bad scenario, one per problem). */
async function exitWith(subcommand: string, body: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (error) {
    const { describeExperimentFailure } = await import('./experiment-options.js');
    const failure = describeExperimentFailure(subcommand, error);
    for (const line of failure.lines) process.stderr.write(`${line}\n`);
    if (process.env.KACTOR_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    code = failure.exitCode;
  }
  return exitAfterFlush(code);
}

export function registerExperimentCommand(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('Seeded whole-cluster experiments on the simulated cluster: compare consumer-group protocol variants under faults, with checkers, tables and plots (docs/EXPERIMENTS.md).');

  experiment
    .command('list')
    .description('The built-in experiments, one line each.')
    .action(() =>
      exitWith('list', async () => {
        const { builtinExperiments } = await import('./experiment-library.js');
        const { builtinListLines } = await import('./experiment-output.js');
        for (const line of builtinListLines(builtinExperiments())) process.stdout.write(`${line}\n`);
        return 0;
      }),
    );

  experiment
    .command('run <experiment>')
    .description(
      'Run a built-in experiment (by name) or a scenario file (YAML or JSON) over seeds x variants x cases; print a table per metric (median, p95, worst over seeds), ' +
        'write the per-seed data, plots and a Markdown report to --out, and print every checker violation with the command that replays it (exit code 1; 2 for a bad scenario).',
    )
    .option('--seeds <N|a..b|a,b>', "a count (20: seeds 1..20), a range (1..100) or a list (5,9); default: the scenario's seeds")
    .option('--variants <a,b,c>', "the variants to compare (built-in protocol names or the scenario's own); default: the scenario's", namesOption('--variants'))
    .option('--cases <x,y>', "the scenario's cases to run; default: all of them", namesOption('--cases'))
    .option('--out <dir>', 'where the report goes (report.md, runs.csv, per-seed JSON, plots/*.svg)', DEFAULT_RESULTS_DIRECTORY)
    .option('--quick', "apply the scenario's quick overrides (a small, fast run)")
    .option('--json', 'print the summaries as JSON instead of tables')
    .option('--real', 'run against real processes on 127.0.0.1 (cluster up and kactor consume members) instead of the simulator; network faults are skipped and said')
    .action((name: string, options: RunCommandOptions) =>
      exitWith('run', async () => {
        const { runExperimentCommand } = await import('./experiment-run.js');
        return runExperimentCommand(name, options);
      }),
    );

  experiment
    .command('replay <experiment>')
    .description(
      'Run one run again (same scenario, seed, variant and case: the same trace hash) and print its timeline (timeline actions, rebalances) and violations; ' +
        "with --dashboard, show its brokers' actors and statecharts in the dashboard, paced by --speed.",
    )
    .requiredOption('--seed <N>', 'the seed of the run', seedOption)
    .option('--variant <V>', "the variant (default: the scenario's first)")
    .option('--case <C>', 'the case, for a scenario with cases')
    .option('--quick', "apply the scenario's quick overrides (as the run did, if it was run with --quick)")
    .option('--dashboard', 'serve the run to the dashboard while it plays, paced against real time')
    .option('--speed <X>', 'with --dashboard: simulated seconds per real second', speedOption, 1)
    .option('--port <P>', 'with --dashboard: port on 127.0.0.1', portOption, defaultDashboardPort)
    .action((name: string, options: ReplayCommandOptions) =>
      exitWith('replay', async () => {
        const { replayExperimentCommand } = await import('./experiment-replay.js');
        if (options.dashboard !== true) return replayExperimentCommand(name, options);
        const { dashboardWatcher } = await import('./experiment-dashboard.js');
        return replayExperimentCommand(name, options, await dashboardWatcher(options));
      }),
    );
}
