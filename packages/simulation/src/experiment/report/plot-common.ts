import type { TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../model.js';
import { caseVariantPairs } from './experiment-result.js';

/**
 * What every plot of the report shares: inline data (so a spec alone reproduces its figure), variants in
 * the order their runs appear, in the axes and the colours alike, and one row per case when the
 * experiment has cases.
 */

export interface PlotSpec {
  /** Path inside the report folder, e.g. `plots/metric-rebalance_time_ms.svg`. */
  file: string;
  /** Alt text and caption in report.md. */
  title: string;
  spec: TopLevelSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const PLOT_WIDTH = 520;
export const LINE_PLOT_HEIGHT = 180;

export interface Axes {
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
export type LayerSpec = Record<string, unknown>;

/** A top-level spec from a layered or single view, faceted into one row per case when there are cases. */
export function topLevel(title: { text: string; subtitle: string }, values: object[], view: LayerSpec, axes: Axes): TopLevelSpec {
  const common = { $schema: SCHEMA, title, data: { values }, config: { view: { stroke: '#ddd' }, title: { anchor: 'start', subtitleColor: '#555' } } };
  if (axes.cases.length === 0) return { ...common, ...view } as unknown as TopLevelSpec;
  return { ...common, facet: { row: { field: 'case', type: 'nominal', sort: axes.cases, title: 'case' } }, spec: view } as unknown as TopLevelSpec;
}

export function variantColor(axes: Axes, legend: boolean): LayerSpec {
  return { field: 'variant', type: 'nominal', sort: axes.variants, scale: { domain: axes.variants }, ...(legend ? {} : { legend: null }) };
}
