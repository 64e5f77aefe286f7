import { describe, expect, it } from 'vitest';
import { bearerHeader, bearerToken, createSecretCheck } from './secret.js';

describe('createSecretCheck', () => {
  it('accepts only the exact secret', () => {
    const check = createSecretCheck('s3cret-token');
    expect(check('s3cret-token')).toBe(true);
    expect(check('s3cret-tokem')).toBe(false);
    expect(check('s3cret-token ')).toBe(false);
    expect(check('s3cret')).toBe(false);
    expect(check('')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check('x'.repeat(10_000))).toBe(false);
  });

  it('refuses secrets that cannot travel in a header or would switch authentication off', () => {
    expect(() => createSecretCheck('')).toThrow(RangeError);
    expect(() => createSecretCheck('two words')).toThrow(RangeError);
    expect(() => createSecretCheck('naïve')).toThrow(RangeError);
    expect(() => bearerHeader('line\nbreak')).toThrow(RangeError);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the scheme case', () => {
    expect(bearerToken(bearerHeader('abc'))).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
