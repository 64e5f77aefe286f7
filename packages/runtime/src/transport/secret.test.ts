import { describe, expect, it } from 'vitest';
import { bearerHeader, bearerToken, createSecretCheck, secretToken } from './secret.js';

describe('createSecretCheck', () => {
  it('accepts only the token of the exact secret', () => {
    const check = createSecretCheck('s3cret-token');
    expect(check(secretToken('s3cret-token'))).toBe(true);
    expect(check(secretToken('s3cret-tokem'))).toBe(false);
    expect(check(secretToken('s3cret-token '))).toBe(false);
    expect(check('s3cret-token')).toBe(false);
    expect(check('')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check('x'.repeat(10_000))).toBe(false);
  });

  it('takes any text as a secret, passphrases and non-ASCII included', () => {
    for (const secret of ['correct horse battery staple', 'naïve', 'line\nbreak']) {
      expect(createSecretCheck(secret)(secretToken(secret))).toBe(true);
      expect(bearerHeader(secret)).toMatch(/^Bearer [0-9a-f]{64}$/);
    }
  });

  it('refuses an empty secret, which would switch authentication off, and an oversized one', () => {
    expect(() => createSecretCheck('')).toThrow(RangeError);
    expect(() => createSecretCheck('x'.repeat(1_025))).toThrow(RangeError);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the scheme case', () => {
    expect(bearerToken(bearerHeader('abc'))).toBe(secretToken('abc'));
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
