import { describe, expect, it } from 'vitest';
import type { Random } from '@kactor/runtime';
import { backoffMs } from './backoff.js';

function fixedRandom(value: number): Random {
  return { next: () => value, nextInt: (n) => Math.floor(value * n), nextBytes: (n) => new Uint8Array(n) };
}

describe('backoffMs', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles from retry.backoff.ms for each attempt without jitter at the midpoint', () => {
    const middle = fixedRandom(0.5);
    expect([0, 1, 2, 3].map((attempt) => backoffMs(policy, attempt, middle))).toEqual([100, 200, 400, 800]);
  });

  it('stops growing at retry.backoff.max.ms', () => {
    expect(backoffMs(policy, 4, fixedRandom(0.5))).toBe(1_000);
    expect(backoffMs(policy, 1_000, fixedRandom(0.5))).toBe(1_000);
  });

  it('spreads each wait by 20 % either way', () => {
    expect(backoffMs(policy, 0, fixedRandom(0))).toBe(80);
    expect(backoffMs(policy, 0, fixedRandom(0.999_999))).toBe(119);
  });

  it('uses the cap as a constant wait when retry.backoff.ms exceeds it (KIP-580)', () => {
    expect(backoffMs({ initialMs: 5_000, maxMs: 1_000 }, 0, fixedRandom(0.5))).toBe(1_000);
  });

  it('never waits when retry.backoff.ms is 0', () => {
    expect(backoffMs({ initialMs: 0, maxMs: 1_000 }, 3, fixedRandom(0.9))).toBe(0);
  });
});
