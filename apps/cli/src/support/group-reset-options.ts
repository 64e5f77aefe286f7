/**
 * `kactor groups reset-offsets` options as Kafka's kafka-consumer-groups.sh reads them: a scope (`--topic T`
 * or `--topic T:0,2`, repeatable, or `--all-topics`), exactly one reset spec, and `--execute` to apply (a dry
 * run, printing the plan, is the default; `--dry-run` says so explicitly). Pure, so the misuse errors are
 * tested without a cluster; the texts follow Kafka's tool.
 */
import { parseTopicPartitions } from './group-output.js';

export type ResetSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'current' }
  | { kind: 'offset'; offset: number }
  | { kind: 'shiftBy'; shift: number }
  /** --to-datetime, and --by-duration resolved against now: the first offset at or after this time. */
  | { kind: 'timestamp'; timestampMs: number };

export type ResetScope = { kind: 'allTopics' } | { kind: 'topics'; topics: Array<{ topic: string; partitions?: number[] }> };

export interface ResetRequest {
  scope: ResetScope;
  spec: ResetSpec;
  execute: boolean;
}

export interface RawResetOptions {
  topic?: string[];
  allTopics?: boolean;
  toEarliest?: boolean;
  toLatest?: boolean;
  toCurrent?: boolean;
  toOffset?: number;
  shiftBy?: number;
  toDatetime?: string;
  byDuration?: string;
  dryRun?: boolean;
  execute?: boolean;
}

/** A misuse of the options: printed as is, exit code 1. */
export class ResetUsageError extends Error {
  override readonly name = 'ResetUsageError';
}

/** The reset specs in Kafka's order (its `allResetOffsetScenarioOpts`). */
const specFlags = ['--to-datetime', '--by-duration', '--to-earliest', '--to-latest', '--shift-by', '--to-current', '--to-offset'] as const;

export function parseResetOptions(options: RawResetOptions, nowMs: number): ResetRequest {
  if (options.dryRun === true && options.execute === true) throw new ResetUsageError('Option --reset-offsets only accepts one of --execute and --dry-run');
  const given = new Map<(typeof specFlags)[number], boolean>([
    ['--to-datetime', options.toDatetime !== undefined],
    ['--by-duration', options.byDuration !== undefined],
    ['--to-earliest', options.toEarliest === true],
    ['--to-latest', options.toLatest === true],
    ['--shift-by', options.shiftBy !== undefined],
    ['--to-current', options.toCurrent === true],
    ['--to-offset', options.toOffset !== undefined],
  ]);
  const chosen = specFlags.filter((flag) => given.get(flag) === true);
  if (chosen.length === 0) throw new ResetUsageError(`Option --reset-offsets requires one of the following scenarios: ${specFlags.join(', ')}`);
  if (chosen.length > 1) throw new ResetUsageError(`Option "${chosen[0]}" can't be used with option "${chosen[1]}"`);
  const topics = options.topic ?? [];
  if (options.allTopics === true && topics.length > 0) throw new ResetUsageError('Option "--all-topics" can\'t be used with option "--topic"');
  if (options.allTopics !== true && topics.length === 0) throw new ResetUsageError('One of the reset scopes should be defined: --all-topics, --topic.');
  const scope: ResetScope = options.allTopics === true ? { kind: 'allTopics' } : { kind: 'topics', topics: topics.map(parseScopeTopic) };
  return { scope, spec: resetSpec(options, nowMs), execute: options.execute === true };
}

function resetSpec(options: RawResetOptions, nowMs: number): ResetSpec {
  if (options.toEarliest === true) return { kind: 'earliest' };
  if (options.toLatest === true) return { kind: 'latest' };
  if (options.toCurrent === true) return { kind: 'current' };
  if (options.toOffset !== undefined) return { kind: 'offset', offset: options.toOffset };
  if (options.shiftBy !== undefined) return { kind: 'shiftBy', shift: options.shiftBy };
  if (options.toDatetime !== undefined) return { kind: 'timestamp', timestampMs: parseDateTime(options.toDatetime) };
  const durationMs = parseIsoDuration(options.byDuration ?? '');
  return { kind: 'timestamp', timestampMs: Math.max(0, nowMs - durationMs) };
}

function parseScopeTopic(value: string): { topic: string; partitions?: number[] } {
  try {
    const parsed = parseTopicPartitions(value);
    if (parsed.topic === '') throw new Error(`Invalid topic arg '${value}', expected a topic name`);
    return parsed;
  } catch (error) {
    throw new ResetUsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Kafka's `Utils.getDateTime` format: `YYYY-MM-DDTHH:mm:SS.sss`, with an optional zone (`Z`, `+hh:mm`,
 * `+hhmm`, `+hh`); without one the time is UTC, as Kafka reads it. Returns ms since the epoch.
 */
export function parseDateTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  const problem = `Error parsing timestamp '${text}': expected YYYY-MM-DDTHH:mm:SS.sss with an optional zone (Z, +hh:mm), e.g. 2024-01-31T08:00:00.000`;
  if (match === null) throw new ResetUsageError(problem);
  const [year, month, day, hour, minute, second, millis] = match.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utcMs);
  // Date.UTC rolls over (Feb 30 -> Mar 2): a field out of range is a wrong date, not a different one.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw new ResetUsageError(problem);
  const zone = match[8] ?? 'Z';
  if (zone === 'Z') return utcMs;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return utcMs - sign * offsetMinutes * 60_000;
}

/**
 * An ISO-8601 duration as Java's `Duration.parse` reads it (Kafka's `--by-duration`, format `PnDTnHnMnS`):
 * days, hours, minutes and seconds (with a fraction), e.g. `PT1H`, `P1DT2H`, `PT0.5S`. Returns ms.
 */
export function parseIsoDuration(text: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i.exec(text.trim());
  const hasField = match !== null && match.slice(1, 5).some((field) => field !== undefined);
  if (match === null || !hasField || /T$/i.test(text.trim())) {
    throw new ResetUsageError(`Error parsing duration '${text}': expected an ISO-8601 duration PnDTnHnMnS, e.g. PT1H, P1DT2H, PT30M`);
  }
  const [days, hours, minutes, seconds] = match.slice(1, 5).map((field) => Number(field ?? '0')) as [number, number, number, number];
  const fractionMs = Math.floor(Number(`0.${match[5] ?? '0'}`) * 1000);
  return ((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000 + fractionMs;
}
