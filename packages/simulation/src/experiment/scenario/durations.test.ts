import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './durations.js';

describe('parseDurationMs', () => {
  it('reads numbers as ms and strings with ms, s, m or h', () => {
    expect(parseDurationMs(1_500)).toBe(1_500);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('1.5s')).toBe(1_500);
    expect(parseDurationMs(' 2m ')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('10 s')).toBe(10_000);
    expect(parseDurationMs('600000')).toBe(600_000);
  });

  it('gives undefined for anything else', () => {
    for (const value of ['', '5 minutes', '1d', '-1s', 's', Number.NaN, Number.POSITIVE_INFINITY, null, true, {}]) {
      expect(parseDurationMs(value)).toBeUndefined();
    }
  });
});
