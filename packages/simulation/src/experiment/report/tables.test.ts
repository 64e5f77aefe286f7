import { describe, expect, it } from 'vitest';
import { summarize } from './summary.js';
import { syntheticResult } from './synthetic-result.js';
import { formatTables, markdownTables } from './tables.js';

describe('formatTables', () => {
  const text = formatTables(summarize(syntheticResult()));
  const lines = text.split('\n');

  it('titles each table with the metric, its unit, the worse direction and its description', () => {
    expect(lines[0]).toBe('rebalance_time_ms (ms, higher is worse): the longest time from a trigger to a stable assignment (an unfinished rebalance counts to the end of the run)');
    expect(lines).toContain('throughput_records_per_s (records/s, lower is worse): records processed per simulated second');
  });

  it('aligns the columns: names to the left, numbers to the right, humanised', () => {
    expect(lines.slice(1, 5)).toEqual([
      '  variant        median     p95   worst  runs',
      '  -------------  ------  ------  ------  ----',
      '  classic-eager   1.5 s  12.0 s  12.0 s     3',
      '  consumer       100 ms  120 ms  120 ms     3',
    ]);
    expect(text).toContain('  classic-eager     950  1,000    700     3');
  });

  it('separates the tables by a blank line and ends with a newline', () => {
    expect(text.split('\n\n')).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('adds a case column when the experiment has cases', () => {
    const withCases = formatTables(summarize(syntheticResult({ cases: true }))).split('\n');
    expect(withCases[1]).toBe('  case   variant        median     p95   worst  runs');
    expect(withCases[5]).toBe('  large  classic-eager   1.5 s  12.0 s  12.0 s     3');
  });

  it('says when no run measured a metric', () => {
    const result = syntheticResult();
    result.scenario.metrics = ['heartbeats'];
    expect(formatTables(summarize(result))).toBe('heartbeats (count, higher is worse): Heartbeat and ConsumerGroupHeartbeat requests the members sent\n  (no run measured it)\n');
  });
});

describe('markdownTables', () => {
  it('writes a Markdown table per metric with right-aligned numbers', () => {
    const markdown = markdownTables(summarize(syntheticResult())).split('\n');
    expect(markdown[0]).toBe('### rebalance_time_ms (ms)');
    expect(markdown).toContain('| variant | median | p95 | worst | runs |');
    expect(markdown).toContain('| --- | ---: | ---: | ---: | ---: |');
    expect(markdown).toContain('| consumer | 100 ms | 120 ms | 120 ms | 3 |');
  });
});
