import { describe, expect, it } from 'vitest';
import { ConflictingConfigsError, InvalidConfigValueError } from './config-errors.js';
import { parseConfig } from './parse.js';

const bootstrap = { 'bootstrap.servers': 'localhost:9092' };

describe('consumer group settings', () => {
  it("keeps Kafka's defaults for a consumer in a group", () => {
    const config = parseConfig('consumer', { ...bootstrap, 'group.id': 'billing' });
    expect(config).toMatchObject({
      groupId: 'billing',
      groupInstanceId: null,
      groupProtocol: 'classic',
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      maxPollIntervalMs: 300_000,
      enableAutoCommit: true,
      autoCommitIntervalMs: 5_000,
      partitionAssignmentStrategy: ['range', 'cooperative-sticky'],
    });
  });

  it('turns enable.auto.commit off without group.id, and refuses it set to true there (as Kafka)', () => {
    expect(parseConfig('consumer', bootstrap).enableAutoCommit).toBe(false);
    expect(() => parseConfig('consumer', { ...bootstrap, 'enable.auto.commit': 'true' })).toThrow(InvalidConfigValueError);
    expect(parseConfig('consumer', { ...bootstrap, 'enable.auto.commit': 'false' }).enableAutoCommit).toBe(false);
  });

  it("refuses the settings each group protocol does not use, when set (Kafka's CONSUMER_/CLASSIC_PROTOCOL_UNSUPPORTED_CONFIGS)", () => {
    const consumerProtocol = { ...bootstrap, 'group.id': 'g', 'group.protocol': 'consumer' };
    for (const name of ['partition.assignment.strategy', 'session.timeout.ms', 'heartbeat.interval.ms']) {
      const value = name === 'partition.assignment.strategy' ? 'range' : '10000';
      expect(() => parseConfig('consumer', { ...consumerProtocol, [name]: value })).toThrow(
        expect.objectContaining({ name: 'ConflictingConfigsError', configName: name, otherConfigName: 'group.protocol' }),
      );
    }
    expect(() => parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.remote.assignor': 'uniform' })).toThrow(/group.remote.assignor cannot be set when group.protocol=classic/);
    // Left at their defaults they are simply unused, and the consumer protocol takes its assignor by name.
    expect(parseConfig('consumer', { ...consumerProtocol, 'group.remote.assignor': 'range' })).toMatchObject({ groupProtocol: 'consumer', groupRemoteAssignor: 'range' });
  });

  it('refuses heartbeat.interval.ms at or above session.timeout.ms in a group', () => {
    const refusal = (settings: Record<string, number>) => {
      try {
        parseConfig('consumer', { ...bootstrap, 'group.id': 'g', ...settings });
      } catch (caught) {
        return caught as ConflictingConfigsError;
      }
      throw new Error('accepted');
    };
    const both = refusal({ 'session.timeout.ms': 6_000, 'heartbeat.interval.ms': 6_000 });
    expect(both).toBeInstanceOf(ConflictingConfigsError);
    expect(both).toMatchObject({ errorName: 'INVALID_CONFIG', configName: 'heartbeat.interval.ms', otherConfigName: 'session.timeout.ms' });
    expect(both.message).toBe('heartbeat.interval.ms 6000 must be lower than session.timeout.ms 6000');
    expect(parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'session.timeout.ms': 6_000, 'heartbeat.interval.ms': 2_000 }).heartbeatIntervalMs).toBe(2_000);
  });

  it('names the setting the user gave, and which value is a default (issue 10: --session-timeout-ms 1000)', () => {
    const message = (settings: Record<string, number>) => {
      try {
        parseConfig('consumer', { ...bootstrap, 'group.id': 'g', ...settings });
      } catch (caught) {
        return [(caught as ConflictingConfigsError).configName, (caught as Error).message];
      }
      throw new Error('accepted');
    };
    expect(message({ 'session.timeout.ms': 1_000 })).toEqual([
      'session.timeout.ms',
      'session.timeout.ms 1000 must be greater than heartbeat.interval.ms 3000 (its default); lower heartbeat.interval.ms too',
    ]);
    expect(message({ 'heartbeat.interval.ms': 50_000 })).toEqual(['heartbeat.interval.ms', 'heartbeat.interval.ms 50000 must be lower than session.timeout.ms 45000 (its default)']);
  });

  it('takes the KIP-848 group protocol with its server-side assignor, and static membership', () => {
    expect(parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.protocol': 'consumer', 'group.remote.assignor': 'range' })).toMatchObject({ groupProtocol: 'consumer', groupRemoteAssignor: 'range' });
    expect(() => parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.protocol': 'eager' })).toThrow(InvalidConfigValueError);
    expect(parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.instance.id': 'i-1' }).groupInstanceId).toBe('i-1');
  });

  it('refuses a group.instance.id Kafka could not use as a name (JoinGroupRequest.validateGroupInstanceId)', () => {
    const instanceId = (value: string) => () => parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.instance.id': value });
    expect(instanceId('a'.repeat(249))().groupInstanceId).toHaveLength(249);
    expect(instanceId('reader_1.eu-west')().groupInstanceId).toBe('reader_1.eu-west');
    expect(instanceId('a'.repeat(250))).toThrow(/can't be longer than 249 characters/);
    expect(instanceId('reader 1')).toThrow(/a character other than ASCII alphanumerics/);
    expect(instanceId('réader')).toThrow(InvalidConfigValueError);
  });
});
