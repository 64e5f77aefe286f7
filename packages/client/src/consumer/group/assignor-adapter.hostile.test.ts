/**
 * Issue 10 B5: one member's subscription, however wrong, never stops the leader. Unreadable bytes count as
 * subscribing to nothing; readable ones with hostile contents (partitions it cannot own, claims another
 * member makes too, wild generations, random userData) still let every assignor assign every partition of
 * the subscribed topics to exactly one member.
 */
import { encodeSubscription } from '@kactor/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAssignment, decodeMemberAssignment } from './assignor-adapter.js';

const partitionCounts: Record<string, number> = { orders: 6, payments: 3 };
const partitionCount = (topic: string) => partitionCounts[topic];

const hostileSubscription = fc.record({
  topics: fc.array(fc.constantFrom('orders', 'payments', 'nosuch', ''), { maxLength: 4 }),
  owned: fc.array(fc.record({ topic: fc.constantFrom('orders', 'payments', 'nosuch'), partitions: fc.array(fc.integer({ min: -5, max: 2 ** 31 - 1 }), { maxLength: 5 }) }), { maxLength: 3 }),
  generationId: fc.constantFrom(-1, 0, 1, 2, 2 ** 31 - 1, -(2 ** 31)),
  userData: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }),
});

const member = fc.oneof(
  hostileSubscription.map((sub) => encodeSubscription({ topics: sub.topics, ownedPartitions: sub.owned, generationId: sub.generationId, userData: sub.userData })),
  fc.uint8Array({ maxLength: 60 }),
);

describe('the leader with hostile members', () => {
  for (const [assignor, protocol] of [
    ['range', 'EAGER'],
    ['roundrobin', 'EAGER'],
    ['sticky', 'EAGER'],
    ['cooperative-sticky', 'COOPERATIVE'],
  ] as const) {
    it(`${assignor}: never throws, and assigns each subscribed partition to exactly one member`, () => {
      fc.assert(
        fc.property(fc.array(member, { minLength: 1, maxLength: 5 }), (metadatas) => {
          const members = metadatas.map((metadata, index) => ({ memberId: `m${index}`, groupInstanceId: null, metadata }));
          const computed = computeAssignment(assignor, members, partitionCount, protocol);
          const assigned = computed.assignments.flatMap(({ assignment }) => decodeMemberAssignment(assignment).map((tp) => `${tp.topic}-${tp.partition}`));
          expect(new Set(assigned).size).toBe(assigned.length);
          const subscribed = new Set(Object.keys(computed.partitionCounts).filter((topic) => partitionCounts[topic] !== undefined));
          const expected = [...subscribed].flatMap((topic) => Array.from({ length: partitionCounts[topic]! }, (_, partition) => `${topic}-${partition}`));
          expect(assigned.sort()).toEqual(expected.sort());
        }),
        { numRuns: 300, seed: 10 },
      );
    });
  }
});
