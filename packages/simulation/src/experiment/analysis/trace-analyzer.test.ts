import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../metrics.js';
import type { TraceEvent } from '../trace.js';
import { TraceAnalyzer } from './index.js';
import { acked, committed, memberEvent, ownership, processed, runEnded, runStarted, state, timeline } from './trace-builder.test-support.js';

const m0 = 'app/member-0';
const m1 = 'app/member-1';

/** Two members over two partitions; member-1 crashes at 3 s and member-0 takes its partition at 5 s. */
const cleanRun: TraceEvent[] = [
  runStarted({ orders: 2 }, { app: { topics: ['orders'] } }),
  memberEvent('member.started', 0, m0),
  memberEvent('member.started', 0, m1),
  state(100, m0, 'syncing', 'stable', 1),
  state(100, m1, 'syncing', 'stable', 1),
  ownership('member.assigned', 100, m0, ['orders-0'], 1),
  ownership('member.assigned', 100, m1, ['orders-1'], 1),
  acked(500, 'orders-0', 0),
  acked(600, 'orders-1', 0),
  acked(700, 'orders-1', 1),
  processed(800, m0, 'orders-0', 0),
  processed(900, m1, 'orders-1', 0),
  processed(950, m1, 'orders-1', 1),
  committed(1_000, m1, 'orders-1', 1), // offset 1 processed but not committed
  timeline(3_000, 'member.crash', { group: 'app', members: [m1] }),
  memberEvent('member.crashed', 3_000, m1),
  state(4_000, m0, 'stable', 'joining', 1),
  state(5_000, m0, 'syncing', 'stable', 2),
  ownership('member.assigned', 5_000, m0, ['orders-1'], 2),
  processed(5_100, m0, 'orders-1', 1), // an at-least-once repeat: allowed
  acked(6_000, 'orders-0', 1),
  runEnded(10_000),
  processed(10_500, m0, 'orders-0', 1), // the drain phase: counts for the lost check only
  { type: 'client.requests', timeMs: 10_500, client: m0, requests: { Heartbeat: 10, Fetch: 20 } },
];

const analyze = (events: readonly TraceEvent[], wallMs = 100) => {
  const analyzer = new TraceAnalyzer({ durationMs: 10_000 });
  for (const event of events) analyzer.observe(event);
  return analyzer.finish(wallMs);
};

describe('TraceAnalyzer', () => {
  it('fills every metric of a clean run and finds no violation', () => {
    const analysis = analyze(cleanRun);
    expect(analysis.violations).toEqual([]);
    expect(Object.keys(analysis.metrics).sort()).toEqual([...METRIC_NAMES].sort());
    expect(analysis.metrics).toMatchObject({
      rebalances: 1,
      rebalance_time_ms: 2_000,
      rebalance_time_total_ms: 2_000,
      generations: 1,
      partitions_moved: 1,
      unowned_partition_ms: 2_000,
      detection_ms: 2_000,
      records_acked: 4,
      records_processed: 4,
      records_processed_twice: 1,
      throughput_records_per_s: 0.3,
      max_lag_records: 1,
      requests: 30,
      heartbeats: 10,
      false_evictions: 0,
      speed_up: 100,
    });
    expect(analysis.rebalances).toEqual([
      { group: 'app', trigger: 'member.crash', triggerMs: 3_000, stableMs: 5_000, generations: 1, partitionsMoved: 1, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 2_000 },
    ]);
    expect(analysis.series).toHaveLength(10);
    expect(analysis.series[0]).toEqual({ timeMs: 0, produced: 3, consumed: 3, lag: 0 });
    expect(analysis.series[6]).toEqual({ timeMs: 6_000, produced: 1, consumed: 0, lag: 1 });
  });

  it('gives every metric 0 for an empty run, and the same hash for the same trace', () => {
    const empty = analyze([runStarted({}, {}), runEnded(10_000)], 0);
    expect(Object.values(empty.metrics).every((value) => value === 0)).toBe(true);
    expect(analyze(cleanRun).traceHash).toBe(analyze(cleanRun).traceHash);
    expect(analyze(cleanRun.slice(0, -1)).traceHash).not.toBe(analyze(cleanRun).traceHash);
  });

  it('fails a run with planted bugs: a loss, a late revocation, a commit going back, a run error', () => {
    const planted: TraceEvent[] = [
      ...cleanRun.slice(0, -2),
      ownership('member.assigned', 7_000, m1, ['orders-0'], 3), // member-1 (crashed) came back... without a start: taken as live
      committed(7_100, m1, 'orders-1', 0),
      { type: 'run.error', timeMs: 8_000, error: 'broker-1 crashed: boom' },
      runEnded(10_000),
    ];
    const analysis = analyze(planted);
    expect(analysis.violations.map((violation) => violation.checker).sort()).toEqual(['committed-offset-regression', 'lost', 'run-error', 'two-owners']);
    expect(analysis.violations.find((violation) => violation.checker === 'lost')?.detail).toBe('app: orders-0 offset 1 (id orders-0@1) acknowledged but never processed');
  });

  it('checks but does not measure a drain phase past the scenario\'s duration, even when run.ended comes after it', () => {
    const withDrain: TraceEvent[] = [
      ...cleanRun.slice(0, -3), // up to the ack at 6 s, no run.ended yet
      state(11_000, m0, 'stable', 'joining', 2), // the drain starts at 10 s: a rebalance there is not measured
      state(11_500, m0, 'syncing', 'stable', 3),
      processed(12_000, m0, 'orders-0', 1),
      runEnded(20_000),
    ];
    const analysis = analyze(withDrain, 100);
    expect(analysis.violations).toEqual([]);
    expect(analysis.rebalances).toHaveLength(1);
    expect(analysis.series).toHaveLength(10);
    expect(analysis.metrics).toMatchObject({ records_processed: 4, throughput_records_per_s: 0.3, speed_up: 200 });
  });

  it('does not count as a rebalance an episode without a new generation (a static member back within its session)', () => {
    const restart: TraceEvent[] = [
      ...cleanRun.slice(0, 13),
      timeline(3_000, 'member.restart', { group: 'app', members: [m1] }),
      ownership('member.revoked', 3_000, m1, ['orders-1'], 1),
      memberEvent('member.closed', 3_000, m1),
      memberEvent('member.started', 4_000, m1),
      state(4_500, m1, 'syncing', 'stable', 1),
      ownership('member.assigned', 4_500, m1, ['orders-1'], 1),
      runEnded(10_000),
    ];
    const analysis = analyze(restart);
    expect(analysis.rebalances).toHaveLength(1);
    expect(analysis.metrics).toMatchObject({ rebalances: 0, rebalance_time_ms: 1_500, unowned_partition_ms: 1_500 });
  });

  it('takes no event after finish', () => {
    const analyzer = new TraceAnalyzer({ durationMs: 10_000 });
    analyzer.finish(1);
    expect(() => analyzer.observe(runEnded(1))).toThrow(/after finish/);
  });
});
