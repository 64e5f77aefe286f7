import type { TopLevelSpec } from 'vega-lite';
import { metricDefinition } from '../metrics.js';
import type { RunResult } from '../model.js';
import { caseVariantPairs, pairId } from './experiment-result.js';
import { median } from './statistics.js';
import type { MetricSummary } from './summary.js';

/**
 * The report's plots as Vega-Lite specs (data inlined, so a spec alone reproduces its figure). Variants
 * keep the order their runs appear in, in the axes and the colours alike; when the experiment has cases,
 * each plot has one row per case.
 */

export interface PlotSpec {
  /** Path inside the report folder, e.g. `plots/metric-rebalance_time_ms.svg`. */
  file: string;
  /** Alt text and caption in report.md. */
  title: string;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PLOT_WIDTH = 520;
const LINE_PLOT_HEIGHT = 180;
/** Above this many rebalances in a run, the rebalance plot's x axis is a number line instead of one band per rebalance. */
const MAX_REBALANCE_BANDS = 40;

interface Axes {
  variants: string[];
  cases: string[];
}

export function plotAxes(runs: readonly RunResult[]): Axes {
  const pairs = caseVariantPairs(runs);
  const unique = (names: Array<string | undefined>) => [...new Set(names.filter((name): name is string => name !== undefined))];
  return { variants: unique(pairs.map((pair) => pair.variant)), cases: unique(pairs.map((pair) => pair.case)) };
}

/**
 * A view (single or layered) as plain objects: the builders below assemble the specs from small pieces that
 * Vega-Lite's deeply generic types cannot follow, so the whole spec is checked where it counts, by
 * compiling and rendering it in the tests.
 */
type LayerSpec = Record<string, unknown>;

/** A top-level spec from a layered or single view, faceted into one row per case when there are cases. */
function topLevel(title: { text: string; subtitle: string }, values: object[], view: LayerSpec, axes: Axes): TopLevelSpec {
  const common = { $schema: SCHEMA, title, data: { values }, config: { view: { stroke: '#ddd' }, title: { anchor: 'start', subtitleColor: '#555' } } };
  if (axes.cases.length === 0) return { ...common, ...view } as unknown as TopLevelSpec;
  return { ...common, facet: { row: { field: 'case', type: 'nominal', sort: axes.cases, title: 'case' } }, spec: view } as unknown as TopLevelSpec;
}

function variantColor(axes: Axes, legend: boolean): LayerSpec {
  return { field: 'variant', type: 'nominal', sort: axes.variants, scale: { domain: axes.variants }, ...(legend ? {} : { legend: null }) };
}

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

/**
 * Time from trigger to a stable assignment for each rebalance, numbered in the order they were triggered
 * within a run: a point per seed, the black bar the median. A rebalance still unfinished at the end of the
 * run counts to the end (as the metric does) and is drawn as a cross.
 */
export function rebalanceTimeSpec(runs: readonly RunResult[]): PlotSpec | undefined {
  const axes = plotAxes(runs);
  const values = runs.flatMap((run) =>
    [...run.rebalances]
      .sort((a, b) => a.triggerMs - b.triggerMs)
      .map((rebalance, index) => ({
        case: run.case ?? '',
        variant: run.variant,
        seed: run.seed,
        rebalance: index + 1,
        group: rebalance.group,
        trigger: rebalance.trigger,
        durationMs: (rebalance.stableMs ?? run.simulatedMs) - rebalance.triggerMs,
        outcome: rebalance.stableMs === undefined ? 'unfinished' : 'stable',
      })),
  );
  if (values.length === 0) return undefined;
  const banded = Math.max(...values.map((value) => value.rebalance)) <= MAX_REBALANCE_BANDS;
  const x = banded ? { field: 'rebalance', type: 'ordinal', title: 'rebalance (in the order triggered)', axis: { labelAngle: 0 } } : { field: 'rebalance', type: 'quantitative', title: 'rebalance (in the order triggered)' };
  const offset = banded ? { xOffset: { field: 'variant', type: 'nominal', sort: axes.variants } } : {};
  const y = { field: 'durationMs', type: 'quantitative', title: 'time to a stable assignment (ms)' };
  const view = {
    width: PLOT_WIDTH,
    height: LINE_PLOT_HEIGHT,
    layer: [
      {
        mark: { type: 'point', filled: true, opacity: 0.6 },
        encoding: {
          x,
          ...offset,
          y,
          color: variantColor(axes, true),
          shape: { field: 'outcome', type: 'nominal', sort: ['stable', 'unfinished'], scale: { domain: ['stable', 'unfinished'], range: ['circle', 'cross'] }, title: null },
          tooltip: [{ field: 'seed' }, { field: 'group' }, { field: 'trigger' }, { field: 'durationMs' }],
        },
      },
      // The median bar needs a band per rebalance to lie across; on a number line the points stand alone.
      ...(banded ? [{ mark: { type: 'tick', color: 'black', thickness: 2, size: 12, orient: 'horizontal' }, encoding: { x, ...offset, y: { ...y, aggregate: 'median' } } }] : []),
    ],
  };
  return {
    file: 'plots/rebalance-time.svg',
    title: 'Rebalance time per rebalance',
    spec: topLevel({ text: 'rebalance time per rebalance', subtitle: 'a point per seed, the black bar is the median; a cross was still unfinished when the run ended' }, values, view, axes),
  };
}

/** Every plot of an experiment: one per summarised metric that has values, then the series and rebalances. */
export function experimentPlots(summaries: readonly MetricSummary[], runs: readonly RunResult[]): PlotSpec[] {
  const metricPlots = summaries.flatMap((summary) => metricStripSpec(summary, runs) ?? []);
  const rebalancePlot = rebalanceTimeSpec(runs);
  return [...metricPlots, ...seriesSpecs(runs), ...(rebalancePlot === undefined ? [] : [rebalancePlot])];
}
