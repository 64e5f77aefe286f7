/**
 * What `kactor experiment` reads with the experiment library's help and how it says what went wrong:
 * `--seeds` as a count, a range or a list (read when the command runs), and a bad scenario as one `file:line:col: message` line per problem
 * (exit code 2, as compilers and linters do for bad input), any other failure as one line (exit code 1).
 */
import { InvalidArgumentError } from 'commander';
import { describeError } from '../support/errors.js';
import { parseSeeds, ScenarioError } from './experiment-library.js';

/** Exit code of a scenario that does not validate (or a name that is neither a built-in nor a file). */
export const BAD_SCENARIO_EXIT_CODE = 2;
/** Exit code of a run in which a checker found a violation. */
export const VIOLATION_EXIT_CODE = 1;

/** `--seeds 20` (seeds 1..20), `--seeds 1..100`, `--seeds 5,9`: the scenario library's own reading. */
export function seedsOption(value: string): number[] {
  try {
    return parseSeeds(value);
  } catch (error) {
    throw new InvalidArgumentError(`--seeds takes a count (20), a range (1..100) or a list (5,9), got "${value}": ${firstLine(describeError(error))}`);
  }
}

/** What the command prints on stderr for a failure, and the exit code. */
export interface ExperimentFailure {
  lines: string[];
  exitCode: number;
}

/** A bad scenario: the library's own lines, one per problem (`file:line:col: path: message`). */
export function scenarioErrorLines(error: ScenarioError): string[] {
  return error.message.split('\n').filter((line) => line !== '');
}

/** The builtins' error for a name that is neither a built-in experiment nor a scenario file (it lists the built-ins). */
const UNKNOWN_EXPERIMENT_ERROR = 'UnknownExperimentError';

/** A failure of `kactor experiment <subcommand>` as the user sees it: never a stack trace. */
export function describeExperimentFailure(subcommand: string, error: unknown): ExperimentFailure {
  if (error instanceof ScenarioError) return { lines: scenarioErrorLines(error), exitCode: BAD_SCENARIO_EXIT_CODE };
  if (error instanceof Error && error.name === UNKNOWN_EXPERIMENT_ERROR) return { lines: [`kactor experiment ${subcommand}: ${firstLine(error.message)}`], exitCode: BAD_SCENARIO_EXIT_CODE };
  const exitCode = error !== null && typeof error === 'object' && typeof (error as { exitCode?: unknown }).exitCode === 'number' ? (error as { exitCode: number }).exitCode : 1;
  return { lines: [`kactor experiment ${subcommand}: ${firstLine(describeError(error))}`], exitCode };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
