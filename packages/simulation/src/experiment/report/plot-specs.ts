import { metricDefinition } from '../metrics.js';
import type { RunResult } from '../model.js';
import { caseVariantPairs, pairId } from './experiment-result.js';
import { LINE_PLOT_HEIGHT, PLOT_WIDTH, plotAxes, topLevel, variantColor, type PlotSpec } from './plot-common.js';
import { rebalanceTimeSpec } from './rebalance-plot.js';
import { median } from './statistics.js';
import type { MetricSummary } from './summary.js';

/** The report's plots as Vega-Lite specs: per metric, over time, and per rebalance (rebalance-plot.ts). */
export { plotAxes, rebalanceTimeSpec, type PlotSpec };

/** Per metric: one point per seed along the value axis, a row per variant, the median marked by a black bar. */
export function metricStripSpec(summary: MetricSummary, runs: readonly RunResult[]): PlotSpec | undefined {
  const axes = plotAxes(runs);
  const seeds = runs.flatMap((run) => {
    const value = run.metrics[summary.metric];
    return typeof value === 'number' && Number.isFinite(value) ? [{ case: run.case ?? '', variant: run.variant, seed: run.seed, value, kind: 'seed' }] : [];
  });
  if (seeds.length === 0) return undefined;
  const medians = summary.rows.map((row) => ({ case: row.case ?? '', variant: row.variant, value: row.median, kind: 'median' }));
  const definition = metricDefinition(summary.metric);
  const x = { field: 'value', type: 'quantitative', title: `${summary.metric} (${summary.unit})` };
  const y = { field: 'variant', type: 'nominal', sort: axes.variants, title: null };
  const view = {
    width: PLOT_WIDTH,
    height: { step: 28 },
    layer: [
      { transform: [{ filter: "datum.kind === 'seed'" }], mark: { type: 'point', filled: true, opacity: 0.6, size: 50 }, encoding: { x, y, color: variantColor(axes, false), tooltip: [{ field: 'seed' }, { field: 'value' }] } },
      { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: 'tick', color: 'black', thickness: 2, size: 22 }, encoding: { x, y } },
    ],
  };
  const direction = definition === undefined ? '' : `${definition.worse} is worse; `;
  const subtitle = `${direction}a point per seed, the black bar is the median`;
  return { file: `plots/metric-${summary.metric}.svg`, title: `${summary.metric} per seed, by variant`, spec: topLevel({ text: `${summary.metric} (${summary.unit})`, subtitle }, [...seeds, ...medians], view, axes) };
}

/** Records processed per second and lag over time: per (case, variant), the median over seeds of each second. */
export function seriesSpecs(runs: readonly RunResult[]): PlotSpec[] {
  const values = medianSeries(runs);
  if (values.length === 0) return [];
  const axes = plotAxes(runs);
  const line = (field: 'consumed' | 'lag', title: string) => ({
    width: PLOT_WIDTH,
    height: LINE_PLOT_HEIGHT,
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', title: 'simulated time (s)' },
      y: { field, type: 'quantitative', title },
      color: variantColor(axes, true),
    },
  });
  return [
    {
      file: 'plots/throughput.svg',
      title: 'Records processed per second over time',
      spec: topLevel({ text: 'throughput over time', subtitle: 'records processed in each simulated second, median over seeds' }, values, line('consumed', 'records processed per second'), axes),
    },
    {
      file: 'plots/lag.svg',
      title: 'Lag over time',
      spec: topLevel({ text: 'lag over time', subtitle: 'records acknowledged but not yet processed at the end of each second, median over seeds' }, values, line('lag', 'lag (records)'), axes),
    },
  ];
}

export function medianSeries(runs: readonly RunResult[]): Array<{ case: string; variant: string; timeS: number; consumed: number; lag: number }> {
  const buckets = new Map<string, Map<number, { consumed: number[]; lag: number[] }>>();
  for (const run of runs) {
    const byTime = buckets.get(pairId(run)) ?? new Map<number, { consumed: number[]; lag: number[] }>();
    buckets.set(pairId(run), byTime);
    for (const point of run.series) {
      const bucket = byTime.get(point.timeMs) ?? { consumed: [], lag: [] };
      byTime.set(point.timeMs, bucket);
      bucket.consumed.push(point.consumed);
      bucket.lag.push(point.lag);
    }
  }
  return caseVariantPairs(runs).flatMap((pair) =>
    [...(buckets.get(pairId(pair)) ?? new Map<number, { consumed: number[]; lag: number[] }>()).entries()]
      .sort(([a], [b]) => a - b)
      .map(([timeMs, bucket]) => ({ case: pair.case ?? '', variant: pair.variant, timeS: timeMs / 1_000, consumed: median(bucket.consumed), lag: median(bucket.lag) })),
  );
}

/** Every plot of an experiment: one per summarised metric that has values, then the series and rebalances. */
export function experimentPlots(summaries: readonly MetricSummary[], runs: readonly RunResult[]): PlotSpec[] {
  const metricPlots = summaries.flatMap((summary) => metricStripSpec(summary, runs) ?? []);
  const rebalancePlot = rebalanceTimeSpec(runs);
  return [...metricPlots, ...seriesSpecs(runs), ...(rebalancePlot === undefined ? [] : [rebalancePlot])];
}
