/**
 * What `kactor experiment` prints, as pure functions of the library's results: the list of built-in
 * experiments, a line per finished run (when stderr is not a terminal), the checker violations with the
 * command that replays each, and a replayed run's timeline.
 */
import type { BuiltinExperiment, RebalanceMeasurement, RunKey, RunResult, TraceEvent } from './experiment-library.js';
import { replayCommand } from './experiment-library.js';

/** `name   description`, names padded to one column. */
export function builtinListLines(experiments: readonly BuiltinExperiment[]): string[] {
  const width = Math.max(0, ...experiments.map((experiment) => experiment.name.length));
  return experiments.map((experiment) => `${experiment.name.padEnd(width)}  ${experiment.description}`);
}

/** `seed=17 variant=consumer case=large`: a run's coordinates as the flags that select it read. */
export function runCoordinates(key: Pick<RunKey, 'seed' | 'variant' | 'case'>): string {
  return `seed=${key.seed} variant=${key.variant}${key.case === undefined ? '' : ` case=${key.case}`}`;
}

/** One finished run, for logs and pipes (a terminal gets the progress bar instead). */
export function runDoneLine(result: RunResult, done: number, total: number): string {
  const outcome = result.violations.length === 0 ? 'ok' : `${result.violations.length} violation${result.violations.length === 1 ? '' : 's'}`;
  return `run ${done}/${total}: ${runCoordinates(result)}: ${formatSeconds(result.simulatedMs)} simulated in ${Math.round(result.wallMs)} ms, ${outcome}`;
}

/**
 * The command that replays a run: the library's, with `--quick` added when the run was a quick one (the
 * quick overrides change the scenario, so without it the replay would be another run).
 */
export function replayCommandFor(source: string, key: RunKey, quick: boolean): string {
  const command = replayCommand(source, key);
  return quick ? `${command} --quick` : command;
}

/** `VIOLATION <checker> seed=<n> variant=<v> [case=<c>]: <detail>` and the replay command under it, per violation. */
export function violationLines(results: readonly RunResult[], source: string, quick: boolean): string[] {
  return results.flatMap((result) =>
    result.violations.flatMap((violation) => [`VIOLATION ${violation.checker} ${runCoordinates(result)}: ${violation.detail}`, `  replay: ${replayCommandFor(source, result, quick)}`]),
  );
}

/** Simulated time as seconds with milliseconds, `12.345 s`, padded so a timeline's times line up. */
export function formatSeconds(timeMs: number): string {
  return `${(timeMs / 1000).toFixed(3)} s`;
}

function formatMs(durationMs: number): string {
  return `${Math.round(durationMs).toLocaleString('en-US')} ms`;
}

/** One rebalance, said in words: trigger, time to a stable assignment, generations, moves, pauses. */
export function rebalanceText(rebalance: RebalanceMeasurement): string {
  const stable = rebalance.stableMs === undefined ? 'not stable before the run ended' : `stable after ${formatMs(rebalance.stableMs - rebalance.triggerMs)}`;
  const generations = `${rebalance.generations} generation${rebalance.generations === 1 ? '' : 's'}`;
  const moved = `${rebalance.partitionsMoved} partition${rebalance.partitionsMoved === 1 ? '' : 's'} moved`;
  const paused = `members paused ${formatMs(rebalance.pausedMemberMs)}, partially paused ${formatMs(rebalance.partiallyPausedMemberMs)}, partitions unowned ${formatMs(rebalance.unownedPartitionMs)}`;
  return `rebalance of ${rebalance.group} (${rebalance.trigger}): ${stable}, ${generations}, ${moved}; ${paused}`;
}

type TimelineTrace = Extract<TraceEvent, { type: 'timeline' }>;

/** `member.crash app/member-1: killed (kill -9)`: the action, whom it acted on, and how. */
export function timelineActionText(action: TimelineTrace): string {
  const target = action.members !== undefined && action.members.length > 0 ? ` ${action.members.join(', ')}` : action.group === undefined ? '' : ` ${action.group}`;
  return `${action.action}${target}${action.detail === '' ? '' : `: ${action.detail}`}`;
}

/** A replayed run's timeline: each timeline action and each rebalance at its simulated time, in time order. */
export function timelineLines(actions: readonly TimelineTrace[], rebalances: readonly RebalanceMeasurement[]): string[] {
  const entries = [
    ...actions.map((action, order) => ({ timeMs: action.timeMs, order, text: timelineActionText(action) })),
    ...rebalances.map((rebalance, order) => ({ timeMs: rebalance.triggerMs, order: actions.length + order, text: rebalanceText(rebalance) })),
  ].sort((a, b) => a.timeMs - b.timeMs || a.order - b.order);
  const width = Math.max(0, ...entries.map((entry) => formatSeconds(entry.timeMs).length));
  return entries.map((entry) => `${formatSeconds(entry.timeMs).padStart(width)}  ${entry.text}`);
}
