import { describe, expect, it } from 'vitest';
import { CommittedOffsetsAnalyzer } from './committed-offsets.js';
import { committed, feed } from './trace-builder.test-support.js';

describe('committed offsets going back', () => {
  it('passes commits that stay or move forward, per group and partition', () => {
    const analyzer = feed(new CommittedOffsetsAnalyzer(), [
      committed(1, 'app/member-0', 'orders-0', 5),
      committed(2, 'app/member-0', 'orders-0', 5),
      committed(3, 'app/member-1', 'orders-0', 9),
      committed(4, 'app/member-1', 'orders-1', 2), // another partition starts lower
      committed(5, 'other/member-0', 'orders-0', 1, 1, 'other'), // another group too
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('catches a planted commit that goes back', () => {
    const analyzer = feed(new CommittedOffsetsAnalyzer(), [committed(1, 'app/member-0', 'orders-0', 9), committed(2, 'app/member-1', 'orders-0', 4, 3)]);
    expect(analyzer.result()).toEqual([
      { checker: 'committed-offset-regression', detail: 'app: orders-0 committed offset went back from 9 (by app/member-0) to 4 (by app/member-1, generation 3)' },
    ]);
  });
});
