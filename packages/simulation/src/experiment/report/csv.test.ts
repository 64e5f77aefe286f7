import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../metrics.js';
import { csvField, metricColumns, rebalancesCsv, runsCsv, seriesCsv } from './csv.js';
import { syntheticResult } from './synthetic-result.js';

const lines = (csv: string) => csv.trimEnd().split('\n');

describe('csv', () => {
  const { runs } = syntheticResult();

  it('quotes fields with commas, quotes or line breaks and leaves the rest', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('member.crash, "hard"')).toBe('"member.crash, ""hard"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(990.5)).toBe('990.5');
  });

  it('writes one runs.csv row per run with the key, hash, times, every metric and the violation count', () => {
    const [heading, ...rows] = lines(runsCsv(runs));
    expect(heading).toBe(['case', 'variant', 'seed', 'traceHash', 'simulatedMs', 'wallMs', ...METRIC_NAMES, 'violations'].join(','));
    expect(rows).toHaveLength(6);
    const cells = rows[1]!.split(',');
    expect(cells.slice(0, 6)).toEqual(['', 'classic-eager', '2', 'hash--classic-eager-2', '3000', '20']);
    expect(cells[6 + METRIC_NAMES.indexOf('rebalance_time_ms')]).toBe('900');
    expect(cells[6 + METRIC_NAMES.indexOf('heartbeats')]).toBe('');
    expect(cells.at(-1)).toBe('1');
  });

  it('adds a column for a metric the catalog does not know', () => {
    const withExtra = syntheticResult().runs;
    withExtra[0]!.metrics.custom_metric = 7;
    expect(metricColumns(withExtra).at(-1)).toBe('custom_metric');
  });

  it('writes one series.csv row per run and second, and one rebalances.csv row per rebalance', () => {
    const series = lines(seriesCsv(runs));
    expect(series[0]).toBe('case,variant,seed,timeMs,produced,consumed,lag');
    expect(series).toHaveLength(1 + 6 * 3);
    expect(series[1]).toBe(',classic-eager,1,0,1000,990,10');
    const rebalances = lines(rebalancesCsv(runs));
    expect(rebalances[0]).toBe('case,variant,seed,group,trigger,triggerMs,stableMs,generations,partitionsMoved,pausedMemberMs,partiallyPausedMemberMs,unownedPartitionMs');
    expect(rebalances).toHaveLength(1 + 6 * 2);
    expect(rebalances[1]).toBe(',classic-eager,1,app,member.join,500,2000,2,3,400,50,600');
    expect(rebalances[2]).toBe(',classic-eager,1,app,"member.crash, ""hard""",2000,,1,2,100,0,200');
  });

  it('fills the case column when the experiment has cases', () => {
    expect(lines(runsCsv(syntheticResult({ cases: true }).runs))[1]!.startsWith('small,classic-eager,1,')).toBe(true);
  });
});
