/**
 * Kafka's CommonAssignorTests (group-coordinator, org.apache.kafka.coordinator.group.assignor), which its uniform
 * builder tests run for both subscription types: topics of 2, 5 and 7 partitions, members A, B and C on all three.
 * - testAssignmentReuse: assigning again with the first answer returns each member's map itself (the same object).
 * - testReassignmentStickiness: assigning again with the first answer, in any of the six member orders, gives the
 *   first answer back.
 */
import { describe, expect, it } from 'vitest';
import { rangeServerAssignor } from './range-server-assignor.js';
import type { ServerAssignorGroupSpec, ServerGroupAssignment, ServerPartitionAssignor, SubscriptionType } from './server-assignor.js';
import { describerOf, groupOf, plainAssignment } from './server-test-helpers.js';
import { uniformAssignor } from './uniform-assignor.js';

const topic1 = 'xF2Tk4JiQJqjzXkKbYbZQw';
const topic2 = 'Bd1d2Q3vSbmJmA4K9aTtCQ';
const topic3 = 'mVQnKzGhQ5Oq0i4vSdbv0A';
const topics = describerOf({ [topic1]: 2, [topic2]: 5, [topic3]: 7 });
const all = [topic1, topic2, topic3];

function withAnswer(group: ServerAssignorGroupSpec, answer: ServerGroupAssignment, order: readonly string[]): ServerAssignorGroupSpec {
  return {
    ...group,
    members: order.map((memberId) => {
      const member = group.members.find((candidate) => candidate.memberId === memberId)!;
      return { ...member, assignedPartitions: answer.members.get(memberId)! };
    }),
  };
}

describe.each<[SubscriptionType]>([['HOMOGENEOUS'], ['HETEROGENEOUS']])('uniform, %s (Kafka CommonAssignorTests)', (type) => {
  const group = groupOf({ A: { topics: all }, B: { topics: all }, C: { topics: all } }, type);

  it('testAssignmentReuse: the second assignment returns the first answer maps themselves', () => {
    const first = uniformAssignor.assign(group, topics);
    const second = uniformAssignor.assign(withAnswer(group, first, ['A', 'B', 'C']), topics);
    for (const memberId of ['A', 'B', 'C']) expect(second.members.get(memberId)).toBe(first.members.get(memberId));
  });

  it('testReassignmentStickiness: any member order gives the first answer back', () => {
    const first = uniformAssignor.assign(group, topics);
    const orders = [['A', 'B', 'C'], ['A', 'C', 'B'], ['B', 'A', 'C'], ['B', 'C', 'A'], ['C', 'A', 'B'], ['C', 'B', 'A']];
    for (const order of orders) expect(plainAssignment(uniformAssignor.assign(withAnswer(group, first, order), topics))).toEqual(plainAssignment(first));
  });
});

describe.each<[string, ServerPartitionAssignor]>([['range', rangeServerAssignor]])('%s (Kafka CommonAssignorTests)', (_name, assignor) => {
  it('testReassignmentStickiness: any member order gives the first answer back', () => {
    const group = groupOf({ A: { topics: all }, B: { topics: all }, C: { topics: all } });
    const first = assignor.assign(group, topics);
    for (const order of [['C', 'B', 'A'], ['B', 'C', 'A']]) {
      expect(plainAssignment(assignor.assign(withAnswer(group, first, order), topics))).toEqual(plainAssignment(first));
    }
  });
});
