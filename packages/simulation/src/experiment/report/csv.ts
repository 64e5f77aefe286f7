import { METRIC_NAMES } from '../metrics.js';
import type { RebalanceMeasurement, RunResult } from '../model.js';

/**
 * The raw per-run data as CSV (RFC 4180: comma-separated, a field with a comma, quote or line break quoted,
 * lines ended by LF), for spreadsheets and plotting tools. Every row
 * starts with the run's key: case (empty without cases), variant and seed.
 */

type Cell = string | number | undefined;

export function csvField(value: Cell): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(headings: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [headings, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

const KEY_HEADINGS = ['case', 'variant', 'seed'] as const;

function keyCells(run: RunResult): Cell[] {
  return [run.case, run.variant, run.seed];
}

/** The metric columns: the catalog's, then any other name a run reported, sorted. */
export function metricColumns(runs: readonly RunResult[]): string[] {
  const known = new Set(METRIC_NAMES);
  const others = new Set<string>();
  for (const run of runs) for (const name of Object.keys(run.metrics)) if (!known.has(name)) others.add(name);
  return [...METRIC_NAMES, ...[...others].sort()];
}

/** One row per run: its key, trace hash, times, every metric and the number of checker violations. */
export function runsCsv(runs: readonly RunResult[]): string {
  const metrics = metricColumns(runs);
  return toCsv(
    [...KEY_HEADINGS, 'traceHash', 'simulatedMs', 'wallMs', ...metrics, 'violations'],
    runs.map((run) => [...keyCells(run), run.traceHash, run.simulatedMs, run.wallMs, ...metrics.map((name) => run.metrics[name]), run.violations.length]),
  );
}

/** One row per run and one-second bucket. */
export function seriesCsv(runs: readonly RunResult[]): string {
  return toCsv(
    [...KEY_HEADINGS, 'timeMs', 'produced', 'consumed', 'lag'],
    runs.flatMap((run) => run.series.map((point) => [...keyCells(run), point.timeMs, point.produced, point.consumed, point.lag])),
  );
}

/** Every field of a RebalanceMeasurement, in the model's order (the type below fails if one is missing). */
export const REBALANCE_FIELDS = [
  'group',
  'trigger',
  'triggerMs',
  'stableMs',
  'generations',
  'partitionsMoved',
  'pausedMemberMs',
  'partiallyPausedMemberMs',
  'unownedPartitionMs',
] as const satisfies ReadonlyArray<keyof RebalanceMeasurement>;

type MissingRebalanceField = Exclude<keyof RebalanceMeasurement, (typeof REBALANCE_FIELDS)[number]>;
const everyRebalanceFieldListed: [MissingRebalanceField] extends [never] ? true : MissingRebalanceField = true;
void everyRebalanceFieldListed;

/** One row per rebalance of every run; `stableMs` is empty for a rebalance that had not finished. */
export function rebalancesCsv(runs: readonly RunResult[]): string {
  return toCsv(
    [...KEY_HEADINGS, ...REBALANCE_FIELDS],
    runs.flatMap((run) => run.rebalances.map((rebalance) => [...keyCells(run), ...REBALANCE_FIELDS.map((field) => rebalance[field])])),
  );
}
