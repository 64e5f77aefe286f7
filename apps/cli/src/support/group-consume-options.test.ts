import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { ConflictingConfigsError, InvalidConfigValueError } from '@kactor/protocol';
import { groupConsumerSettings, offsetsAfter, withSettingFlags, type GroupConsumeFlags } from './group-consume-options.js';

const base: GroupConsumeFlags = { group: 'analytics', commit: 'auto', consumerProperty: [] };

describe('groupConsumerSettings', () => {
  it('joins the group with auto-commit by default, named like Kafka\'s console consumer', () => {
    expect(groupConsumerSettings('ws://a:1,ws://b:2', base)).toEqual({
      'client.id': 'console-consumer',
      'bootstrap.servers': 'ws://a:1,ws://b:2',
      'group.id': 'analytics',
      'enable.auto.commit': 'true',
    });
  });

  it('maps --from-beginning to auto.offset.reset=earliest, as Kafka\'s console consumer does with a group', () => {
    expect(groupConsumerSettings('ws://a:1', { ...base, fromBeginning: true })['auto.offset.reset']).toBe('earliest');
    expect(groupConsumerSettings('ws://a:1', { ...base, offset: 'latest' })['auto.offset.reset']).toBe('latest');
  });

  it('turns auto-commit off for --commit sync, async and none', () => {
    for (const commit of ['sync', 'async', 'none'] as const) expect(groupConsumerSettings('ws://a:1', { ...base, commit })['enable.auto.commit']).toBe('false');
  });

  it('sets the assignor and the timeout shortcuts, which win over --consumer-property', () => {
    const settings = groupConsumerSettings('ws://a:1', {
      ...base,
      assignor: 'roundrobin',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      maxPollIntervalMs: 10_000,
      consumerProperty: ['session.timeout.ms=30000', 'fetch.max.wait.ms=100', 'client.id=mine'],
    });
    expect(settings).toMatchObject({
      'partition.assignment.strategy': 'roundrobin',
      'session.timeout.ms': '6000',
      'heartbeat.interval.ms': '500',
      'max.poll.interval.ms': '10000',
      'fetch.max.wait.ms': '100',
      'client.id': 'mine',
    });
  });

  it('maps --assignor to partition.assignment.strategy as a list, and --group-instance-id to group.instance.id', () => {
    const settings = groupConsumerSettings('ws://a:1', { ...base, assignor: 'cooperative-sticky, range', groupInstanceId: 'reader-1' });
    expect(settings['partition.assignment.strategy']).toBe('cooperative-sticky,range');
    expect(settings['group.instance.id']).toBe('reader-1');
    expect(groupConsumerSettings('ws://a:1', { ...base, assignor: 'cooperative-sticky' })['partition.assignment.strategy']).toBe('cooperative-sticky');
  });

  it('refuses --partition, --offset N and unknown assignors with a group', () => {
    expect(() => groupConsumerSettings('ws://a:1', { ...base, partition: 1 })).toThrow(CliError);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, offset: 5 })).toThrow(/--offset N/);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, assignor: 'fair' })).toThrow(/comma-separated list of range, roundrobin, sticky, cooperative-sticky/);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, assignor: 'range,range' })).toThrow(/twice/);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, groupInstanceId: ' ' })).toThrow(/--group-instance-id/);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, group: ' ' })).toThrow(CliError);
  });
});

describe('offsetsAfter', () => {
  it('commits the offset after the last printed record of each partition', () => {
    const records = [
      { topic: 'orders', partition: 0, offset: 4 },
      { topic: 'orders', partition: 1, offset: 9 },
      { topic: 'orders', partition: 0, offset: 5 },
    ];
    expect(offsetsAfter(records)).toEqual([
      { topic: 'orders', partition: 0, offset: 6 },
      { topic: 'orders', partition: 1, offset: 10 },
    ]);
    expect(offsetsAfter([])).toEqual([]);
  });
});

describe('withSettingFlags', () => {
  it('names the flags of two group settings that do not go together', () => {
    const conflict = new ConflictingConfigsError('session.timeout.ms', 'consumer', 'heartbeat.interval.ms', 'session.timeout.ms 1000 must be greater than heartbeat.interval.ms 3000 (its default); lower heartbeat.interval.ms too');
    const named = withSettingFlags(conflict);
    expect(named).toBeInstanceOf(CliError);
    expect((named as Error).message).toBe(
      'INVALID_CONFIG: session.timeout.ms 1000 must be greater than heartbeat.interval.ms 3000 (its default); lower heartbeat.interval.ms too (flags --session-timeout-ms, --heartbeat-interval-ms)',
    );
  });

  it('leaves other errors as they are', () => {
    const other = new InvalidConfigValueError('fetch.min.bytes', 'consumer', 'x', 'an integer');
    expect(withSettingFlags(other)).toBe(other);
  });
});
