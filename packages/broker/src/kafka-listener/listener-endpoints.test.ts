import { ConfigError, parseConfig } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { kafkaListenerEndpoints } from './listener-endpoints.js';

const base = { 'node.id': 1, 'process.roles': 'broker,controller', 'controller.quorum.bootstrap.servers': '127.0.0.1:9093' };
const parse = (entries: Record<string, string>) => parseConfig('broker', { ...base, ...entries });

describe('listeners and advertised.listeners', () => {
  it('advertises the listeners when advertised.listeners is not set, an empty host as 127.0.0.1', () => {
    const config = parse({ listeners: 'PLAINTEXT://:9092' });
    expect(config.advertisedListeners).toEqual([{ listenerName: 'PLAINTEXT', host: '', port: 9092 }]);
    expect(kafkaListenerEndpoints(config)).toEqual({ bind: { host: '0.0.0.0', port: 9092 }, advertised: { host: '127.0.0.1', port: 9092 } });
  });

  it('binds one address and advertises another', () => {
    const config = parse({ listeners: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://:9093', 'advertised.listeners': 'PLAINTEXT://broker-1.example:19092' });
    expect(kafkaListenerEndpoints(config)).toEqual({ bind: { host: '0.0.0.0', port: 9092 }, advertised: { host: 'broker-1.example', port: 19092 } });
  });

  it('has no Kafka listener without a PLAINTEXT entry', () => {
    expect(kafkaListenerEndpoints(parse({ listeners: 'CONTROLLER://127.0.0.1:9093' }))).toBeUndefined();
  });

  it('refuses an advertised name that is not a listener, naming both settings', () => {
    expect(() => parse({ listeners: 'PLAINTEXT://127.0.0.1:9092', 'advertised.listeners': 'EXTERNAL://h:1' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', configName: 'advertised.listeners', message: expect.stringContaining('EXTERNAL, which is not one of listeners (PLAINTEXT)') }),
    );
  });

  it('refuses to advertise 0.0.0.0 or an empty host, as Kafka does', () => {
    for (const value of ['PLAINTEXT://0.0.0.0:9092', 'PLAINTEXT://:9092']) {
      expect(() => parse({ listeners: 'PLAINTEXT://:9092', 'advertised.listeners': value }), value).toThrow(ConfigError);
    }
  });

  it('refuses a malformed listener with the expected form', () => {
    expect(() => parse({ listeners: 'PLAINTEXT:/127.0.0.1:9092' })).toThrow(/NAME:\/\/host:port/);
  });
});
