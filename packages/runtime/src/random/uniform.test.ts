import { describe, expect, it } from 'vitest';
import type { Random } from './random.js';
import { createSeededRandom } from './seeded-random.js';
import { systemRandom } from './system-random.js';
import { intBelow } from './uniform.js';

const sources: Array<[string, () => Random]> = [
  ['seeded', () => createSeededRandom('uniformity')],
  ['system', () => systemRandom],
];

describe.each(sources)('%s random', (_name, makeRandom) => {
  it('draws floats in [0, 1) that spread over the whole interval', () => {
    const random = makeRandom();
    const buckets = new Array<number>(10).fill(0);
    for (let draw = 0; draw < 20_000; draw += 1) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
      buckets[Math.floor(value * 10)]! += 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(1_700);
  });

  it('draws integers below the bound, hitting every value', () => {
    const random = makeRandom();
    const seen = new Set<number>();
    for (let draw = 0; draw < 5_000; draw += 1) {
      const value = random.nextInt(7);
      expect(Number.isInteger(value) && value >= 0 && value < 7).toBe(true);
      seen.add(value);
    }
    expect(seen.size).toBe(7);
    expect(random.nextInt(1)).toBe(0);
    const large = random.nextInt(2 ** 50);
    expect(Number.isSafeInteger(large) && large >= 0 && large < 2 ** 50).toBe(true);
  });

  it('gives the requested number of bytes, zero included', () => {
    const random = makeRandom();
    expect(random.nextBytes(0)).toHaveLength(0);
    expect(random.nextBytes(13)).toHaveLength(13);
    expect(random.nextBytes(13)).toBeInstanceOf(Uint8Array);
  });

  it('refuses bounds and lengths that make no sense', () => {
    const random = makeRandom();
    expect(() => random.nextInt(0)).toThrow(RangeError);
    expect(() => random.nextInt(2.5)).toThrow(RangeError);
    expect(() => random.nextInt(2 ** 60)).toThrow(RangeError);
    expect(() => random.nextBytes(-1)).toThrow(RangeError);
  });
});

describe('intBelow', () => {
  it('rejects the words that would bias the result instead of folding them with %', () => {
    // With max 3, 2^32 % 3 = 1: the single word 2^32 - 1 must be rejected, or 0 would be favoured.
    const words = [0xffffffff, 5];
    expect(intBelow(() => words.shift()!, 3)).toBe(5 % 3);
    expect(words).toEqual([]);
  });
});
