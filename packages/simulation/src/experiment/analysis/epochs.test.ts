import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../trace.js';
import { EpochsAnalyzer } from './epochs.js';
import { feed, memberEvent, ownership, state } from './trace-builder.test-support.js';

const observed = (timeMs: number, observer: string, key: string, epoch: number): TraceEvent => ({ type: 'epoch.observed', timeMs, observer, key, epoch });

describe('generations and epochs going back', () => {
  it('passes generations that grow, "no generation" values and a history that starts over after a crash or a loss', () => {
    const analyzer = feed(new EpochsAnalyzer(), [
      state(1, 'app/member-0', 'unjoined', 'joining', -1),
      state(2, 'app/member-0', 'syncing', 'stable', 4),
      ownership('member.assigned', 2, 'app/member-0', ['orders-0'], 4),
      state(3, 'app/member-0', 'stable', 'unjoined', -1),
      state(4, 'app/member-0', 'syncing', 'stable', 5),
      ownership('member.lost', 5, 'app/member-0', ['orders-0'], 5),
      state(6, 'app/member-0', 'JOINING', 'STABLE', 2), // rejoined as a new member after the loss
      memberEvent('member.crashed', 7, 'app/member-0'),
      memberEvent('member.started', 8, 'app/member-0'),
      state(9, 'app/member-0', 'JOINING', 'STABLE', 1),
      observed(1, 'app/member-0', 'orders-0', 3),
      observed(2, 'app/member-0', 'orders-0', 3),
      observed(3, 'app/member-1', 'orders-0', 2), // another observer may lag
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('passes a loss that names the older epoch its partitions were assigned in (KIP-848: STALE after max.poll.interval.ms)', () => {
    const analyzer = feed(new EpochsAnalyzer(), [
      state(1, 'app/member-0', 'ACKNOWLEDGING', 'STABLE', 1),
      ownership('member.assigned', 1, 'app/member-0', ['orders-0'], 1),
      state(2, 'app/member-0', 'STABLE', 'STALE', 4), // the epoch moved on without a new assignment
      ownership('member.lost', 3, 'app/member-0', ['orders-0'], 1),
      state(4, 'app/member-0', 'JOINING', 'RECONCILING', 6),
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('catches a planted generation going back within one incarnation', () => {
    const analyzer = feed(new EpochsAnalyzer(), [state(1, 'app/member-0', 'syncing', 'stable', 7), ownership('member.revoked', 2, 'app/member-0', ['orders-0'], 6)]);
    expect(analyzer.result()).toEqual([{ checker: 'epoch-regression', detail: 'app/member-0: generation went back from 7 to 6' }]);
  });

  it('catches a planted leader epoch going back for one observer', () => {
    const analyzer = feed(new EpochsAnalyzer(), [observed(1, 'producer-0', 'orders-1', 4), observed(2, 'producer-0', 'orders-1', 3)]);
    expect(analyzer.result()).toEqual([{ checker: 'epoch-regression', detail: 'producer-0: epoch of orders-1 went back from 4 to 3' }]);
  });
});
