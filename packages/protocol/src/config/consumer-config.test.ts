import { describe, expect, it } from 'vitest';
import { InvalidConfigValueError, UnsupportedConfigError } from './config-errors.js';
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

  it('refuses heartbeat.interval.ms at or above session.timeout.ms in a group', () => {
    const error = (() => {
      try {
        parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'session.timeout.ms': 6_000, 'heartbeat.interval.ms': 6_000 });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidConfigValueError);
    expect((error as Error).message).toContain('heartbeat.interval.ms');
    expect(parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'session.timeout.ms': 6_000, 'heartbeat.interval.ms': 2_000 }).heartbeatIntervalMs).toBe(2_000);
  });

  it('refuses the KIP-848 group protocol and static membership, which are not implemented yet', () => {
    expect(() => parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.protocol': 'consumer' })).toThrow(UnsupportedConfigError);
    expect(parseConfig('consumer', { ...bootstrap, 'group.id': 'g', 'group.instance.id': 'i-1' }).groupInstanceId).toBe('i-1');
  });
});
