import { describe, expect, it } from 'vitest';
import { formatCount, formatDurationMs, formatMetricValue, speedUpInWords } from './format-values.js';

describe('formatMetricValue', () => {
  it('writes durations in whole milliseconds below a second and in seconds with one decimal from a second on', () => {
    expect(formatMetricValue(850, 'ms')).toBe('850 ms');
    expect(formatMetricValue(99.6, 'ms')).toBe('100 ms');
    expect(formatMetricValue(1_000, 'ms')).toBe('1.0 s');
    expect(formatMetricValue(1_234, 'ms')).toBe('1.2 s');
    expect(formatMetricValue(6_180_000, 'ms')).toBe('6,180.0 s');
    expect(formatDurationMs(0)).toBe('0 ms');
  });
  it('writes counts with thousands separators, and one decimal only when the value has a fraction', () => {
    expect(formatMetricValue(1_234_567, 'records')).toBe('1,234,567');
    expect(formatMetricValue(990.5, 'records/s')).toBe('990.5');
    expect(formatMetricValue(12, 'count')).toBe('12');
    expect(formatCount(1_000)).toBe('1,000');
  });
  it('writes speed-ups as factors and nothing measured as a dash', () => {
    expect(formatMetricValue(412.4, 'x')).toBe('412x');
    expect(formatMetricValue(Number.NaN, 'ms')).toBe('-');
    expect(formatMetricValue(Number.POSITIVE_INFINITY, 'count')).toBe('-');
  });
});

describe('speedUpInWords', () => {
  it('rounds to a whole factor from 100 on', () => {
    expect(speedUpInWords(600_000, 1_456)).toBe('412x faster than real time');
    expect(speedUpInWords(600_000_000, 480_000)).toBe('1,250x faster than real time');
  });
  it('keeps three significant digits below 100', () => {
    expect(speedUpInWords(600_000, 16_000)).toBe('37.5x faster than real time');
    expect(speedUpInWords(2_400, 1_000)).toBe('2.4x faster than real time');
  });
  it('says when the run was slower than real time', () => {
    expect(speedUpInWords(500, 1_000)).toBe('0.5x real time (slower than real time)');
    expect(speedUpInWords(1_000, 1_000)).toBe('1x real time (as fast as real time)');
  });
  it('does not divide by a wall-clock time of zero', () => {
    expect(speedUpInWords(1_000, 0)).toBe('no wall-clock time measured (speed-up unknown)');
  });
});
