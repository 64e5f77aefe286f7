import { describe, expect, it } from 'vitest';
import { becomeLeader } from './become-leader.js';
import { nextHighWatermark } from './high-watermark.js';
import { maximalIsr } from './isr-changes.js';
import { NEVER_CAUGHT_UP, UNKNOWN_OFFSET } from './replica-state.js';

const image = { leaderId: 0, replicas: [0, 1, 2], isr: [0, 1], leaderEpoch: 5, partitionEpoch: 3 };

describe('becomeLeader', () => {
  it('forgets follower positions; ISR members count as caught up now, others as never', () => {
    const state = becomeLeader(image, 10, 7000);
    expect(state.leaderEpochStartOffset).toBe(10);
    expect(state.isrState).toEqual({ leaderId: 0, isr: [0, 1], leaderEpoch: 5, partitionEpoch: 3, pendingIsrChange: undefined });
    expect(state.followers).toEqual([
      expect.objectContaining({ brokerId: 1, logEndOffset: UNKNOWN_OFFSET, lastCaughtUpTimeMs: 7000 }),
      expect.objectContaining({ brokerId: 2, logEndOffset: UNKNOWN_OFFSET, lastCaughtUpTimeMs: NEVER_CAUGHT_UP }),
    ]);
  });

  it('keeps the HW where it was until the ISR members have fetched in the new epoch', () => {
    const state = becomeLeader(image, 10, 7000);
    const highWatermark = nextHighWatermark({
      leaderId: 0,
      leaderLogEndOffset: 10,
      highWatermark: 6,
      isr: state.isrState.isr,
      maximalIsr: maximalIsr(state.isrState),
      followers: state.followers,
      minInsyncReplicas: 1,
      nowMs: 7000,
      replicaLagTimeMaxMs: 30000,
    });
    expect(highWatermark).toBe(6);
  });

  it('refuses a leader epoch older than the one it knew', () => {
    expect(() => becomeLeader(image, 10, 0, 6)).toThrow(expect.objectContaining({ invariant: 'leader-epoch-decreased' }));
  });
});
