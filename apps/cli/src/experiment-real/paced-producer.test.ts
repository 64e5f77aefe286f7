import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { keyChooser } from './paced-producer.js';

describe('record keys as the scenario distributes them', () => {
  it('gives no key, keys in turn, or drawn keys within the range', () => {
    expect(keyChooser({ kind: 'none' }, createSeededRandom(1))()).toBeUndefined();
    const inTurn = keyChooser({ kind: 'sequential', keys: 2 }, createSeededRandom(1));
    expect([inTurn(), inTurn(), inTurn()]).toEqual(['key-0', 'key-1', 'key-0']);
    const uniform = keyChooser({ kind: 'uniform', keys: 3 }, createSeededRandom(1));
    expect(new Set(Array.from({ length: 200 }, uniform))).toEqual(new Set(['key-0', 'key-1', 'key-2']));
  });

  it('draws Zipf keys with the first rank the most frequent', () => {
    const zipf = keyChooser({ kind: 'zipf', keys: 10, exponent: 1.2 }, createSeededRandom(7));
    const counts = new Map<string, number>();
    for (let draw = 0; draw < 2_000; draw += 1) {
      const key = zipf() as string;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.get('key-0') ?? 0).toBeGreaterThan(counts.get('key-1') ?? 0);
    expect(counts.get('key-1') ?? 0).toBeGreaterThan(counts.get('key-9') ?? 0);
  });
});
