import type { RunKey, RunResult } from '../model.js';

/**
 * The `kactor experiment` command lines the report prints: how to replay one run and how to run the whole
 * experiment again. They follow the runner's `replayCommand` (`pnpm kactor experiment replay <source>
 * --seed 17 --variant consumer [--case x]`); `--quick` is added for a quick run, whose overrides change
 * the scenario, so that the replay is the same run.
 */

export interface CommandContext {
  /** The built-in experiment's name or the scenario file, as the user named it. */
  source: string;
  quick: boolean;
}

/** Quotes an argument for a POSIX shell when it holds anything but plain name characters. */
export function shellArgument(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function replayCommandLine(context: CommandContext, key: Pick<RunKey, 'case' | 'variant' | 'seed'>): string {
  const parts = ['pnpm kactor experiment replay', shellArgument(context.source), '--seed', String(key.seed), '--variant', shellArgument(key.variant)];
  if (key.case !== undefined) parts.push('--case', shellArgument(key.case));
  if (context.quick) parts.push('--quick');
  return parts.join(' ');
}

/**
 * The seeds as `--seeds` reads them: a count for 1..n, a range `a..b` for consecutive seeds, otherwise a
 * comma list.
 */
export function seedsArgument(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  if (sorted.length === 0) return '0';
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const consecutive = last - first + 1 === sorted.length;
  if (consecutive && first === 1) return String(sorted.length);
  if (consecutive && sorted.length > 2) return `${first}..${last}`;
  return sorted.join(',');
}

function uniqueInOrder(names: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** The command that runs the same experiment again (same seeds, variants and cases) into `outDir`. */
export function runCommandLine(context: CommandContext, runs: readonly RunResult[], outDir: string): string {
  const variants = uniqueInOrder(runs.map((run) => run.variant));
  const cases = uniqueInOrder(runs.map((run) => run.case));
  const parts = ['pnpm kactor experiment run', shellArgument(context.source), '--seeds', seedsArgument(runs.map((run) => run.seed))];
  if (variants.length > 0) parts.push('--variants', shellArgument(variants.join(',')));
  if (cases.length > 0) parts.push('--cases', shellArgument(cases.join(',')));
  if (context.quick) parts.push('--quick');
  parts.push('--out', shellArgument(outDir));
  return parts.join(' ');
}
