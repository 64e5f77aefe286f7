import { describe, expect, it } from 'vitest';
import { RecordsAnalyzer } from './records.js';
import { SeriesAnalyzer } from './series.js';
import { acked, processed, runEnded, runStarted } from './trace-builder.test-support.js';
import type { TraceEvent } from '../trace.js';

const run = (events: readonly TraceEvent[], durationMs = 3_000) => {
  const records = new RecordsAnalyzer();
  const series = new SeriesAnalyzer(() => records.uniqueProcessed(), durationMs);
  for (const event of events) {
    series.observe(event);
    records.observe(event);
  }
  return { points: series.result(), maxLag: series.maxLag() };
};

describe('throughput and lag series', () => {
  it('counts per second and takes the lag at each second\'s end, with empty seconds in between', () => {
    const { points, maxLag } = run([
      runStarted({ orders: 1, audit: 1 }, { app: { topics: ['orders'] } }),
      acked(100, 'orders-0', 0),
      acked(200, 'orders-0', 1),
      acked(300, 'audit-0', 0), // no group reads it: produced, but no lag
      processed(900, 'app/member-0', 'orders-0', 0),
      processed(2_100, 'app/member-0', 'orders-0', 1),
      processed(2_200, 'app/member-1', 'orders-0', 1), // a repeat: consumed, lag unchanged
      runEnded(3_000),
      acked(3_500, 'orders-0', 2), // drain phase: not in the series
    ]);
    expect(points).toEqual([
      { timeMs: 0, produced: 3, consumed: 1, lag: 1 },
      { timeMs: 1_000, produced: 0, consumed: 0, lag: 1 },
      { timeMs: 2_000, produced: 0, consumed: 2, lag: 0 },
    ]);
    expect(maxLag).toBe(1);
  });

  it('sums the lag over groups reading the same topic, and puts events at the end time in the last second', () => {
    const { points, maxLag } = run([
      runStarted({ orders: 1 }, { app: { topics: ['orders'] }, audit: { topics: ['orders'] } }),
      acked(100, 'orders-0', 0),
      processed(500, 'app/member-0', 'orders-0', 0),
      acked(2_000, 'orders-0', 1),
      runEnded(2_000),
    ], 2_000);
    expect(points).toEqual([
      { timeMs: 0, produced: 1, consumed: 1, lag: 1 },
      { timeMs: 1_000, produced: 1, consumed: 0, lag: 3 },
    ]);
    expect(maxLag).toBe(3);
  });
});
