import { describe, expect, it } from 'vitest';
import { brokerConfig } from './broker-config.js';
import { configDefinition } from './registry.js';
import { configKeyOf, defineScope } from './scope.js';
import { int } from './define.js';
import { topicConfig, topicDefaults } from './topic-config.js';
import { configScopes } from './types.js';
import { parseConfig } from './parse.js';

describe('declarations', () => {
  it('turns Kafka names into camelCase keys', () => {
    expect(configKeyOf('session.timeout.ms')).toBe('sessionTimeoutMs');
    expect(configKeyOf('max.in.flight.requests.per.connection')).toBe('maxInFlightRequestsPerConnection');
    expect(configKeyOf('acks')).toBe('acks');
  });

  it.each(configScopes)('keys every %s setting by the camelCase of its Kafka name and documents it', (scope) => {
    for (const def of configDefinition(scope).defs) {
      expect(def.key).toBe(configKeyOf(def.name));
      expect(def.scope).toBe(scope);
      expect(def.doc.length, def.name).toBeGreaterThan(10);
      expect(def.expected.length, def.name).toBeGreaterThan(3);
    }
  });

  it.each(configScopes)('declares %s defaults that pass their own validation', (scope) => {
    for (const def of configDefinition(scope).defs) {
      if (def.default.kind !== 'value' || def.default.value === null) continue;
      expect(def.parse(def.format(def.default.value)), def.name).toEqual(def.default.value);
    }
  });

  it('refuses a declaration under a key that is not the camelCase of its name', () => {
    expect(() => defineScope<{ lingerMilliseconds: number }>('producer', { lingerMilliseconds: int({ name: 'linger.ms', doc: 'x', default: 0 }) })).toThrow(/expected lingerMs/);
  });

  it('refuses a declaration whose default fails its own validator', () => {
    expect(() => int({ name: 'x.y', doc: 'x', default: -5, min: 0 })).toThrow();
  });

  it('gives every topic setting a broker synonym that topicDefaults reads', () => {
    const broker = parseConfig('broker', { 'node.id': 1, 'process.roles': 'broker' });
    const defaults = topicDefaults(broker) as unknown as Record<string, unknown>;
    const brokerValues = broker as unknown as Record<string, unknown>;
    for (const def of topicConfig.defs) {
      const synonym = def.brokerSynonym === undefined ? undefined : brokerConfig.byName.get(def.brokerSynonym);
      expect(synonym, def.name).toBeDefined();
      // A setting kactor does not implement yet behaves as its effective value whatever the broker says.
      const expected = def.implemented ? brokerValues[synonym?.key ?? ''] : def.effectiveValue;
      expect(defaults[def.key], def.name).toEqual(expected);
    }
  });

  it('keeps the topic defaults of a default broker equal to the static topic defaults', () => {
    const broker = parseConfig('broker', { 'node.id': 1, 'process.roles': 'broker' });
    expect(topicDefaults(broker)).toEqual(parseConfig('topic', {}));
  });
});
