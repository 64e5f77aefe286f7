/**
 * The runner's drain is bounded: after the timeline's duration the groups get DRAIN_MAX_MS (simulated) to settle and
 * process what was acknowledged, and a run whose members cannot catch up by then ends there, its unprocessed records
 * left to the checkers, instead of running on. docs/LIMITS.md names the bound.
 */
import { describe, expect, it } from 'vitest';
import { DRAIN_MAX_MS, runScenario, type Scenario } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

const durationMs = 10_000;
const base = smallScenario({ name: 'drain-bound', replicationFactor: 1, durationMs, members: 1, recordsPerSecond: 20 });
// One record per poll, a second each: the ~200 records of the workload take ~200 s to process, past the drain's bound.
const slow: Scenario = { ...base, groups: base.groups.map((group) => ({ ...group, processingMs: 1_000, consumerConfig: { ...group.consumerConfig, 'max.poll.records': 1 } })) };

describe('the drain after the workload', () => {
  it('ends DRAIN_MAX_MS after the timeline when the members cannot catch up by then', { timeout: 180_000 }, async () => {
    const result = await runScenario(slow, { variant: 'classic-eager', seed: 1 });
    const acked = result.metrics['records_acked'] ?? 0;
    expect(acked).toBeGreaterThan(150);
    expect(result.metrics['records_processed'] ?? 0).toBeLessThan(acked);
    // What the members had not processed by then is left to the checkers: lost.
    expect(result.violations.some((violation) => violation.checker === 'lost')).toBe(true);
    // The whole drain was used, and not more (the setup before the workload takes a few simulated seconds).
    expect(result.simulatedMs).toBeGreaterThanOrEqual(durationMs + DRAIN_MAX_MS);
    expect(result.simulatedMs).toBeLessThan(durationMs + DRAIN_MAX_MS + 30_000);
  });
});
