import { describe, expect, it } from 'vitest';
import { METRICS } from '../metrics.js';
import { summarize } from './summary.js';
import { syntheticResult } from './synthetic-result.js';

describe('summarize', () => {
  const summaries = summarize(syntheticResult());

  it('gives one summary per metric the scenario asks for, in the catalog order', () => {
    expect(summaries.map((summary) => summary.metric)).toEqual(['rebalance_time_ms', 'records_processed_twice', 'throughput_records_per_s']);
    expect(summaries.map((summary) => summary.unit)).toEqual(['ms', 'records', 'records/s']);
  });

  it('gives median, nearest-rank p95 and the maximum where higher is worse', () => {
    const rebalanceTime = summaries.find((summary) => summary.metric === 'rebalance_time_ms')!;
    expect(rebalanceTime.rows).toEqual([
      { variant: 'classic-eager', runs: 3, median: 1_500, p95: 12_000, worst: 12_000 },
      { variant: 'consumer', runs: 3, median: 100, p95: 120, worst: 120 },
    ]);
  });

  it('takes the minimum as the worst where lower is worse', () => {
    const throughput = summaries.find((summary) => summary.metric === 'throughput_records_per_s')!;
    expect(throughput.rows).toEqual([
      { variant: 'classic-eager', runs: 3, median: 950, p95: 1_000, worst: 700 },
      { variant: 'consumer', runs: 3, median: 1_000, p95: 1_010, worst: 990.5 },
    ]);
  });

  it('has a row per case and variant, in the order the runs appear, when the scenario has cases', () => {
    const withCases = summarize(syntheticResult({ cases: true }));
    expect(withCases[0]!.rows.map((row) => [row.case, row.variant, row.runs])).toEqual([
      ['small', 'classic-eager', 3],
      ['small', 'consumer', 3],
      ['large', 'classic-eager', 3],
      ['large', 'consumer', 3],
    ]);
  });

  it('counts only the runs that measured a metric, and reports every metric when the scenario names none', () => {
    const result = syntheticResult();
    result.scenario.metrics = [];
    delete result.runs[0]!.metrics.rebalance_time_ms;
    result.runs[1]!.metrics.rebalance_time_ms = Number.NaN;
    const all = summarize(result);
    expect(all.map((summary) => summary.metric)).toEqual(METRICS.map((metric) => metric.name));
    const rebalanceTime = all.find((summary) => summary.metric === 'rebalance_time_ms')!;
    expect(rebalanceTime.rows[0]).toEqual({ variant: 'classic-eager', runs: 1, median: 12_000, p95: 12_000, worst: 12_000 });
    expect(all.find((summary) => summary.metric === 'heartbeats')!.rows).toEqual([]);
  });
});
