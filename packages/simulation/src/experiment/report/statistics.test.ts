import { describe, expect, it } from 'vitest';
import { median, nearestRankPercentile, worstValue } from './statistics.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the input order', () => {
    expect(median([30, 10, 20])).toBe(20);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN for no values and does not reorder its input', () => {
    expect(median([])).toBeNaN();
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('nearestRankPercentile', () => {
  it('is the value at rank ceil(p * n): a measured value, never interpolated', () => {
    const values = Array.from({ length: 20 }, (_, index) => 20 - index); // 20..1
    expect(nearestRankPercentile(values, 95)).toBe(19);
    expect(nearestRankPercentile(values, 50)).toBe(10);
    expect(nearestRankPercentile(values, 100)).toBe(20);
  });
  it('is the maximum of a few values', () => {
    expect(nearestRankPercentile([5, 1, 3], 95)).toBe(5);
    expect(nearestRankPercentile([7], 95)).toBe(7);
  });
  it('rejects a percentile outside (0, 100]', () => {
    expect(() => nearestRankPercentile([1], 0)).toThrow(RangeError);
    expect(() => nearestRankPercentile([1], 101)).toThrow(RangeError);
  });
});

describe('worstValue', () => {
  it('is the maximum when higher is worse and the minimum when lower is worse', () => {
    expect(worstValue([3, 9, 1], 'higher')).toBe(9);
    expect(worstValue([3, 9, 1], 'lower')).toBe(1);
    expect(worstValue([], 'higher')).toBeNaN();
  });
});
