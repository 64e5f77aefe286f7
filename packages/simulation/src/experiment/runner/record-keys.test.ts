import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { keyChooser } from './record-keys.js';

const draw = (chooser: (n: number) => string | null, count: number): Array<string | null> => Array.from({ length: count }, (_, n) => chooser(n));

describe('keyChooser', () => {
  it('gives no key, sequential keys, or keys drawn from the seed', () => {
    expect(draw(keyChooser({ kind: 'none' }, createSeededRandom(1)), 2)).toEqual([null, null]);
    expect(draw(keyChooser({ kind: 'sequential', keys: 3 }, createSeededRandom(1)), 5)).toEqual(['key-0', 'key-1', 'key-2', 'key-0', 'key-1']);
    const uniform = draw(keyChooser({ kind: 'uniform', keys: 10 }, createSeededRandom(7)), 200);
    expect(uniform).toEqual(draw(keyChooser({ kind: 'uniform', keys: 10 }, createSeededRandom(7)), 200));
    expect(new Set(uniform).size).toBe(10);
  });

  it('draws Zipf keys with the lowest ranks most often', () => {
    const keys = draw(keyChooser({ kind: 'zipf', keys: 100, exponent: 1.2 }, createSeededRandom(3)), 5_000);
    const count = (key: string): number => keys.filter((candidate) => candidate === key).length;
    expect(count('key-0')).toBeGreaterThan(count('key-1'));
    expect(count('key-1')).toBeGreaterThan(count('key-50'));
    expect(keys.every((key) => key !== null && Number(key.slice(4)) < 100)).toBe(true);
  });
});
