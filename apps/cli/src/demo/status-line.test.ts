import { describe, expect, it } from 'vitest';
import { demoStatusLine, type DemoMember } from './status-line.js';

const member = (name: string, state: string, partitions: number[], consumed: number, generation = 1): DemoMember => ({ name, state, generation, partitions, consumed });

describe('demoStatusLine', () => {
  it("shows rates, lag, each member's state, partitions and count, and leaders per broker", () => {
    const line = demoStatusLine(
      { produced: 400, failed: 0, members: [member('c1', 'stable', [0, 1], 200), member('c2', 'stable', [], 0), member('c3', 'rebalancing', [2], 190)], startedAtMs: 0 },
      new Map([[0, 0], [1, 2], [2, -1]]),
      2_000,
    );
    expect(line).toBe('produced 400 (200/s) | consumed 390 | lag 10 | group gen 1 c1 stable p0,1:200 c2 stable p-:0 c3 rebalancing:190 | leaders offline:1 b0:1 b2:1');
  });

  it('shows members still joining before any generation, and failures', () => {
    expect(demoStatusLine({ produced: 0, failed: 3, members: [member('c1', 'joining', [], 0, -1)], startedAtMs: 0 }, new Map(), 500)).toBe(
      'produced 0 (0/s) failed 3 | consumed 0 | lag 0 | group c1 joining:0',
    );
  });
});
