/** The compliance rules themselves: each one must notice the fault it exists for. */
import { describe, expect, it } from 'vitest';
import {
  assignmentSnapshot,
  balanceViolations,
  nextRoundInput,
  ownershipViolations,
  shapeViolations,
  subscriptionViolations,
} from './assignment-checks.js';
import { groupOf } from './test-helpers.js';
import type { GroupAssignment, TopicPartitions } from './types.js';

function outputOf(assignments: Record<string, TopicPartitions[]>): GroupAssignment {
  return {
    assignments: new Map(
      Object.entries(assignments).map(([memberId, assignedPartitions]) => [memberId, { assignedPartitions, userData: null }]),
    ),
  };
}

const twoMembers = groupOf({ t1: 2, t2: 1 }, [
  { memberId: 'c1', topics: ['t1', 't2'] },
  { memberId: 'c2', topics: ['t1'] },
]);

describe('assignment checks', () => {
  it('accept a correct assignment', () => {
    const output = outputOf({ c1: [{ topic: 't1', partitions: [0] }, { topic: 't2', partitions: [0] }], c2: [{ topic: 't1', partitions: [1] }] });
    for (const check of [shapeViolations, ownershipViolations, subscriptionViolations, balanceViolations('per-topic')]) {
      expect(check(twoMembers, output)).toEqual([]);
    }
  });

  it('ownership: report an unowned partition, a doubly owned one, a partition past the count and an unknown topic', () => {
    const output = outputOf({
      c1: [{ topic: 't1', partitions: [0, 5] }, { topic: 'ghost', partitions: [0] }],
      c2: [{ topic: 't1', partitions: [0] }],
    });
    expect(ownershipViolations(twoMembers, output)).toEqual([
      'c1 got t1-5, which does not exist',
      'c1 got partitions of ghost, which no member can be assigned (unknown or unsubscribed)',
      't1-0 has 2 owners [c1, c2]',
      't1-1 has 0 owners []',
      't2-0 has 0 owners []',
    ]);
  });

  it('subscription: report a partition of a topic the member does not subscribe to', () => {
    const output = outputOf({ c1: [{ topic: 't1', partitions: [0] }], c2: [{ topic: 't1', partitions: [1] }, { topic: 't2', partitions: [0] }] });
    expect(subscriptionViolations(twoMembers, output)).toEqual(['c2 got t2 without subscribing to it']);
  });

  it('shape: report a missing member, a stranger, unsorted topics and partitions, and empty entries', () => {
    const output = outputOf({
      c1: [{ topic: 't2', partitions: [0] }, { topic: 't1', partitions: [1, 0] }, { topic: 'x', partitions: [] }],
      stranger: [],
    });
    expect(shapeViolations(twoMembers, output)).toEqual([
      'member c2 has no assignment entry',
      'c1: topic t1 after t2 (topics must be strictly ascending)',
      'c1: t1 partitions not strictly ascending',
      'c1: empty entry for x',
      'assignment for stranger, who is not a member',
    ]);
  });

  it('per-topic balance: report a topic spread unevenly over its subscribers', () => {
    const input = groupOf({ t: 4 }, [
      { memberId: 'a', topics: ['t'] },
      { memberId: 'b', topics: ['t'] },
    ]);
    const output = outputOf({ a: [{ topic: 't', partitions: [0, 1, 2] }], b: [{ topic: 't', partitions: [3] }] });
    expect(balanceViolations('per-topic')(input, output)).toEqual(['t is spread unevenly over its subscribers: {"a":3,"b":1}']);
  });

  it('overall balance: report uneven totals only when subscriptions are identical', () => {
    const same = groupOf({ t1: 2, t2: 2 }, [
      { memberId: 'a', topics: ['t1', 't2', 'ghost'] },
      { memberId: 'b', topics: ['t2', 't1'] },
    ]);
    const uneven = outputOf({ a: [{ topic: 't1', partitions: [0, 1] }, { topic: 't2', partitions: [0] }], b: [{ topic: 't2', partitions: [1] }] });
    expect(balanceViolations('overall')(same, uneven)).toEqual(['members with the same subscription hold 1 to 3 partitions']);
    const different = groupOf({ t1: 2, t2: 2 }, [
      { memberId: 'a', topics: ['t1', 't2'] },
      { memberId: 'b', topics: ['t2'] },
    ]);
    expect(balanceViolations('overall')(different, uneven)).toEqual([]);
  });

  it('nextRoundInput: members own what they were given, at the new generation', () => {
    const output = outputOf({ c1: [{ topic: 't1', partitions: [0] }], c2: [{ topic: 't1', partitions: [1] }] });
    const next = nextRoundInput(twoMembers, output, 4);
    expect(next.members.map(({ memberId, ownedPartitions, generationId }) => ({ memberId, ownedPartitions, generationId }))).toEqual([
      { memberId: 'c1', ownedPartitions: [{ topic: 't1', partitions: [0] }], generationId: 4 },
      { memberId: 'c2', ownedPartitions: [{ topic: 't1', partitions: [1] }], generationId: 4 },
    ]);
  });

  it('assignmentSnapshot: tells different assignments apart and ignores map order', () => {
    const a = outputOf({ c1: [{ topic: 't1', partitions: [0] }], c2: [{ topic: 't1', partitions: [1] }] });
    const reordered = outputOf({ c2: [{ topic: 't1', partitions: [1] }], c1: [{ topic: 't1', partitions: [0] }] });
    const swapped = outputOf({ c1: [{ topic: 't1', partitions: [1] }], c2: [{ topic: 't1', partitions: [0] }] });
    expect(assignmentSnapshot(reordered)).toEqual(assignmentSnapshot(a));
    expect(assignmentSnapshot(swapped)).not.toEqual(assignmentSnapshot(a));
  });
});
