/**
 * `kactor experiment run --real`'s runner against real processes: a tiny scenario (one topic of 4 partitions, a
 * classic eager group of 2 CLI consumers, 100 records/s for 20 s of real time, a third member joining at 8 s) runs
 * on a `cluster up` and is analysed by the same TraceAnalyzer as a simulated run: every acknowledged record is
 * processed, the join is measured as a rebalance, and no checker finds a violation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runRealScenario } from '../../apps/cli/src/experiment-real/index.js';
import type { Scenario, TraceEvent } from '@kactor/simulation';
import { elapsedLogger, temporaryDirectory } from './support/cli.js';

const scenario: Scenario = {
  name: 'real-join',
  description: 'a member joins a classic eager group of two while records flow',
  durationMs: 20_000,
  // No initial rebalance delay: the group forms as soon as its first members join, as the simulated clusters do in tests.
  cluster: { brokers: 1, latencyMs: 0, config: { 'group.initial.rebalance.delay.ms': '0' } },
  topics: [{ name: 'events', partitions: 4, replicationFactor: 1, config: {} }],
  groups: [
    {
      name: 'app',
      topics: ['events'],
      members: 2,
      staticMembership: false,
      consumerConfig: { 'session.timeout.ms': 6_000, 'heartbeat.interval.ms': 500 },
      processingMs: 0,
      commit: 'sync',
      pollTimeoutMs: 100,
    },
  ],
  // The producer stops a second before the end, so that every acknowledged record can be processed within the run.
  producers: [{ topic: 'events', recordsPerSecond: 100, keys: { kind: 'none' }, valueBytes: 32, config: {}, startMs: 0, stopMs: 19_000 }],
  timeline: [{ at: 8_000, action: 'member.join', group: 'app', count: 1 }],
  variants: [],
  cases: [],
  metrics: [],
  seeds: 1,
  quick: {},
};

describe('an experiment scenario against real processes', { timeout: 90_000 }, () => {
  const dataDir = temporaryDirectory('e2e-experiment-real');
  afterAll(() => dataDir.remove());

  it('runs the workload and the timeline on a real cluster and measures it like a simulated run', async () => {
    const log = elapsedLogger();
    const trace: TraceEvent[] = [];
    const { result, skipped } = await runRealScenario(scenario, { variant: 'classic-eager', seed: 1 }, { dataDir: dataDir.path, log, onTrace: (event) => trace.push(event) });
    log(`metrics ${JSON.stringify(result.metrics)}; rebalances ${JSON.stringify(result.rebalances)}; skipped ${JSON.stringify(skipped)}`);

    expect(result).toMatchObject({ scenario: 'real-join', variant: 'classic-eager', seed: 1 });
    expect(result.violations).toEqual([]);
    // 100 records/s for 19 s, less the pacing's last tick.
    expect(result.metrics.records_acked).toBeGreaterThanOrEqual(1_850);
    expect(result.metrics.records_processed).toBeGreaterThanOrEqual(result.metrics.records_acked ?? Number.POSITIVE_INFINITY);
    expect(result.metrics.rebalances).toBeGreaterThanOrEqual(1);
    // The join is the rebalance measured. It is traced from when the new consumer starts joining, which a loaded
    // machine can delay by seconds (node and tsx starting), so it may still be open at the end of the 20 s window.
    const join = result.rebalances.find((rebalance) => rebalance.trigger === 'member.join');
    expect(join?.triggerMs).toBeGreaterThanOrEqual(8_000);
    expect(join?.stableMs ?? result.simulatedMs).toBeGreaterThan(join?.triggerMs ?? Number.POSITIVE_INFINITY);
    expect(result.simulatedMs).toBeGreaterThanOrEqual(20_000);
    // The third member took part: it was started by the timeline and was assigned partitions (by the end of the drain at the latest).
    expect(trace.some((event) => event.type === 'timeline' && event.action === 'member.join' && event.members?.includes('app/member-2'))).toBe(true);
    expect(trace.some((event) => event.type === 'member.assigned' && event.member === 'app/member-2' && event.partitions.length > 0)).toBe(true);
    // Trace times never go back, whichever process an event came from.
    expect(trace.every((event, index) => index === 0 || event.timeMs >= (trace[index - 1]?.timeMs ?? 0))).toBe(true);
    // Nothing in this scenario needs a fault real processes cannot make; only the unmeasured request counts are noted.
    expect(skipped.filter((note) => !note.startsWith('metrics requests'))).toEqual([]);
  });
});
