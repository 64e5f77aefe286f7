/**
 * The determinism meta-test (issue 15): a whole run, brokers, clients and faults together (a broker killed and
 * started again, a network partition between a member and the brokers, a member crashing), repeated with the same
 * scenario, variant and seed, gives the same trace hash byte for byte; another seed gives another trace.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

const scenario = smallScenario({
  name: 'determinism',
  durationMs: 25_000,
  recordsPerSecond: 50,
  timeline: [
    { at: 5_000, action: 'broker.kill', broker: 2 },
    { at: 9_000, action: 'broker.restart', broker: 2 },
    { at: { uniform: [10_000, 12_000] }, action: 'network.partition', between: [['app/member-1'], ['broker-0', 'broker-1', 'broker-2']], durationMs: 4_000 },
    { at: 17_000, action: 'member.crash', group: 'app', count: 1, drawn: true },
  ],
});

describe('the same scenario, variant and seed give the same trace', () => {
  it.each(['classic-eager', 'classic-cooperative', 'consumer'])('%s: two runs of seed 7 hash the same, seed 8 differs', { timeout: 300_000 }, async (variant) => {
    const first = await runScenario(scenario, { variant, seed: 7 });
    const second = await runScenario(scenario, { variant, seed: 7 });
    expect(first.metrics['records_acked']).toBeGreaterThan(0);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.metrics).toEqual({ ...first.metrics, speed_up: second.metrics['speed_up'] });
    if (variant === 'consumer') {
      const other = await runScenario(scenario, { variant, seed: 8 });
      expect(other.traceHash).not.toBe(first.traceHash);
    }
  });
});
