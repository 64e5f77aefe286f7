import { describe, expect, it } from 'vitest';
import { KafkaProtocolError } from '../errors/protocol-error.js';
import { ConflictingConfigsError, InvalidConfigValueError, MissingConfigError, UnknownConfigError, UnsupportedConfigError, type ConfigError } from './config-errors.js';
import { parseConfig } from './parse.js';

const bootstrap = { 'bootstrap.servers': 'localhost:9092' };
const brokerBase = { 'node.id': '0', 'process.roles': 'broker,controller' };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('errors', () => {
  it('names close matches for an unknown name', () => {
    const error = thrown(() => parseConfig('producer', { ...bootstrap, 'linger.sm': '5' }));
    expect(error).toBeInstanceOf(UnknownConfigError);
    expect((error as UnknownConfigError).suggestions[0]).toBe('linger.ms');
    expect((error as Error).message).toContain('did you mean "linger.ms"');
  });

  it('suggests the Kafka name when given the camelCase key or other separators', () => {
    expect((thrown(() => parseConfig('producer', { lingerMs: 5 })) as UnknownConfigError).suggestions[0]).toBe('linger.ms');
    expect((thrown(() => parseConfig('consumer', { max_poll_records: 5 })) as UnknownConfigError).suggestions[0]).toBe('max.poll.records');
  });

  it('says which scope a misplaced name belongs to', () => {
    const error = thrown(() => parseConfig('consumer', { ...bootstrap, 'linger.ms': '5' })) as UnknownConfigError;
    expect(error.otherScopes).toEqual(['producer']);
    expect(error.message).toContain('it is a producer config');
  });

  it.each([
    ['producer', 'linger.ms', 'abc', 'not a whole number'],
    ['producer', 'linger.ms', '5.5', 'not a whole number'],
    ['producer', 'linger.ms', '-1', 'out of range'],
    ['producer', 'batch.size', '2147483648', 'does not fit a 32-bit integer'],
    ['topic', 'flush.ms', '9223372036854775808', 'does not fit a 64-bit integer'],
    ['producer', 'acks', 'two', 'not an allowed value'],
    ['consumer', 'auto.offset.reset', 'LATEST', 'not an allowed value'],
    ['consumer', 'check.crcs', 'yes', 'not true or false'],
    ['topic', 'cleanup.policy', 'delete,shrink', '"shrink" is not one of: delete, compact'],
    ['topic', 'cleanup.policy', 'delete,delete', 'lists delete twice'],
    ['consumer', 'bootstrap.servers', 'localhost', '"localhost" is not host:port'],
    ['consumer', 'bootstrap.servers', 'h:70000', 'port 70000 is out of range'],
    ['broker', 'log.dirs', '/a,/b', 'has 2 entries'],
    ['broker', 'listeners', 'A://:1,A://:2', 'listener name A appears twice'],
  ] as const)('rejects %s %s=%s (%s)', (scope, name, value, reason) => {
    const base = scope === 'broker' ? brokerBase : scope === 'topic' ? {} : bootstrap;
    const error = thrown(() => parseConfig(scope, { ...base, [name]: value }));
    expect(error).toBeInstanceOf(InvalidConfigValueError);
    const invalid = error as InvalidConfigValueError;
    expect(invalid.configName).toBe(name);
    expect(invalid.value).toBe(value);
    expect(invalid.message).toContain(reason);
    expect(invalid.message).toContain(invalid.expected);
  });

  it('reports the accepted range with the value', () => {
    const error = thrown(() => parseConfig('producer', { ...bootstrap, 'max.in.flight.requests.per.connection': '0' })) as InvalidConfigValueError;
    expect(error.message).toBe('invalid value "0" for producer config max.in.flight.requests.per.connection: out of range (expected a 32-bit integer >= 1)');
  });

  it('requires the settings that have no default', () => {
    expect(thrown(() => parseConfig('producer', {}))).toBeInstanceOf(MissingConfigError);
    const error = thrown(() => parseConfig('broker', { 'process.roles': 'broker' })) as MissingConfigError;
    expect(error.configName).toBe('node.id');
  });

  it('rejects a setting that is not implemented yet, unless allowed', () => {
    const error = thrown(() => parseConfig('topic', { 'retention.bytes': '1000' }));
    expect(error).toBeInstanceOf(UnsupportedConfigError);
    expect((error as Error).message).toContain('not supported yet');
    expect(parseConfig('topic', { 'retention.bytes': '1000' }, { allowUnimplemented: true }).retentionBytes).toBe(1000);
  });

  it('accepts an unimplemented setting set to what kactor effectively does, and defaults to that', () => {
    expect(parseConfig('consumer', bootstrap).enableAutoCommit).toBe(false);
  });

  // Kafka 3.0+ (ProducerConfig.postProcessAndValidateIdempotenceConfigs): on by default, off quietly when a setting
  // rules it out and it was not asked for, an error when it was.
  it('enables idempotence by default and turns it off for acks, retries or in-flight settings that rule it out', () => {
    expect(parseConfig('producer', bootstrap).enableIdempotence).toBe(true);
    expect(parseConfig('producer', { ...bootstrap, 'enable.idempotence': 'false' }).enableIdempotence).toBe(false);
    expect(parseConfig('producer', { ...bootstrap, acks: '1' }).enableIdempotence).toBe(false);
    expect(parseConfig('producer', { ...bootstrap, acks: '0' }).enableIdempotence).toBe(false);
    expect(parseConfig('producer', { ...bootstrap, retries: '0' }).enableIdempotence).toBe(false);
    expect(parseConfig('producer', { ...bootstrap, 'max.in.flight.requests.per.connection': '6' }).enableIdempotence).toBe(false);
    expect(parseConfig('producer', { ...bootstrap, 'max.in.flight.requests.per.connection': '5', acks: 'all' }).enableIdempotence).toBe(true);
  });

  it('accepts transactional.id with idempotence (its default) and refuses it without', () => {
    expect(parseConfig('producer', { ...bootstrap, 'transactional.id': 'billing-1' }).transactionalId).toBe('billing-1');
    expect(parseConfig('producer', bootstrap).transactionTimeoutMs).toBe(60_000);
    for (const settings of [{ 'enable.idempotence': 'false' }, { acks: '1' }]) {
      const error = thrown(() => parseConfig('producer', { ...bootstrap, 'transactional.id': 'billing-1', ...settings })) as ConflictingConfigsError;
      expect(error).toBeInstanceOf(ConflictingConfigsError);
      expect(error.configName).toBe('transactional.id');
    }
  });

  it.each([
    [{ acks: '1' }, 'acks'],
    [{ retries: '0' }, 'retries'],
    [{ 'max.in.flight.requests.per.connection': '6' }, 'max.in.flight.requests.per.connection'],
  ])('rejects enable.idempotence=true with %o, naming %s', (settings, name) => {
    const error = thrown(() => parseConfig('producer', { ...bootstrap, 'enable.idempotence': 'true', ...settings })) as ConflictingConfigsError;
    expect(error).toBeInstanceOf(ConflictingConfigsError);
    expect(error.configName).toBe(name);
    expect(error.otherConfigName).toBe('enable.idempotence');
    expect(error.message).toContain(`${name}=`);
    expect(error.errorName).toBe('INVALID_CONFIG');
  });

  it('rejects a value that is not implemented yet and accepts the implemented ones', () => {
    expect(() => parseConfig('producer', { ...bootstrap, 'compression.type': 'zstd' })).toThrow(UnsupportedConfigError);
    expect(parseConfig('producer', { ...bootstrap, 'compression.type': 'none' }).compressionType).toBe('none');
    expect(parseConfig('producer', { ...bootstrap, 'compression.type': 'gzip' }, { allowUnimplemented: true }).compressionType).toBe('gzip');
  });

  it('refuses topic settings kactor does not enforce yet, naming them, unless the value is what kactor does', () => {
    for (const [name, value] of [
      ['retention.ms', '60000'],
      ['retention.ms', '604800000'],
      ['retention.bytes', '1073741824'],
      ['cleanup.policy', 'compact'],
      ['cleanup.policy', 'compact,delete'],
    ] as const) {
      const error = thrown(() => parseConfig('topic', { [name]: value })) as UnsupportedConfigError;
      expect(error).toBeInstanceOf(UnsupportedConfigError);
      expect(error.errorName).toBe('INVALID_CONFIG');
      expect(error.message).toContain(`${name}=${value}`);
    }
    expect((thrown(() => parseConfig('topic', { 'retention.ms': '60000' })) as Error).message).toMatch(/does not enforce retention yet/);
    expect(parseConfig('topic', { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' })).toMatchObject({
      retentionMs: -1,
      retentionBytes: -1,
      cleanupPolicy: ['delete'],
    });
    // A topic stored by an older release with a setting refused now still loads.
    expect(parseConfig('topic', { 'cleanup.policy': 'compact' }, { allowUnimplemented: true }).cleanupPolicy).toEqual(['compact']);
  });

  it('makes every config error an INVALID_CONFIG protocol error', () => {
    const error = thrown(() => parseConfig('topic', { 'segment.bytes': '1' })) as ConfigError;
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect(error.toWire()).toMatchObject({ code: 40, name: 'INVALID_CONFIG', retriable: false });
    expect(error.scope).toBe('topic');
  });
});

describe('rules across settings', () => {
  it('raises a defaulted delivery.timeout.ms to linger.ms + request.timeout.ms, as Kafka does', () => {
    const producer = parseConfig('producer', { ...bootstrap, 'request.timeout.ms': '200000', 'linger.ms': '10' });
    expect(producer.deliveryTimeoutMs).toBe(200_010);
  });

  it('rejects an explicit delivery.timeout.ms below linger.ms + request.timeout.ms', () => {
    const error = thrown(() => parseConfig('producer', { ...bootstrap, 'delivery.timeout.ms': '1000' })) as InvalidConfigValueError;
    expect(error).toBeInstanceOf(InvalidConfigValueError);
    expect(error.configName).toBe('delivery.timeout.ms');
  });

  it('raises a defaulted admin default.api.timeout.ms to request.timeout.ms and rejects an explicit smaller one', () => {
    expect(parseConfig('admin', { ...bootstrap, 'request.timeout.ms': '90000' }).defaultApiTimeoutMs).toBe(90_000);
    expect(() => parseConfig('admin', { ...bootstrap, 'request.timeout.ms': '90000', 'default.api.timeout.ms': '1000' })).toThrow(InvalidConfigValueError);
  });
});
