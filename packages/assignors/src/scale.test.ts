/**
 * Large groups finish in time linear in their size. The groups below are the worst cases of the
 * straightforward algorithms: Kafka's roundrobin walks its member circle once per partition, which
 * with 2,000 members of whom one subscribes to a 100,000-partition topic is 200 million steps. Here it is
 * a binary search per topic. The vitest timeout is the bound; the results are checked in full.
 */
import { describe, expect, it } from 'vitest';
import { assignedCount, ownershipViolations, subscriptionViolations } from './assignment-checks.js';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { rangeAssignor } from './range-assignor.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';
import { nextRound, ownerMap } from './sticky-test-helpers.js';
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

/**
 * Kafka's sticky scale tests (testLargeAssignmentAndGroupWithUniformSubscription and ...NonEqualSubscription)
 * at a twentieth of their size: 50 topics x 1,000 partitions over 200 consumers, assigned twice, the
 * second time with everyone owning what the first gave it. The full size is in `bench/assignor-scale.ts`.
 */
function stickyScaleGroup(lastOnOneTopic: boolean): GroupAssignmentInput {
  const topics = Array.from({ length: 50 }, (_, t) => `topic-${t}`);
  return {
    partitionsPerTopic: new Map(topics.map((topic) => [topic, 1_000])),
    members: Array.from({ length: 200 }, (_, c) => ({
      memberId: `consumer-${c}`,
      topics: lastOnOneTopic && c === 199 ? [topics[0]!] : topics,
    })),
  };
}

describe.each([
  ['sticky', stickyAssignor],
  ['cooperative', cooperativeStickyAssignor],
] as const)('%s assignor at scale', (kind, assignor) => {
  it.each([
    ['every consumer on every topic', false],
    ['the last consumer on one topic only', true],
  ] as const)('assigns 50,000 partitions over 200 consumers twice, %s, and keeps everything the second time', (_label, lastOnOneTopic) => {
    const input = stickyScaleGroup(lastOnOneTopic);
    const first = assignor.assign(input);
    expect(ownershipViolations(input, first)).toEqual([]);
    expect(subscriptionViolations(input, first)).toEqual([]);
    const counts = input.members.map(({ memberId }) => assignedCount(first, memberId));
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    const second = nextRound(input, first, 1, kind === 'sticky' ? 'sticky' : 'cooperative');
    const again = assignor.assign(second);
    expect(ownerMap(again)).toEqual(ownerMap(first));
  });
});
