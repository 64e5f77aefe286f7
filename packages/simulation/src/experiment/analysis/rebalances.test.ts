import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../trace.js';
import { RebalanceAnalyzer } from './rebalances.js';
import { feed, memberEvent, ownership, paused, runEnded, runStarted, state, timeline } from './trace-builder.test-support.js';

const m0 = 'app/member-0';
const m1 = 'app/member-1';
const m2 = 'app/member-2';

/** Two classic members formed in generation 1 by 1 s: member-0 holds orders-0 and orders-1, member-1 orders-2 and orders-3. */
const formed: TraceEvent[] = [
  runStarted({ orders: 4 }, { app: { topics: ['orders'] } }),
  memberEvent('member.started', 0, m0),
  memberEvent('member.started', 0, m1),
  state(500, m0, 'syncing', 'stable', 1),
  state(500, m1, 'syncing', 'stable', 1),
  ownership('member.assigned', 600, m0, ['orders-0', 'orders-1'], 1),
  ownership('member.assigned', 1_000, m1, ['orders-2', 'orders-3'], 1),
];

const analyze = (events: readonly TraceEvent[], durationMs = 60_000) => {
  const analyzer = feed(new RebalanceAnalyzer({ durationMs }), events);
  return { rebalances: analyzer.result(), detectionMs: analyzer.detectionMs() };
};

describe('rebalance episodes', () => {
  it('does not count the group forming, nor a short pause that unsettles nothing', () => {
    const { rebalances } = analyze([...formed, timeline(5_000, 'member.pause', { group: 'app', members: [m1] }), paused(5_000, m1, 1_000), memberEvent('member.resumed', 6_000, m1), runEnded(60_000)]);
    expect(rebalances).toEqual([]);
  });

  it('measures nothing of the setup: a KIP-848 group reconciling before the workload starts, then the first episode is the timeline\'s', () => {
    const setup: TraceEvent[] = [
      { ...runStarted({ orders: 2 }, { app: { topics: ['orders'] } }, -8_000), workloadStartMs: 0 } as TraceEvent,
      memberEvent('member.started', -8_000, m0),
      state(-7_900, m0, 'JOINING', 'STABLE', 1),
      ownership('member.assigned', -7_900, m0, ['orders-0', 'orders-1'], 1),
      memberEvent('member.started', -7_800, m1),
      // The formation's reconciliation: member-0 gives orders-1 up at its next heartbeat, member-1 gets it.
      state(-3_000, m0, 'STABLE', 'RECONCILING', 1),
      ownership('member.revoked', -3_000, m0, ['orders-1'], 3),
      state(-2_900, m0, 'RECONCILING', 'STABLE', 3),
      state(-2_000, m1, 'RECONCILING', 'STABLE', 4),
      ownership('member.assigned', -2_000, m1, ['orders-1'], 4),
    ];
    const { rebalances } = analyze([
      ...setup,
      timeline(10_000, 'member.crash', { group: 'app', members: [m1] }),
      memberEvent('member.crashed', 10_000, m1),
      state(20_000, m0, 'STABLE', 'RECONCILING', 3),
      state(20_000, m0, 'RECONCILING', 'STABLE', 5),
      ownership('member.assigned', 20_000, m0, ['orders-1'], 5),
      runEnded(60_000),
    ]);
    expect(rebalances.map((rebalance) => [rebalance.trigger, rebalance.triggerMs, rebalance.stableMs])).toEqual([['member.crash', 10_000, 20_000]]);
  });

  it('reports a group still forming when the window opens as an unfinished formation from the window\'s start', () => {
    const { rebalances } = analyze(
      [{ ...runStarted({ orders: 2 }, { app: { topics: ['orders'] } }, -5_000), workloadStartMs: 0 } as TraceEvent, memberEvent('member.started', -5_000, m0), state(-4_000, m0, 'JOINING', 'RECONCILING', 1), runEnded(30_000)],
      30_000,
    );
    expect(rebalances).toEqual([{ group: 'app', trigger: 'formation', triggerMs: 0, generations: 0, partitionsMoved: 0, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 0 }]);
  });

  it('measures an eager rebalance when a member joins: one generation, moves and pauses', () => {
    const { rebalances } = analyze([
      ...formed,
      timeline(10_000, 'member.join', { group: 'app', members: [m2] }),
      memberEvent('member.started', 10_000, m2),
      state(10_100, m0, 'stable', 'joining', 1),
      ownership('member.revoked', 10_100, m0, ['orders-0', 'orders-1'], 1),
      state(10_200, m1, 'stable', 'joining', 1),
      ownership('member.revoked', 10_200, m1, ['orders-2', 'orders-3'], 1),
      state(11_000, m0, 'syncing', 'stable', 2),
      ownership('member.assigned', 11_000, m0, ['orders-0', 'orders-1'], 2),
      state(11_000, m1, 'syncing', 'stable', 2),
      ownership('member.assigned', 11_500, m1, ['orders-3'], 2),
      state(12_000, m2, 'syncing', 'stable', 2),
      ownership('member.assigned', 12_000, m2, ['orders-2'], 2),
      runEnded(60_000),
    ]);
    expect(rebalances).toEqual([
      {
        group: 'app',
        trigger: 'member.join',
        triggerMs: 10_000,
        stableMs: 12_000,
        generations: 1,
        partitionsMoved: 1,
        // member-0 held nothing from 10.1 s to 11 s; member-1 nothing from 10.2 s to 11.5 s, then half until 12 s.
        pausedMemberMs: 900 + 1_300,
        partiallyPausedMemberMs: 500,
        // From 10.1 s: 2 partitions unheld for 0.1 s, 4 for 0.8 s, 2 for 0.5 s, 1 for 0.5 s.
        unownedPartitionMs: 200 + 3_200 + 1_000 + 500,
      },
    ]);
  });

  it('measures a crash: the group is not stable while the dead member\'s partitions have no owner', () => {
    const { rebalances, detectionMs } = analyze([
      ...formed,
      timeline(20_000, 'member.crash', { group: 'app', members: [m1] }),
      memberEvent('member.crashed', 20_000, m1),
      state(30_000, m0, 'stable', 'joining', 1),
      state(30_500, m0, 'syncing', 'stable', 2),
      ownership('member.assigned', 30_500, m0, ['orders-2', 'orders-3'], 2),
      runEnded(60_000),
    ]);
    expect(rebalances).toEqual([{ group: 'app', trigger: 'member.crash', triggerMs: 20_000, stableMs: 30_500, generations: 1, partitionsMoved: 2, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 2 * 10_500 }]);
    expect(detectionMs).toBe(10_500);
  });

  it('starts an episode without a trigger when a stable member leaves its stable state, and reports one unfinished at the end', () => {
    const { rebalances } = analyze([...formed, state(40_000, m1, 'stable', 'joining', 1), runEnded(50_000), state(50_100, m1, 'syncing', 'stable', 2)], 50_000);
    expect(rebalances).toEqual([{ group: 'app', trigger: 'member.state app/member-1 stable->joining', triggerMs: 40_000, generations: 0, partitionsMoved: 0, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 0 }]);
  });

  it('lets a paused member\'s partitions go to others without waiting for it, and counts its rejoin after it resumes', () => {
    const { rebalances } = analyze([
      ...formed,
      timeline(5_000, 'member.pause', { group: 'app', members: [m1] }),
      paused(5_000, m1, 30_000),
      state(15_000, m0, 'stable', 'joining', 1),
      state(15_500, m0, 'syncing', 'stable', 2),
      ownership('member.assigned', 15_500, m0, ['orders-2', 'orders-3'], 2),
      memberEvent('member.resumed', 35_000, m1),
      ownership('member.lost', 35_100, m1, ['orders-2', 'orders-3'], 1),
      state(35_100, m1, 'stable', 'joining', -1),
      state(36_000, m0, 'syncing', 'stable', 3),
      state(36_000, m1, 'syncing', 'stable', 3),
      runEnded(60_000),
    ]);
    expect(rebalances.map(({ trigger, triggerMs, stableMs }) => ({ trigger, triggerMs, stableMs }))).toEqual([
      { trigger: 'member.pause', triggerMs: 5_000, stableMs: 15_500 },
      { trigger: 'member.resumed app/member-1', triggerMs: 35_000, stableMs: 36_000 },
    ]);
  });

  it('takes KIP-848 members with different epochs as stable once all are STABLE and every partition has one owner', () => {
    const { rebalances } = analyze([
      runStarted({ orders: 2 }, { app: { topics: ['orders'] } }),
      state(100, m0, 'RECONCILING', 'STABLE', 1),
      ownership('member.assigned', 100, m0, ['orders-0', 'orders-1'], 1),
      memberEvent('member.started', 1_000, m1),
      state(1_100, m1, 'JOINING', 'RECONCILING', 2),
      state(1_200, m0, 'STABLE', 'RECONCILING', 1),
      ownership('member.revoked', 1_200, m0, ['orders-1'], 1),
      state(1_300, m0, 'ACKNOWLEDGING', 'STABLE', 2),
      state(1_500, m1, 'ACKNOWLEDGING', 'STABLE', 3),
      ownership('member.assigned', 1_500, m1, ['orders-1'], 3),
      runEnded(10_000),
    ]);
    expect(rebalances).toEqual([
      { group: 'app', trigger: 'member.started app/member-1', triggerMs: 1_000, stableMs: 1_500, generations: 2, partitionsMoved: 1, pausedMemberMs: 0, partiallyPausedMemberMs: 300, unownedPartitionMs: 300 },
    ]);
  });

  it('starts an episode when partitions are added, and counts the new ones as assigned, not moved', () => {
    const { rebalances } = analyze([
      ...formed,
      { type: 'topic.partitions', timeMs: 20_000, topic: 'orders', partitions: 6 },
      state(20_500, m0, 'stable', 'joining', 1),
      state(20_500, m1, 'stable', 'joining', 1),
      state(21_000, m0, 'syncing', 'stable', 2),
      state(21_000, m1, 'syncing', 'stable', 2),
      ownership('member.assigned', 21_000, m0, ['orders-4'], 2),
      ownership('member.assigned', 21_200, m1, ['orders-5'], 2),
      runEnded(60_000),
    ]);
    expect(rebalances).toEqual([
      { group: 'app', trigger: 'topic.partitions orders 6', triggerMs: 20_000, stableMs: 21_200, generations: 1, partitionsMoved: 0, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 2 * 1_000 + 200 },
    ]);
  });

  it('reports a group that never forms as one unfinished rebalance', () => {
    const { rebalances } = analyze([runStarted({ orders: 2 }, { app: { topics: ['orders'] } }), memberEvent('member.started', 100, m0), state(200, m0, 'unjoined', 'joining', -1), runEnded(10_000)]);
    expect(rebalances).toEqual([{ group: 'app', trigger: 'formation', triggerMs: 100, generations: 0, partitionsMoved: 0, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 0 }]);
  });
});
