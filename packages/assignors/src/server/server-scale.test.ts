/**
 * The server assignors at Kafka's JMH scale (10,000 members x 10 partitions x 100 topics): answers checked in full,
 * and the vitest timeout as a bound that a quadratic step would break (figures: docs/BENCHMARKS.md).
 */
import { describe, expect, it } from 'vitest';
import { rangeServerAssignor } from './range-server-assignor.js';
import type { ServerAssignorGroupSpec, ServerAssignorMember, ServerGroupAssignment, SubscriptionType } from './server-assignor.js';
import { uniformAssignor } from './uniform-assignor.js';

const MEMBERS = 10_000;
const topicIds = Array.from({ length: 100 }, (_, index) => {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(index + 1, 12);
  return bytes.toString('base64url');
});
const topics = { numPartitions: () => 1_000, racksForPartition: () => new Set<string>() };

function groupOf(subscriptionType: SubscriptionType, count = MEMBERS): ServerAssignorGroupSpec {
  const all = new Set(topicIds);
  const buckets = Array.from({ length: 5 }, (_, bucket) => new Set(topicIds.slice(bucket * 20, bucket * 20 + 20)));
  const members: ServerAssignorMember[] = Array.from({ length: count }, (_, index) => ({
    memberId: `member${index}`,
    instanceId: null,
    rackId: null,
    subscribedTopicIds: subscriptionType === 'HOMOGENEOUS' ? all : buckets[index % 5]!,
    assignedPartitions: new Map(),
  }));
  return { members, subscriptionType };
}

const topicIndex = new Map(topicIds.map((topicId, index) => [topicId, index]));

/** Every one of the 100,000 partitions exactly once; returns each member's count. */
function checkedCounts(result: ServerGroupAssignment): number[] {
  const owners = new Uint8Array(100_000);
  const counts: number[] = [];
  for (const [, assignment] of result.members) {
    let count = 0;
    for (const [topicId, partitions] of assignment) {
      const base = topicIndex.get(topicId)! * 1_000;
      for (const partition of partitions) owners[base + partition]!++;
      count += partitions.size;
    }
    counts.push(count);
  }
  expect(owners.every((owned) => owned === 1)).toBe(true);
  return counts;
}

describe.each<[SubscriptionType]>([['HOMOGENEOUS'], ['HETEROGENEOUS']])('uniform at 10,000 members x 10 partitions x 100 topics, %s', (type) => {
  it('balances a first assignment, then moves only the share a joining member takes', { timeout: 20_000 }, () => {
    const before = groupOf(type, MEMBERS - 1);
    const first = uniformAssignor.assign(before, topics);
    expect(new Set(checkedCounts(first))).toEqual(new Set([10, 11]));
    const held = before.members.map((member) => ({ ...member, assignedPartitions: first.members.get(member.memberId)! }));
    const joined = { ...before, members: [...held, { ...held[0]!, memberId: 'newMember', assignedPartitions: new Map() }] };
    const second = uniformAssignor.assign(joined, topics);
    // One shared subscription: exactly 10 each. Five buckets: the new member's bucket has one member more, so
    // 9 or 10 there, and 10 or 11 in the bucket that had one fewer (each topic's subscribers within one).
    expect(new Set(checkedCounts(second))).toEqual(new Set(type === 'HOMOGENEOUS' ? [10] : [9, 10, 11]));
    // Only what the new member takes moves.
    expect(second.members.get('newMember')!.size).toBeGreaterThan(0);
    let kept = 0;
    for (const member of held) {
      const now = second.members.get(member.memberId)!;
      for (const [topicId, partitions] of member.assignedPartitions) for (const partition of partitions) if (now.get(topicId)?.has(partition) === true) kept++;
    }
    const taken = [...second.members.get('newMember')!.values()].reduce((sum, partitions) => sum + partitions.size, 0);
    expect(100_000 - kept).toBe(taken);
  });
});

it('range at 10,000 members x 100 topics of 1,000 partitions: the first 1,000 members get one of each topic', { timeout: 20_000 }, () => {
  const counts = checkedCounts(rangeServerAssignor.assign(groupOf('HOMOGENEOUS'), topics));
  expect(counts.filter((count) => count === 100).length).toBe(1_000);
  expect(counts.filter((count) => count === 0).length).toBe(9_000);
});
