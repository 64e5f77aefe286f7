import type { RunResult } from '../model.js';
import { LINE_PLOT_HEIGHT, PLOT_WIDTH, plotAxes, topLevel, variantColor, type PlotSpec } from './plot-common.js';

/** Above this many distinct rebalances, the x axis is a number line instead of one band per rebalance. */
const MAX_REBALANCE_BANDS = 40;

export interface RebalancePoint {
  case: string;
  variant: string;
  seed: number;
  /** The rebalance's place in its run, in trigger order (from 1). */
  rebalance: number;
  /** `<trigger> #<k>`: the k-th rebalance with that trigger in its run (group first when there are several). */
  label: string;
  group: string;
  trigger: string;
  triggerMs: number;
  durationMs: number;
  outcome: 'stable' | 'unfinished';
}

/**
 * Every rebalance of every run, labelled by what triggered it so that the same membership change lines up
 * across variants and seeds even when one protocol needed a rebalance another did not. A rebalance still
 * unfinished when the run ended counts to the end, as the rebalance_time_ms metric does.
 */
export function rebalancePoints(runs: readonly RunResult[]): RebalancePoint[] {
  const severalGroups = new Set(runs.flatMap((run) => run.rebalances.map((rebalance) => rebalance.group))).size > 1;
  return runs.flatMap((run) => {
    const seen = new Map<string, number>();
    return [...run.rebalances]
      .sort((a, b) => a.triggerMs - b.triggerMs)
      .map((rebalance, index) => {
        const kind = severalGroups ? `${rebalance.group}: ${rebalance.trigger}` : rebalance.trigger;
        const occurrence = (seen.get(kind) ?? 0) + 1;
        seen.set(kind, occurrence);
        return {
          case: run.case ?? '',
          variant: run.variant,
          seed: run.seed,
          rebalance: index + 1,
          label: `${kind} #${occurrence}`,
          group: rebalance.group,
          trigger: rebalance.trigger,
          triggerMs: rebalance.triggerMs,
          durationMs: (rebalance.stableMs ?? run.simulatedMs) - rebalance.triggerMs,
          outcome: rebalance.stableMs === undefined ? 'unfinished' : 'stable',
        };
      });
  });
}

/** The labels in the order of their mean trigger time, so the bands read left to right as the run went. */
export function labelsInTriggerOrder(points: readonly RebalancePoint[]): string[] {
  const times = new Map<string, number[]>();
  for (const point of points) times.set(point.label, [...(times.get(point.label) ?? []), point.triggerMs]);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return [...times.entries()].sort(([labelA, a], [labelB, b]) => mean(a) - mean(b) || (labelA < labelB ? -1 : labelA > labelB ? 1 : 0)).map(([label]) => label);
}

/**
 * Time from trigger to a stable assignment for each rebalance: a point per seed, the black bar the median,
 * a band per rebalance label (a number line of rebalances in trigger order when there are too many).
 */
export function rebalanceTimeSpec(runs: readonly RunResult[]): PlotSpec | undefined {
  const axes = plotAxes(runs);
  const values = rebalancePoints(runs);
  if (values.length === 0) return undefined;
  const labels = labelsInTriggerOrder(values);
  const banded = labels.length <= MAX_REBALANCE_BANDS;
  const x = banded
    ? { field: 'label', type: 'nominal', sort: labels, title: 'rebalance (by trigger, in trigger order)', axis: { labelAngle: labels.length <= 4 ? 0 : -30, labelLimit: 160 } }
    : { field: 'rebalance', type: 'quantitative', title: 'rebalance (in trigger order)' };
  const offset = banded ? { xOffset: { field: 'variant', type: 'nominal', sort: axes.variants } } : {};
  const y = { field: 'durationMs', type: 'quantitative', title: 'time to a stable assignment (ms)' };
  const outcomes = ['stable', 'unfinished'];
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
          shape: { field: 'outcome', type: 'nominal', sort: outcomes, scale: { domain: outcomes, range: ['circle', 'cross'] }, title: null },
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
