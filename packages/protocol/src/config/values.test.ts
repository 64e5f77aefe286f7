import { describe, expect, it } from 'vitest';
import { ConfigValueProblem } from './types.js';
import { formatHostPort, formatListener, parseBoolean, parseHostPort, parseInteger, parseListener, splitList } from './values.js';

describe('parseInteger', () => {
  it('accepts what Java parseInt/parseLong accept', () => {
    expect(parseInteger('+42', 'int')).toBe(42);
    expect(parseInteger('-2147483648', 'int')).toBe(-2147483648);
    expect(parseInteger('007', 'short')).toBe(7);
  });

  it.each(['', ' ', '1e3', '0x10', '1_000', '5.0', '--1', 'NaN', 'Infinity'])('rejects %j', (raw) => {
    expect(() => parseInteger(raw, 'long')).toThrow(ConfigValueProblem);
  });

  it('checks the width exactly, beyond the precision of a double', () => {
    expect(() => parseInteger('32768', 'short')).toThrow(ConfigValueProblem);
    expect(() => parseInteger('2147483648', 'int')).toThrow(ConfigValueProblem);
    expect(parseInteger('9223372036854775807', 'long')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInteger('-9223372036854775808', 'long')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => parseInteger('9223372036854775808', 'long')).toThrow(ConfigValueProblem);
  });
});

describe('parseBoolean', () => {
  it('accepts true and false in any case, trimmed', () => {
    expect(parseBoolean(' True ')).toBe(true);
    expect(parseBoolean('FALSE')).toBe(false);
    expect(() => parseBoolean('1')).toThrow(ConfigValueProblem);
  });
});

describe('splitList', () => {
  it('splits like Kafka: empty string is the empty list, spaces around commas go', () => {
    expect(splitList('')).toEqual([]);
    expect(splitList('  ')).toEqual([]);
    expect(splitList('a , b,c')).toEqual(['a', 'b', 'c']);
    expect(splitList('a,,b')).toEqual(['a', '', 'b']);
  });
});

describe('host:port and listeners', () => {
  it('parses and formats host:port, IPv6 in brackets', () => {
    expect(parseHostPort('broker-1.local:9092')).toEqual({ host: 'broker-1.local', port: 9092 });
    expect(parseHostPort('[::1]:9093')).toEqual({ host: '::1', port: 9093 });
    expect(formatHostPort({ host: '::1', port: 9093 })).toBe('[::1]:9093');
    for (const bad of ['host', ':9092', 'host:', 'host:0', 'host:65536', 'ws://host:1', 'a b:1']) {
      expect(() => parseHostPort(bad), bad).toThrow(ConfigValueProblem);
    }
  });

  it('parses and formats NAME://host:port with an optional host and port 0', () => {
    expect(parseListener('PLAINTEXT://:9092')).toEqual({ listenerName: 'PLAINTEXT', host: '', port: 9092 });
    expect(parseListener('INTERNAL://[::]:0')).toEqual({ listenerName: 'INTERNAL', host: '::', port: 0 });
    expect(formatListener({ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 1 })).toBe('PLAINTEXT://127.0.0.1:1');
    for (const bad of ['localhost:9092', 'PLAIN TEXT://:1', 'PLAINTEXT://:99999']) {
      expect(() => parseListener(bad), bad).toThrow(ConfigValueProblem);
    }
  });
});
