import { describe, expect, it } from 'vitest';
import { demoStatusLine } from './status-line.js';

describe('demoStatusLine', () => {
  it('shows rates, lag, per-partition counts and leaders per broker', () => {
    const line = demoStatusLine(
      { produced: 400, failed: 0, consumed: 390, consumedByPartition: new Map([[1, 200], [0, 190]]), startedAtMs: 0 },
      new Map([[0, 0], [1, 2], [2, -1]]),
      2_000,
    );
    expect(line).toBe('produced 400 (200/s) | consumed 390 | lag 10 | p0:190 p1:200 | leaders offline:1 b0:1 b2:1');
  });

  it('says when nothing has been consumed yet, and shows failures', () => {
    expect(demoStatusLine({ produced: 0, failed: 3, consumed: 0, consumedByPartition: new Map(), startedAtMs: 0 }, new Map(), 500)).toBe(
      'produced 0 (0/s) failed 3 | consumed 0 | lag 0 | waiting for records',
    );
  });
});
