/**
 * Large groups finish in time linear in their size. The groups below are the worst cases of the
 * straightforward algorithms: Kafka's roundrobin walks its member circle once per partition, which
 * with 2,000 members of whom one subscribes to a 100,000-partition topic is 200 million steps. Here it is
 * a binary search per topic. The vitest timeout is the bound; the results are checked in full.
 */
import { describe, expect, it } from 'vitest';
import { ownershipViolations, subscriptionViolations } from './assignment-checks.js';
import { rangeAssignor } from './range-assignor.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import type { GroupAssignmentInput } from './types.js';

const memberIds = Array.from({ length: 2_000 }, (_, i) => `consumer-${String(i).padStart(4, '0')}`);

/** 2,000 members on 50 topics of 2,000 partitions; the last member alone also reads a 100,000-partition topic. */
const lopsided: GroupAssignmentInput = {
  partitionsPerTopic: new Map([
    ...Array.from({ length: 50 }, (_, i): [string, number] => [`topic-${i}`, 2_000]),
    ['zz-huge', 100_000],
  ]),
  members: memberIds.map((memberId, i) => ({
    memberId,
    topics: [...Array.from({ length: 50 }, (_, t) => `topic-${t}`), ...(i === memberIds.length - 1 ? ['zz-huge'] : [])],
  })),
};

describe.each([rangeAssignor, roundRobinAssignor])('$name assignor at scale', (assignor) => {
  it('assigns 200,000 partitions over 2,000 members, one of them alone on a huge topic', () => {
    const output = assignor.assign(lopsided);
    expect(ownershipViolations(lopsided, output)).toEqual([]);
    expect(subscriptionViolations(lopsided, output)).toEqual([]);
    const last = output.assignments.get(memberIds[memberIds.length - 1]!)!.assignedPartitions;
    expect(last.find((entry) => entry.topic === 'zz-huge')?.partitions.length).toBe(100_000);
  });
});
