import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { groupConsumerSettings } from './group-consume-options.js';
import { parseIsolationLevel, withIsolationLevel } from './isolation-level.js';

describe('--isolation-level (Kafka console consumer)', () => {
  it("takes Kafka's two names and refuses anything else with a usage error naming both", () => {
    expect(parseIsolationLevel('read_committed')).toBe('read_committed');
    expect(parseIsolationLevel('read_uncommitted')).toBe('read_uncommitted');
    expect(() => parseIsolationLevel('READ_COMMITTED')).toThrow(InvalidArgumentError);
    expect(() => parseIsolationLevel('committed')).toThrow('--isolation-level takes read_committed or read_uncommitted, got "committed".');
  });

  it('sets isolation.level, over a --consumer-property naming it; without the flag the settings are unchanged', () => {
    expect(withIsolationLevel({ 'isolation.level': 'read_uncommitted', 'fetch.max.wait.ms': '100' }, 'read_committed')).toEqual({
      'isolation.level': 'read_committed',
      'fetch.max.wait.ms': '100',
    });
    expect(withIsolationLevel({ 'fetch.max.wait.ms': '100' }, undefined)).toEqual({ 'fetch.max.wait.ms': '100' });
  });

  it('reaches a group consumer\'s settings too (consume --group)', () => {
    const flags = { group: 'verifier', commit: 'none' as const, consumerProperty: ['isolation.level=read_uncommitted'] };
    expect(groupConsumerSettings('ws://a:1', { ...flags, isolationLevel: 'read_committed' })['isolation.level']).toBe('read_committed');
    expect(groupConsumerSettings('ws://a:1', flags)['isolation.level']).toBe('read_uncommitted');
  });
});
