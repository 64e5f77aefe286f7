import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { METRIC_NAMES } from '../metrics.js';
import { parseScenario } from './parse.js';
import { FULL_YAML, MINIMAL_YAML } from './test-scenarios.js';

describe('parseScenario', () => {
  it('fills in every default of a minimal scenario', () => {
    expect(parseScenario(MINIMAL_YAML, 'demo.yaml')).toEqual({
      name: 'demo',
      description: '',
      durationMs: 600_000,
      cluster: { brokers: 3, latencyMs: 1, config: {} },
      topics: [{ name: 'orders', partitions: 6, replicationFactor: 1, config: {} }],
      groups: [{ name: 'app', topics: ['orders'], members: 3, staticMembership: false, consumerConfig: {}, processingMs: 0, commit: 'auto', pollTimeoutMs: 100 }],
      producers: [],
      timeline: [],
      variants: [
        { name: 'classic-eager', protocol: 'classic-eager', assignor: 'range', consumerConfig: {}, brokerConfig: {} },
        { name: 'classic-cooperative', protocol: 'classic-cooperative', assignor: 'cooperative-sticky', consumerConfig: {}, brokerConfig: {} },
        { name: 'consumer', protocol: 'consumer', assignor: 'uniform', consumerConfig: {}, brokerConfig: {} },
      ],
      cases: [],
      metrics: [...METRIC_NAMES],
      seeds: 5,
      quick: {},
    });
  });

  it('reads every section, times in any unit, draws kept as distributions', () => {
    const scenario = parseScenario(FULL_YAML, 'full.yaml');
    expect(scenario.durationMs).toBe(300_000);
    expect(scenario.cluster).toEqual({ brokers: 3, latencyMs: 2, config: { 'min.insync.replicas': '2' } });
    expect(scenario.groups[0]?.processingMs).toEqual({ exponential: { meanMs: 2 } });
    expect(scenario.groups[0]?.consumerConfig).toEqual({ 'max.poll.interval.ms': 30_000 });
    expect(scenario.groups[1]).toMatchObject({ variant: 'consumer', commit: 'sync' });
    expect(scenario.producers[0]).toEqual({
      topic: 'orders',
      recordsPerSecond: 100,
      keys: { kind: 'zipf', keys: 50, exponent: 1.2 },
      valueBytes: 100,
      config: { acks: 'all', 'linger.ms': 5, 'enable.idempotence': true },
      startMs: 0,
    });
    expect(scenario.timeline).toEqual([
      { at: 60_000, action: 'member.crash', group: 'app', member: 2 },
      { at: { uniform: [120_000, 180_000] }, action: 'member.pause', group: 'app', count: 1, drawn: true, durationMs: { normal: { meanMs: 5_000, stddevMs: 1_000 } } },
      { at: 240_000, action: 'network.partition', between: [['broker-0'], ['app']], durationMs: 10_000 },
    ]);
    expect(scenario.variants).toEqual([
      { name: 'classic-eager', protocol: 'classic-eager', assignor: 'range', consumerConfig: {}, brokerConfig: {} },
      { name: 'consumer-range', protocol: 'consumer', assignor: 'range', consumerConfig: {}, brokerConfig: { 'group.consumer.heartbeat.interval.ms': '1000' } },
    ]);
    expect(scenario.cases).toEqual([{ name: 'big', set: { 'groups.app.members': 10, 'topics.orders.partitions': 24 } }]);
    expect(scenario.quick).toEqual({ durationMs: '1m', timeline: [] });
    expect(scenario.metrics).toEqual(['rebalances', 'rebalance_time_ms']);
    expect(scenario.seeds).toBe(3);
  });

  it('reads the same scenario from JSON', () => {
    const fromYaml = parseScenario(FULL_YAML, 'full.yaml');
    const json = JSON.stringify(parseScenario(FULL_YAML));
    expect(parseScenario(json, 'full.json')).toEqual(fromYaml);
    // And a YAML written from the result reads back to the same scenario.
    expect(parseScenario(stringify(fromYaml), 'again.yaml')).toEqual(fromYaml);
  });

  it("takes the file's name when the scenario has none", () => {
    const text = MINIMAL_YAML.replace('name: demo\n', '');
    expect(parseScenario(text, 'experiments/my-scenario.yaml').name).toBe('my-scenario');
    expect(() => parseScenario(text)).toThrow(/name: is required/);
  });

  it('accepts durations as numbers of ms or with ms, s, m, h', () => {
    const times = ['1500', '"250ms"', '"1.5s"', '"2m"', '"1h"', '90s'].map((written) => {
      const text = MINIMAL_YAML.replace('durationMs: 10m', `durationMs: ${written}`);
      return parseScenario(text).durationMs;
    });
    expect(times).toEqual([1_500, 250, 1_500, 120_000, 3_600_000, 90_000]);
  });
});
