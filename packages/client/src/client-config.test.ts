import { parseConfig, UnknownConfigError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { resolveClientConfig } from './client-config.js';

describe('resolveClientConfig', () => {
  it('parses settings by Kafka name with Kafka defaults and builds ws URLs from host:port', () => {
    const { config, bootstrapUrls } = resolveClientConfig('producer', { 'bootstrap.servers': '127.0.0.1:9101,127.0.0.1:9102', 'linger.ms': 20 }, {});
    expect(config.lingerMs).toBe(20);
    expect(config.batchSize).toBe(16_384);
    expect(bootstrapUrls).toEqual(['ws://127.0.0.1:9101', 'ws://127.0.0.1:9102']);
  });

  it('keeps the scheme of entries written as URLs', () => {
    const { config, bootstrapUrls } = resolveClientConfig('consumer', { 'bootstrap.servers': ['memory://broker-0:1', 'ws://[::1]:9101'] }, {});
    expect(bootstrapUrls).toEqual(['memory://broker-0:1', 'ws://[::1]:9101']);
    expect(config.bootstrapServers).toEqual([{ host: 'broker-0', port: 1 }, { host: '::1', port: 9101 }]);
  });

  it('uses the runtime scheme for a parsed config', () => {
    const parsed = parseConfig('admin', { 'bootstrap.servers': 'broker-0:1' });
    expect(resolveClientConfig('admin', parsed, { urlScheme: 'memory' }).bootstrapUrls).toEqual(['memory://broker-0:1']);
  });

  it('reports unknown settings with Kafka-style config errors', () => {
    expect(() => resolveClientConfig('consumer', { 'bootstrap.servers': 'a:1', 'linger.ms': 5 }, {})).toThrow(UnknownConfigError);
  });

  it('accepts group.instance.id (static membership) and still checks its value', () => {
    const { config } = resolveClientConfig('consumer', { 'bootstrap.servers': 'a:1', 'group.id': 'g', 'group.instance.id': 'reader-1' }, {});
    expect(config.groupInstanceId).toBe('reader-1');
    expect(config.groupId).toBe('g');
    expect(resolveClientConfig('consumer', { 'bootstrap.servers': 'a:1' }, {}).config.groupInstanceId).toBeNull();
    expect(() => resolveClientConfig('consumer', { 'bootstrap.servers': 'a:1', 'group.instance.id': '' }, {})).toThrow(/group.instance.id/);
  });
});
