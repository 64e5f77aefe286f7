import { describe, expect, it } from 'vitest';
import { effectiveMinInsyncReplicas, nextHighWatermark, type HighWatermarkInputs } from './high-watermark.js';
import { assertHighWatermarkMove, ReplicationInvariantError } from './invariants.js';
import { unknownFollowerState } from './replica-state.js';
import { followerAt } from './test-support.js';

const base: HighWatermarkInputs = {
  leaderId: 0,
  leaderLogEndOffset: 10,
  highWatermark: 0,
  isr: [0, 1, 2],
  maximalIsr: [0, 1, 2],
  followers: [followerAt(1, 6, 1000, 10), followerAt(2, 8, 1000, 10)],
  minInsyncReplicas: 1,
  nowMs: 1000,
  replicaLagTimeMaxMs: 30000,
};

describe('nextHighWatermark', () => {
  it('is the lowest LEO of the ISR', () => {
    expect(nextHighWatermark(base)).toBe(6);
  });

  it('is the leader LEO when every follower has it', () => {
    expect(nextHighWatermark({ ...base, followers: [followerAt(1, 10, 1000, 10), followerAt(2, 10, 1000, 10)] })).toBe(10);
  });

  it('never decreases: a lower ISR minimum leaves the HW where it was', () => {
    expect(nextHighWatermark({ ...base, highWatermark: 7 })).toBe(7);
  });

  it('counts a pending ISR addition (maximal ISR, KIP-497)', () => {
    const lagging = followerAt(2, 3, 0, 10); // never caught up, so it only holds the HW back as a pending member
    const inputs = { ...base, isr: [0, 1], maximalIsr: [0, 1], followers: [followerAt(1, 10, 1000, 10), lagging], nowMs: 100000 };
    expect(nextHighWatermark(inputs)).toBe(10);
    expect(nextHighWatermark({ ...inputs, maximalIsr: [0, 1, 2] })).toBe(3);
  });

  it('is held back by a caught-up follower eligible to join the ISR, not by an ineligible one', () => {
    const joining = { ...base, isr: [0, 1], maximalIsr: [0, 1], followers: [followerAt(1, 10, 1000, 10), followerAt(2, 8, 1000, 9)] };
    expect(nextHighWatermark(joining)).toBe(8);
    expect(nextHighWatermark({ ...joining, isReplicaIsrEligible: (id) => id !== 2 })).toBe(10);
  });

  it('stays put while an ISR member has not fetched in this leader epoch', () => {
    expect(nextHighWatermark({ ...base, highWatermark: 4, followers: [unknownFollowerState(1, 1000), followerAt(2, 10, 1000, 10)] })).toBe(4);
  });

  it('does not advance while the ISR is below min.insync.replicas (testHighWatermarkAdvanceShouldNotAdvanceWhenUnderMinISR)', () => {
    const underMin = { ...base, isr: [0], maximalIsr: [0], followers: [], highWatermark: 4, minInsyncReplicas: 2 };
    expect(nextHighWatermark(underMin)).toBe(4);
    expect(nextHighWatermark({ ...underMin, minInsyncReplicas: 1 })).toBe(10);
  });

  it('throws ReplicationInvariantError when the HW would be above the LEO', () => {
    expect(() => nextHighWatermark({ ...base, highWatermark: 11 })).toThrow(ReplicationInvariantError);
    expect(() => nextHighWatermark({ ...base, highWatermark: 11 })).toThrow(/high-watermark-above-log-end-offset/);
  });
});

describe('assertHighWatermarkMove', () => {
  it('names a decrease', () => {
    expect(() => assertHighWatermarkMove(5, 4, 10)).toThrow(expect.objectContaining({ invariant: 'high-watermark-decreased' }));
    expect(() => assertHighWatermarkMove(4, 5, 10)).not.toThrow();
  });
});

describe('effectiveMinInsyncReplicas', () => {
  it('is min.insync.replicas capped at the replica count', () => {
    expect(effectiveMinInsyncReplicas(2, 3)).toBe(2);
    expect(effectiveMinInsyncReplicas(2, 1)).toBe(1);
  });
});
