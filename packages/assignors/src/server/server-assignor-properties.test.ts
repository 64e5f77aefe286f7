/**
 * The compliance suite of the server-side assignors, over fast-check generated groups (random topics, members,
 * static members, subscriptions and valid current target assignments):
 *
 * - validity: every member has an entry; every partition of a subscribed topic goes to exactly one member, which
 *   subscribes to its topic; nothing else is assigned;
 * - balance: uniform with one shared subscription gives counts that differ by at most one; uniform with different
 *   subscriptions leaves no partition that could move to another subscriber of its topic holding two fewer; range
 *   gives each topic's subscribers counts of that topic that differ by at most one, in contiguous ranges, the same
 *   partition numbers of co-partitioned topics;
 * - stickiness: assigning again with the answer as the current assignment moves nothing; with one shared
 *   subscription a member leaving takes nothing from the others;
 * - determinism: the same input gives the same answer, and the input is left as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeServerAssignor } from './range-server-assignor.js';
import type { ServerAssignorGroupSpec, ServerGroupAssignment, ServerPartitionAssignor } from './server-assignor.js';
import { arbitraryServerGroup, type ServerGroupCase } from './server-group-arbitraries.js';
import { plainAssignment } from './server-test-helpers.js';
import { uniformAssignor } from './uniform-assignor.js';

function validityViolations({ group, partitionCounts }: ServerGroupCase, result: ServerGroupAssignment): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  if (result.members.size !== group.members.length) problems.push(`${result.members.size} entries for ${group.members.length} members`);
  for (const member of group.members) {
    const assignment = result.members.get(member.memberId);
    if (assignment === undefined) {
      problems.push(`no entry for ${member.memberId}`);
      continue;
    }
    for (const [topicId, partitions] of assignment) {
      if (!member.subscribedTopicIds.has(topicId)) problems.push(`${member.memberId} got ${topicId} without subscribing`);
      for (const partition of partitions) {
        const key = `${topicId}-${partition}`;
        if (!(partition >= 0 && partition < (partitionCounts[topicId] ?? 0))) problems.push(`${key} does not exist`);
        if (owners.has(key)) problems.push(`${key} given to ${owners.get(key)} and ${member.memberId}`);
        owners.set(key, member.memberId);
      }
    }
  }
  const subscribed = new Set(group.members.flatMap((member) => [...member.subscribedTopicIds]));
  for (const topicId of subscribed) {
    for (let partition = 0; partition < partitionCounts[topicId]!; partition++) {
      if (!owners.has(`${topicId}-${partition}`)) problems.push(`${topicId}-${partition} unassigned`);
    }
  }
  return problems;
}

const totals = (result: ServerGroupAssignment): Map<string, number> =>
  new Map([...result.members].map(([memberId, topics]) => [memberId, [...topics.values()].reduce((sum, set) => sum + set.size, 0)]));

/** Kafka's balance rule for different subscriptions: no partition could move to a subscriber of its topic with 2+ fewer. */
function movablePartitions(group: ServerAssignorGroupSpec, result: ServerGroupAssignment): string[] {
  const counts = totals(result);
  const problems: string[] = [];
  for (const [ownerId, topics] of result.members) {
    for (const [topicId, partitions] of topics) {
      if (partitions.size === 0) continue;
      for (const other of group.members) {
        if (other.subscribedTopicIds.has(topicId) && counts.get(ownerId)! - counts.get(other.memberId)! > 1) {
          problems.push(`${topicId} could move from ${ownerId} (${counts.get(ownerId)}) to ${other.memberId} (${counts.get(other.memberId)})`);
        }
      }
    }
  }
  return problems;
}

/** The group with the answer as every member's current target assignment. */
function nextRound(group: ServerAssignorGroupSpec, result: ServerGroupAssignment): ServerAssignorGroupSpec {
  return { ...group, members: group.members.map((member) => ({ ...member, assignedPartitions: result.members.get(member.memberId)! })) };
}

describe.each<[string, ServerPartitionAssignor]>([
  ['uniform', uniformAssignor],
  ['range', rangeServerAssignor],
])('%s server assignor compliance', (_name, assignor) => {
  it('assigns every subscribed partition exactly once, only to subscribers, one entry per member', () => {
    fc.assert(
      fc.property(arbitraryServerGroup(), (groupCase) => {
        expect(validityViolations(groupCase, assignor.assign(groupCase.group, groupCase.topics))).toEqual([]);
      }),
    );
  });

  it('moves nothing when assigned again with its own answer as the current assignment', () => {
    fc.assert(
      fc.property(arbitraryServerGroup(), (groupCase) => {
        const first = assignor.assign(groupCase.group, groupCase.topics);
        const second = assignor.assign(nextRound(groupCase.group, first), groupCase.topics);
        expect(plainAssignment(second)).toEqual(plainAssignment(first));
      }),
    );
  });

  it('gives the same answer for the same input and leaves the input untouched', () => {
    fc.assert(
      fc.property(arbitraryServerGroup(), (groupCase) => {
        const before = plainAssignment({ members: new Map(groupCase.group.members.map((member) => [member.memberId, member.assignedPartitions])) });
        const first = plainAssignment(assignor.assign(groupCase.group, groupCase.topics));
        expect(plainAssignment(assignor.assign(groupCase.group, groupCase.topics))).toEqual(first);
        const after = plainAssignment({ members: new Map(groupCase.group.members.map((member) => [member.memberId, member.assignedPartitions])) });
        expect(after).toEqual(before);
      }),
    );
  });
});

describe('uniform balance and stickiness', () => {
  it('one shared subscription: member counts differ by at most one', () => {
    fc.assert(
      fc.property(arbitraryServerGroup({ homogeneous: true }), (groupCase) => {
        const counts = [...totals(uniformAssignor.assign(groupCase.group, groupCase.topics)).values()];
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('different subscriptions: no partition could move to a subscriber of its topic holding two fewer', () => {
    fc.assert(
      fc.property(arbitraryServerGroup(), (groupCase) => {
        expect(movablePartitions(groupCase.group, uniformAssignor.assign(groupCase.group, groupCase.topics))).toEqual([]);
      }),
    );
  });

  it('one shared subscription: a member leaving a settled group takes nothing from the others', () => {
    fc.assert(
      fc.property(arbitraryServerGroup({ homogeneous: true }), fc.nat(), (groupCase, pick) => {
        fc.pre(groupCase.group.members.length >= 2);
        const settled = nextRound(groupCase.group, uniformAssignor.assign(groupCase.group, groupCase.topics));
        const leaver = pick % settled.members.length;
        const remaining = { ...settled, members: settled.members.filter((_, index) => index !== leaver) };
        const after = uniformAssignor.assign(remaining, groupCase.topics);
        for (const member of remaining.members) {
          for (const [topicId, partitions] of member.assignedPartitions) {
            for (const partition of partitions) expect(after.members.get(member.memberId)!.get(topicId)?.has(partition)).toBe(true);
          }
        }
      }),
    );
  });
});

describe('range balance and co-partitioning', () => {
  it("each topic's subscribers get contiguous ranges of it whose sizes differ by at most one", () => {
    fc.assert(
      fc.property(arbitraryServerGroup(), (groupCase) => {
        const result = rangeServerAssignor.assign(groupCase.group, groupCase.topics);
        for (const topicId of Object.keys(groupCase.partitionCounts)) {
          const subscribers = groupCase.group.members.filter((member) => member.subscribedTopicIds.has(topicId));
          if (subscribers.length === 0) continue;
          const sizes = subscribers.map((member) => {
            const partitions = [...(result.members.get(member.memberId)!.get(topicId) ?? [])].sort((a, b) => a - b);
            if (partitions.length > 0) expect(partitions.at(-1)! - partitions[0]!).toBe(partitions.length - 1);
            return partitions.length;
          });
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('one shared subscription: each member gets the same partition numbers of topics with the same partition count', () => {
    fc.assert(
      fc.property(arbitraryServerGroup({ homogeneous: true }), (groupCase) => {
        const result = rangeServerAssignor.assign(groupCase.group, groupCase.topics);
        const topicIds = [...groupCase.group.members[0]!.subscribedTopicIds];
        for (const [, topics] of result.members) {
          for (const a of topicIds) {
            for (const b of topicIds) {
              if (groupCase.partitionCounts[a] !== groupCase.partitionCounts[b]) continue;
              expect([...(topics.get(a) ?? [])].sort()).toEqual([...(topics.get(b) ?? [])].sort());
            }
          }
        }
      }),
    );
  });
});
