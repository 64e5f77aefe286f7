import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { groupConsumerSettings, type GroupConsumeFlags } from './group-consume-options.js';
import { parseGroupProtocol } from './group-protocol-options.js';

const base: GroupConsumeFlags = { group: 'g848', commit: 'auto', consumerProperty: [] };

describe('consume --group-protocol / --group-remote-assignor (KIP-848)', () => {
  it('maps --group-protocol consumer and --group-remote-assignor onto group.protocol and group.remote.assignor', () => {
    const settings = groupConsumerSettings('ws://a:1', { ...base, groupProtocol: 'consumer', groupRemoteAssignor: 'range' });
    expect(settings).toMatchObject({ 'group.id': 'g848', 'group.protocol': 'consumer', 'group.remote.assignor': 'range' });
    expect(groupConsumerSettings('ws://a:1', { ...base, groupProtocol: 'classic' })['group.protocol']).toBe('classic');
    // Without the flags nothing is set: the consumer's default (classic) applies.
    expect(groupConsumerSettings('ws://a:1', base)).not.toHaveProperty('group.protocol');
  });

  it('takes the protocol from --consumer-property group.protocol=consumer too; the flag wins over it', () => {
    expect(groupConsumerSettings('ws://a:1', { ...base, consumerProperty: ['group.protocol=consumer'], groupRemoteAssignor: 'uniform' })['group.remote.assignor']).toBe('uniform');
    expect(groupConsumerSettings('ws://a:1', { ...base, consumerProperty: ['group.protocol=consumer'], groupProtocol: 'classic' })['group.protocol']).toBe('classic');
  });

  it('refuses --group-remote-assignor without --group-protocol consumer, as Kafka refuses group.remote.assignor with group.protocol=classic', () => {
    expect(() => groupConsumerSettings('ws://a:1', { ...base, groupRemoteAssignor: 'uniform' })).toThrow(
      new CliError('--group-remote-assignor needs --group-protocol consumer: group.remote.assignor cannot be set when group.protocol=classic'),
    );
    expect(() => groupConsumerSettings('ws://a:1', { ...base, groupProtocol: 'classic', groupRemoteAssignor: 'range' })).toThrow(CliError);
    expect(() => groupConsumerSettings('ws://a:1', { ...base, groupProtocol: 'consumer', groupRemoteAssignor: ' ' })).toThrow(/needs an assignor name/);
  });

  it('refuses with the consumer protocol what the coordinator owns there: --assignor, --session-timeout-ms, --heartbeat-interval-ms', () => {
    const consumer = { ...base, groupProtocol: 'consumer' as const };
    expect(() => groupConsumerSettings('ws://a:1', { ...consumer, assignor: 'cooperative-sticky' })).toThrow(
      new CliError('--assignor (partition.assignment.strategy) cannot be set with --group-protocol consumer: the coordinator assigns the partitions: choose its assignor with --group-remote-assignor'),
    );
    expect(() => groupConsumerSettings('ws://a:1', { ...consumer, consumerProperty: ['partition.assignment.strategy=range'] })).toThrow(/--assignor \(partition.assignment.strategy\)/);
    expect(() => groupConsumerSettings('ws://a:1', { ...consumer, sessionTimeoutMs: 6_000 })).toThrow(/--session-timeout-ms \(session.timeout.ms\).*group.consumer.session.timeout.ms/);
    expect(() => groupConsumerSettings('ws://a:1', { ...consumer, heartbeatIntervalMs: 500 })).toThrow(/--heartbeat-interval-ms \(heartbeat.interval.ms\).*group.consumer.heartbeat.interval.ms/);
    // The classic protocol keeps them.
    expect(groupConsumerSettings('ws://a:1', { ...base, groupProtocol: 'classic', assignor: 'range', sessionTimeoutMs: 6_000 })).toMatchObject({ 'partition.assignment.strategy': 'range', 'session.timeout.ms': '6000' });
  });

  it('parses --group-protocol case-insensitively, as Kafka does, and names the two values otherwise', () => {
    expect(parseGroupProtocol('CONSUMER')).toBe('consumer');
    expect(parseGroupProtocol('classic')).toBe('classic');
    expect(() => parseGroupProtocol('modern')).toThrow('--group-protocol takes classic or consumer, got "modern"');
  });
});
