import { describe, expect, it } from 'vitest';
import { experimentPlots, medianSeries, metricStripSpec, plotAxes, rebalanceTimeSpec } from './plot-specs.js';
import { labelsInTriggerOrder, rebalancePoints } from './rebalance-plot.js';
import { summarize } from './summary.js';
import { syntheticResult } from './synthetic-result.js';

/** The inline data of a spec (every plot inlines its data at the top level). */
function dataValues(spec: unknown): Array<Record<string, unknown>> {
  return (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;
}

describe('plot specs', () => {
  const result = syntheticResult();
  const summaries = summarize(result);

  it('orders variants and cases as the runs appear', () => {
    expect(plotAxes(syntheticResult({ cases: true }).runs)).toEqual({ variants: ['classic-eager', 'consumer'], cases: ['small', 'large'] });
  });

  it('plots a point per seed and the summary median per variant for a metric', () => {
    const plot = metricStripSpec(summaries.find((summary) => summary.metric === 'rebalance_time_ms')!, result.runs)!;
    expect(plot.file).toBe('plots/metric-rebalance_time_ms.svg');
    const values = dataValues(plot.spec);
    expect(values.filter((value) => value.kind === 'seed').map((value) => value.value)).toEqual([1_500, 900, 12_000, 120, 80, 100]);
    expect(values.filter((value) => value.kind === 'median')).toEqual([
      { case: '', variant: 'classic-eager', value: 1_500, kind: 'median' },
      { case: '', variant: 'consumer', value: 100, kind: 'median' },
    ]);
  });

  it('leaves out the plot of a metric no run measured', () => {
    const empty = { metric: 'heartbeats', unit: 'count', rows: [] };
    expect(metricStripSpec(empty, result.runs)).toBeUndefined();
  });

  it('takes the median over seeds of each second for the series', () => {
    const series = medianSeries(result.runs);
    expect(series.slice(0, 3)).toEqual([
      { case: '', variant: 'classic-eager', timeS: 0, consumed: 980, lag: 20 },
      { case: '', variant: 'classic-eager', timeS: 1, consumed: 970, lag: 30 },
      { case: '', variant: 'classic-eager', timeS: 2, consumed: 960, lag: 40 },
    ]);
    expect(series).toHaveLength(6);
  });

  it('measures each rebalance to a stable assignment, or to the end of the run when unfinished', () => {
    const values = dataValues(rebalanceTimeSpec(result.runs)!.spec);
    expect(values).toHaveLength(12);
    expect(values[0]).toMatchObject({ variant: 'classic-eager', seed: 1, rebalance: 1, label: 'member.join #1', durationMs: 1_500, outcome: 'stable' });
    expect(values[1]).toMatchObject({ variant: 'classic-eager', seed: 1, rebalance: 2, label: 'member.crash, "hard" #1', durationMs: 1_000, outcome: 'unfinished' });
  });

  it('lines rebalances up by trigger, so a rebalance one variant skipped does not shift the others', () => {
    const runs = syntheticResult().runs;
    runs[0]!.rebalances = runs[0]!.rebalances.slice(1);
    const points = rebalancePoints(runs);
    expect(points[0]).toMatchObject({ variant: 'classic-eager', seed: 1, rebalance: 1, label: 'member.crash, "hard" #1' });
    expect(labelsInTriggerOrder(points)).toEqual(['member.join #1', 'member.crash, "hard" #1']);
  });

  it('numbers repeated triggers and names the group when several groups rebalance', () => {
    const runs = syntheticResult().runs.slice(0, 1);
    runs[0]!.rebalances.push({ ...runs[0]!.rebalances[0]!, triggerMs: 2_500 }, { ...runs[0]!.rebalances[0]!, group: 'audit', triggerMs: 2_600 });
    expect(rebalancePoints(runs).map((point) => point.label)).toEqual(['app: member.join #1', 'app: member.crash, "hard" #1', 'app: member.join #2', 'audit: member.join #1']);
  });

  it('facets every plot by case when the experiment has cases', () => {
    const withCases = syntheticResult({ cases: true });
    for (const plot of experimentPlots(summarize(withCases), withCases.runs)) expect(plot.spec).toHaveProperty('facet.row.sort', ['small', 'large']);
    for (const plot of experimentPlots(summaries, result.runs)) expect(plot.spec).not.toHaveProperty('facet');
  });

  it('has no series or rebalance plot when the runs have neither', () => {
    const bare = syntheticResult();
    for (const run of bare.runs) {
      run.series = [];
      run.rebalances = [];
    }
    expect(experimentPlots(summarize(bare), bare.runs).map((plot) => plot.file)).toEqual([
      'plots/metric-rebalance_time_ms.svg',
      'plots/metric-records_processed_twice.svg',
      'plots/metric-throughput_records_per_s.svg',
    ]);
  });
});
