import { describe, expect, it } from 'vitest';
import { applyCase } from './cases.js';
import { ScenarioError } from './errors.js';
import { parseScenario } from './parse.js';
import { FULL_YAML } from './test-scenarios.js';

const full = parseScenario(FULL_YAML, 'full.yaml');

describe('applyCase', () => {
  it('sets fields by dotted path, naming list items by name, index or (producers) topic', () => {
    const changed = applyCase(full, {
      name: 'bigger',
      set: {
        durationMs: '10m',
        'cluster.brokers': 5,
        'groups.app.members': 10,
        'groups.1.commit': 'async',
        'topics.orders.partitions': 24,
        'producers.orders.recordsPerSecond': 1_000,
        'producers.0.valueBytes': 512,
        'timeline.0.at': '30s',
      },
    });
    expect(changed.durationMs).toBe(600_000);
    expect(changed.cluster.brokers).toBe(5);
    expect(changed.groups.map((group) => [group.name, group.members, group.commit])).toEqual([
      ['app', 10, 'auto'],
      ['auditors', 1, 'async'],
    ]);
    expect(changed.topics[0]?.partitions).toBe(24);
    expect(changed.producers[0]).toMatchObject({ recordsPerSecond: 1_000, valueBytes: 512 });
    expect(changed.timeline[0]?.at).toBe(30_000);
    // The scenario it came from is untouched.
    expect(full.groups[0]?.members).toBe(4);
    expect(full.durationMs).toBe(300_000);
  });

  it('takes the rest of the path after a config map as one Kafka name, and removes a field set to null', () => {
    const changed = applyCase(full, {
      name: 'configs',
      set: { 'groups.app.consumerConfig.max.poll.interval.ms': '1m', 'variants.consumer-range.brokerConfig.group.consumer.session.timeout.ms': 45_000, 'groups.auditors.variant': null },
    });
    expect(changed.groups[0]?.consumerConfig).toEqual({ 'max.poll.interval.ms': 60_000 });
    expect(changed.variants[1]?.brokerConfig).toEqual({ 'group.consumer.heartbeat.interval.ms': '1000', 'group.consumer.session.timeout.ms': '45000' });
    expect(changed.groups[1]?.variant).toBeUndefined();
  });

  it('applies quick like a case', () => {
    const quick = applyCase(full, { name: 'quick', set: full.quick });
    expect(quick.durationMs).toBe(60_000);
    expect(quick.timeline).toEqual([]);
  });

  it('refuses a path that does not exist, saying which part', () => {
    expect(() => applyCase(full, { name: 'typo', set: { 'groups.ap.members': 2 } })).toThrow('case "typo": groups has no item named "ap" (did you mean "app"?); the names are app, auditors');
    expect(() => applyCase(full, { name: 'far', set: { 'producers.3.recordsPerSecond': 2 } })).toThrow('case "far": producers has 1 item(s), so there is no index 3');
    expect(() => applyCase(full, { name: 'deep', set: { 'clustr.brokers': 2 } })).toThrow('case "deep": "clustr.brokers": clustr does not exist (did you mean "cluster"?)');
  });

  it('validates the result again, with the scenario path of each problem', () => {
    let caught: unknown;
    try {
      applyCase(full, { name: 'broken', set: { 'groups.app.members': -1, 'cluster.brokers': 2, 'groups.app.memberz': 3 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as ScenarioError).message.split('\n')).toEqual([
      'case "broken": groups[0].members: must be a positive integer, got -1',
      expect.stringMatching(/^case "broken": groups\[0\]\.memberz: unknown key "memberz" \(did you mean "members"\?\)/),
    ]);
    // Cross-field rules too: three replicas need three brokers.
    expect(() => applyCase(full, { name: 'small', set: { 'cluster.brokers': 2 } })).toThrow('case "small": topics[0].replicationFactor: 3 replicas need as many brokers, and cluster.brokers is 2');
  });
});
