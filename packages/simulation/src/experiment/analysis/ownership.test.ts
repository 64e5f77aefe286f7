import { describe, expect, it } from 'vitest';
import { OwnershipAnalyzer } from './ownership.js';
import { feed, memberEvent, ownership, paused, processed, state } from './trace-builder.test-support.js';

const m0 = 'app/member-0';
const m1 = 'app/member-1';

describe('two owners of one partition', () => {
  it('passes a cooperative hand-over: revoked by the old owner before the new one gets it', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'syncing', 'stable', 1),
      ownership('member.assigned', 1, m0, ['orders-0', 'orders-1'], 1),
      processed(2, m0, 'orders-1', 0),
      ownership('member.revoked', 3, m0, ['orders-1'], 2),
      ownership('member.assigned', 4, m1, ['orders-1'], 3),
      processed(5, m1, 'orders-1', 1),
      processed(5, m0, 'orders-0', 0),
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('passes a zombie: a paused member whose partition was reassigned and who then learns it lost it', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      paused(2, m0, 20_000),
      ownership('member.assigned', 15_000, m1, ['orders-0'], 2),
      memberEvent('member.resumed', 22_000, m0),
      processed(22_001, m0, 'orders-0', 7), // finishing its batch: at-least-once repeats, judged by the records checker
      ownership('member.lost', 22_002, m0, ['orders-0'], 1),
      state(22_003, m0, 'syncing', 'stable', 3), // rejoined after the loss
      // A crashed holder's partitions are free at once, and a zombie killed before it noticed gets no verdict.
      ownership('member.assigned', 23_000, m0, ['orders-1'], 3),
      memberEvent('member.crashed', 24_000, m0),
      ownership('member.assigned', 30_000, m1, ['orders-1'], 4),
      memberEvent('member.started', 31_000, m0),
      ownership('member.assigned', 32_000, m0, ['orders-2'], 5),
      paused(33_000, m0, 20_000),
      ownership('member.assigned', 40_000, m1, ['orders-2'], 6),
      memberEvent('member.crashed', 45_000, m0),
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('passes a KIP-848 zombie that reads a late answer from before it was removed (a lower epoch than the new owner\'s), then loses the partition', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'ACKNOWLEDGING', 'STABLE', 2),
      ownership('member.assigned', 1, m0, ['orders-0'], 2),
      paused(2, m0, 60_000),
      ownership('member.assigned', 50_000, m1, ['orders-0'], 4),
      memberEvent('member.resumed', 62_000, m0),
      state(62_001, m0, 'RECONCILING', 'STABLE', 3), // the heartbeat answer that waited in its socket through the pause
      ownership('member.lost', 62_100, m0, ['orders-0'], 3),
    ]);
    expect(analyzer.result()).toEqual([]);
  });

  it('passes a member fenced while its revocation ran: it revokes, late, in the generation the group removed it from (Kafka: onPartitionsLost)', () => {
    // Eager: member-0 starts revoking in generation 1, its auto-commit hangs past its rebalance timeout, the group
    // completes generation 2 without it and gives orders-0 to member-1; member-0's revocation ends afterwards.
    const classic = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'syncing', 'stable', 1),
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      state(10, m0, 'stable', 'rebalancing', 1),
      ownership('member.assigned', 30_000, m1, ['orders-0'], 2),
      ownership('member.revoked', 31_000, m0, ['orders-0'], 1),
      state(31_001, m0, 'rebalancing', 'joining', -1),
    ]);
    expect(classic.result()).toEqual([]);
    // KIP-848: fenced (FENCED_MEMBER_EPOCH) while revoking at epoch 4; the new owner got the partition at epoch 6.
    const consumer = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'ACKNOWLEDGING', 'STABLE', 4),
      ownership('member.assigned', 1, m0, ['orders-0'], 4),
      ownership('member.assigned', 50_000, m1, ['orders-0'], 6),
      ownership('member.revoked', 50_500, m0, ['orders-0'], 4),
    ]);
    expect(consumer.result()).toEqual([]);
  });

  it('catches a revocation after the hand-out by a member still in the group (at the hand-out\'s generation or later), and a zombie processing after its late revocation', () => {
    const inGroup = feed(new OwnershipAnalyzer(), [
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      ownership('member.assigned', 4, m1, ['orders-0'], 2),
      ownership('member.revoked', 9, m0, ['orders-0'], 3),
    ]);
    expect(inGroup.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it; app/member-0 revoked it only at 9 ms' }]);
    // The zombie that processes after the hand-out and then revokes: the ownership is excused, its records are the records checker's.
    const zombie = feed(new OwnershipAnalyzer(), [
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      ownership('member.assigned', 4, m1, ['orders-0'], 2),
      processed(5, m0, 'orders-0', 3),
      ownership('member.revoked', 9, m0, ['orders-0'], 1),
      processed(10, m0, 'orders-0', 4, { id: 'after' }),
    ]);
    expect(zombie.result()).toEqual([{ checker: 'two-owners', detail: 'app: app/member-0 processed orders-0 offset 4 (id after) at 10 ms without holding the partition' }]);
  });

  it('catches a planted skipped revocation: the old owner revokes only after the new one got the partition', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      ownership('member.assigned', 4, m1, ['orders-0'], 2),
      ownership('member.revoked', 9, m0, ['orders-0'], 2),
    ]);
    expect(analyzer.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it; app/member-0 revoked it only at 9 ms' }]);
  });

  it('catches an old holder that shows it is still in the group: classic generation, KIP-848 member epoch, or a close', () => {
    const classic = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'syncing', 'stable', 1),
      ownership('member.assigned', 1, m0, ['orders-0'], 1),
      ownership('member.assigned', 4, m1, ['orders-0'], 2),
      state(5, m0, 'syncing', 'stable', 2), // joined generation 2 without revoking
    ]);
    expect(classic.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it; app/member-0 was still in the group (generation 2) at 5 ms' }]);
    const alreadyIn = feed(new OwnershipAnalyzer(), [ownership('member.assigned', 1, m0, ['orders-0'], 2), state(2, m0, 'syncing', 'stable', 3), ownership('member.assigned', 4, m1, ['orders-0'], 3)]);
    expect(alreadyIn.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 in generation 3 at 4 ms while app/member-0, in generation 3, still held it' }]);
    const consumer = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'ACKNOWLEDGING', 'STABLE', 4),
      ownership('member.assigned', 1, m0, ['orders-0'], 4),
      ownership('member.assigned', 4, m1, ['orders-0'], 6),
      state(5, m0, 'RECONCILING', 'STABLE', 6),
    ]);
    expect(consumer.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it; app/member-0 was still in the group (generation 6) at 5 ms' }]);
    const closed = feed(new OwnershipAnalyzer(), [ownership('member.assigned', 1, m0, ['orders-0'], 1), ownership('member.assigned', 4, m1, ['orders-0'], 2), memberEvent('member.closed', 6, m0)]);
    expect(closed.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it; app/member-0 closed at 6 ms without giving it up' }]);
  });

  it('catches two owners still holding one partition at the end of the run', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [ownership('member.assigned', 1, m0, ['orders-0'], 1), ownership('member.assigned', 4, m1, ['orders-0'], 2)]);
    expect(analyzer.result()).toEqual([{ checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 4 ms while app/member-0 still held it, and still did at the end' }]);
  });

  it('catches a planted record processed after its partition was revoked', () => {
    const analyzer = feed(new OwnershipAnalyzer(), [ownership('member.assigned', 1, m0, ['orders-0'], 1), ownership('member.revoked', 2, m0, ['orders-0'], 1), processed(3, m0, 'orders-0', 4, { id: 'r4' })]);
    expect(analyzer.result()).toEqual([{ checker: 'two-owners', detail: 'app: app/member-0 processed orders-0 offset 4 (id r4) at 3 ms without holding the partition' }]);
  });

  it('catches one classic generation assigning a partition to two members, not a KIP-848 group', () => {
    const classic = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'syncing', 'stable', 5),
      ownership('member.assigned', 1, m0, ['orders-0'], 5),
      ownership('member.lost', 2, m0, ['orders-0'], 5),
      ownership('member.assigned', 3, m1, ['orders-0'], 5),
    ]);
    expect(classic.result()).toEqual([{ checker: 'two-owners', detail: 'app: generation 5 assigned orders-0 to 2 members' }]);
    const consumer = feed(new OwnershipAnalyzer(), [
      state(0, m0, 'RECONCILING', 'STABLE', 5),
      ownership('member.assigned', 1, m0, ['orders-0'], 5),
      ownership('member.revoked', 2, m0, ['orders-0'], 5),
      ownership('member.assigned', 3, m1, ['orders-0'], 5),
    ]);
    expect(consumer.result()).toEqual([]);
  });
});
