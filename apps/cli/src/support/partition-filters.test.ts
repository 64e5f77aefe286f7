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
});
