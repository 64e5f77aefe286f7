import { describe, expect, it } from 'vitest';
import { planRealRun } from './real-run-setup.js';
import type { Scenario, Variant } from './simulation-adapter.js';

const scenario: Scenario = {
  name: 'tiny',
  description: '',
  durationMs: 1_000,
  cluster: { brokers: 1, latencyMs: 5, config: { 'group.initial.rebalance.delay.ms': '0' } },
  topics: [{ name: 'events', partitions: 2, replicationFactor: 1, config: {} }],
  groups: [{ name: 'app', topics: ['events'], members: 1, staticMembership: false, consumerConfig: {}, processingMs: 10, commit: 'transactional', pollTimeoutMs: 100 }],
  producers: [],
  timeline: [],
  variants: [{ name: 'fast', protocol: 'consumer', brokerConfig: { 'group.consumer.heartbeat.interval.ms': '500' } }],
  cases: [{ name: 'big', set: { durationMs: 2_000 } }],
  metrics: [],
  seeds: 1,
  quick: {},
};

const modules = {
  applyCase: (base: Scenario) => ({ ...base, durationMs: 2_000 }),
  resolveVariant: (base: Scenario, name: string): Variant | undefined => base.variants.find((variant) => variant.name === name) ?? (name === 'classic-eager' ? { name, protocol: 'classic-eager' } : undefined),
};

describe('planning a real run', () => {
  it("applies the case, takes the variant's broker configs over the cluster's, and says what real processes do not reproduce", () => {
    const plan = planRealRun(scenario, { case: 'big', variant: 'fast' }, modules);
    expect(plan.scenario.durationMs).toBe(2_000);
    expect(plan.brokerConfig).toEqual({ 'group.initial.rebalance.delay.ms': '0', 'group.consumer.heartbeat.interval.ms': '500' });
    expect(plan.notes.map((note) => note.split(' ')[0])).toEqual(['metrics', 'cluster.latencyMs', 'groups.app.processingMs:', 'groups.app.commit']);
  });

  it('refuses an unknown case or variant', () => {
    expect(() => planRealRun(scenario, { case: 'small', variant: 'fast' }, modules)).toThrow(/unknown case small/);
    expect(() => planRealRun(scenario, { variant: 'slow' }, modules)).toThrow(/unknown variant slow/);
  });
});
