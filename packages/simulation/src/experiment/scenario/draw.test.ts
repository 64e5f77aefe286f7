import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { Drawn } from '../model.js';
import { drawValue } from './draw.js';

const draws = (value: Drawn, seed: number, count = 200): number[] => {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => drawValue(value, random));
};

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('drawValue', () => {
  it('returns a fixed value as it is, drawing nothing', () => {
    const random = createSeededRandom(1);
    expect(drawValue(250, random)).toBe(250);
    expect(random.next()).toBe(createSeededRandom(1).next());
  });

  it('draws the same values for the same seed and others for another seed', () => {
    for (const value of [{ uniform: [10, 20] }, { exponential: { meanMs: 5 } }, { normal: { meanMs: 100, stddevMs: 10 } }] as Drawn[]) {
      expect(draws(value, 17)).toEqual(draws(value, 17));
      expect(draws(value, 17)).not.toEqual(draws(value, 18));
    }
  });

  it('draws uniform values within their bounds', () => {
    const values = draws({ uniform: [1_000, 2_000] }, 3, 2_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...values)).toBeLessThan(2_000);
    expect(mean(values)).toBeGreaterThan(1_450);
    expect(mean(values)).toBeLessThan(1_550);
    expect(draws({ uniform: [7, 7] }, 3, 5)).toEqual([7, 7, 7, 7, 7]);
  });

  it('draws exponential and normal values around their mean, never below zero', () => {
    const exponential = draws({ exponential: { meanMs: 50 } }, 5, 5_000);
    expect(Math.min(...exponential)).toBeGreaterThanOrEqual(0);
    expect(mean(exponential)).toBeGreaterThan(45);
    expect(mean(exponential)).toBeLessThan(55);
    const normal = draws({ normal: { meanMs: 1_000, stddevMs: 100 } }, 5, 5_000);
    expect(mean(normal)).toBeGreaterThan(990);
    expect(mean(normal)).toBeLessThan(1_010);
    const wide = draws({ normal: { meanMs: 10, stddevMs: 100 } }, 5, 1_000);
    expect(Math.min(...wide)).toBe(0);
  });
});
