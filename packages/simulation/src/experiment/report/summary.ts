import { METRICS, type MetricDefinition } from '../metrics.js';
import type { RunResult } from '../model.js';
import { caseVariantPairs, pairId, type ExperimentResultLike } from './experiment-result.js';
import { median, nearestRankPercentile, worstValue } from './statistics.js';

/** The percentile the tables call p95. */
export const SUMMARY_PERCENTILE = 95;

export interface MetricSummaryRow {
  case?: string;
  variant: string;
  /** Runs that measured the metric (the seeds summarised). */
  runs: number;
  median: number;
  /** Nearest-rank 95th percentile over the runs. */
  p95: number;
  /** The maximum, or the minimum for a metric where lower is worse. */
  worst: number;
}

export interface MetricSummary {
  metric: string;
  unit: string;
  rows: MetricSummaryRow[];
}

/**
 * One summary per metric the scenario reports, in the METRICS catalog's order (names the catalog does not
 * know are left out: the scenario's validation reports them). An empty `scenario.metrics` means all. Each
 * summary has one row per (case, variant) in the order the runs appear; a run without a finite value for
 * the metric does not count, and a pair no run measured has no row.
 */
export function summarize(result: ExperimentResultLike): MetricSummary[] {
  const wanted = new Set(result.scenario.metrics);
  const metrics = wanted.size === 0 ? METRICS : METRICS.filter((metric) => wanted.has(metric.name));
  const pairs = caseVariantPairs(result.runs);
  const runsByPair = groupRunsByPair(result.runs);
  return metrics.map((metric) => ({
    metric: metric.name,
    unit: metric.unit,
    rows: pairs.flatMap((pair) => {
      const row = summaryRow(metric, runsByPair.get(pairId(pair)) ?? []);
      return row === undefined ? [] : [{ ...pair, ...row }];
    }),
  }));
}

function groupRunsByPair(runs: readonly RunResult[]): Map<string, RunResult[]> {
  const byPair = new Map<string, RunResult[]>();
  for (const run of runs) {
    const id = pairId(run);
    const list = byPair.get(id);
    if (list === undefined) byPair.set(id, [run]);
    else list.push(run);
  }
  return byPair;
}

function summaryRow(metric: MetricDefinition, runs: readonly RunResult[]): Omit<MetricSummaryRow, 'case' | 'variant'> | undefined {
  const values = runs.map((run) => run.metrics[metric.name]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (values.length === 0) return undefined;
  return {
    runs: values.length,
    median: median(values),
    p95: nearestRankPercentile(values, SUMMARY_PERCENTILE),
    worst: worstValue(values, metric.worse),
  };
}
