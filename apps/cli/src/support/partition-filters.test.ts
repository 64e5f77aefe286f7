import { describe, expect, it } from 'vitest';
import { partitionShown } from './partition-filters.js';

const live = new Set([0, 1, 2]);
const healthy = { leader: 0, replicas: [0, 1, 2], isr: [0, 1, 2] };
const underReplicated = { leader: 0, replicas: [0, 1, 2], isr: [0, 1] };
const leaderless = { leader: -1, replicas: [3], isr: [3] };
const leaderGone = { leader: 3, replicas: [3], isr: [3] };

describe('topics describe partition filters (kafka-topics.sh)', () => {
  it('shows every partition without a filter', () => {
    for (const partition of [healthy, underReplicated, leaderless]) expect(partitionShown(partition, { underReplicated: false, unavailable: false }, live)).toBe(true);
  });

  it('--under-replicated-partitions: fewer in sync than assigned', () => {
    const filters = { underReplicated: true, unavailable: false };
    expect([healthy, underReplicated, leaderless].map((partition) => partitionShown(partition, filters, live))).toEqual([false, true, false]);
  });

  it('--unavailable-partitions: no leader, or a leader that is not a live broker', () => {
    const filters = { underReplicated: false, unavailable: true };
    expect([healthy, underReplicated, leaderless, leaderGone].map((partition) => partitionShown(partition, filters, live))).toEqual([false, false, true, true]);
  });

  it('both: a partition matching either', () => {
    const filters = { underReplicated: true, unavailable: true };
    expect([healthy, underReplicated, leaderless].map((partition) => partitionShown(partition, filters, live))).toEqual([false, true, true]);
  });

  it('--under-min-isr-partitions and --at-min-isr-partitions: fewer in sync than min.insync.replicas, or exactly that many', () => {
    const lastInSync = { leader: 0, replicas: [0, 1, 2], isr: [0] };
    const under = { underReplicated: false, unavailable: false, underMinIsr: true };
    const at = { underReplicated: false, unavailable: false, atMinIsr: true };
    expect([healthy, underReplicated, lastInSync].map((partition) => partitionShown(partition, under, live, 2))).toEqual([false, false, true]);
    expect([healthy, underReplicated, lastInSync].map((partition) => partitionShown(partition, at, live, 2))).toEqual([false, true, false]);
    // Kafka's default min.insync.replicas is 1: a partition down to its leader is at the minimum, not under it.
    expect(partitionShown(lastInSync, under, live)).toBe(false);
    expect(partitionShown(lastInSync, at, live)).toBe(true);
  });
});
