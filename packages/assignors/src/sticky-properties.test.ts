/**
 * What the sticky assignors promise beyond validity, over fast-check generated groups:
 *
 * - minimal movement: with one shared subscription, after members join and leave, each member keeps
 *   as many of its partitions as its new count allows, and the number of partitions that change owner
 *   is the least any balanced assignment needs (members owning maxQuota or more are the ones let
 *   keep maxQuota while such places remain);
 * - a member leaving costs the others nothing;
 * - cooperative rounds (Kafka's `verifyValidityAndBalance` loop): no partition goes to a new owner in
 *   the round it is revoked, at most 4 follow-up rounds, and the settled assignment is valid,
 *   balanced, and keeps exactly the partitions the eager sticky assignor keeps in one round (newly
 *   dealt partitions may land elsewhere: they are dealt in a later round, to fewer members).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseChecks, cooperativeViolations, revokedPartitions } from './assignment-checks.js';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';
import { nextRound, ownerMap } from './sticky-test-helpers.js';
import type { GroupAssignment, GroupAssignmentInput, PartitionAssignor } from './types.js';

const topicNames = ['a', 'B', 't1', 't10', 't2'];

/** A group with one shared subscription, and the next group: some members leave, some join. */
const uniformRounds = fc
  .record({
    counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: topicNames.length, maxLength: topicNames.length }),
    subscribed: fc.subarray(topicNames, { minLength: 1 }),
    members: fc.integer({ min: 1, max: 9 }),
    leavers: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    joiners: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ counts, subscribed, members, leavers, joiners }) => {
    const partitionsPerTopic = new Map(topicNames.map((topic, i) => [topic, counts[i]!]));
    const first: GroupAssignmentInput = {
      partitionsPerTopic,
      members: Array.from({ length: members }, (_, i) => ({ memberId: `consumer-${i}`, topics: subscribed })),
    };
    const stays = (_: unknown, i: number) => !leavers[i];
    const newcomers = Array.from({ length: joiners }, (_, i) => ({ memberId: `joiner-${i}`, topics: subscribed }));
    return { first, stays, newcomers };
  });

function secondInput(
  kind: 'sticky' | 'cooperative',
  first: GroupAssignmentInput,
  output: GroupAssignment,
  stays: (member: unknown, i: number) => boolean,
  newcomers: GroupAssignmentInput['members'],
): GroupAssignmentInput {
  const owned = nextRound(first, output, 1, kind);
  return { partitionsPerTopic: first.partitionsPerTopic, members: [...owned.members.filter(stays), ...newcomers] };
}

/** Runs cooperative follow-up rounds until nothing is revoked, checking KIP-429's rule in each. */
function settle(input: GroupAssignmentInput): GroupAssignment {
  let current = input;
  let output = cooperativeStickyAssignor.assign(current);
  for (let followUps = 0; revokedPartitions(current, output).size > 0; followUps++) {
    expect(cooperativeViolations(current, output)).toEqual([]);
    expect(followUps).toBeLessThan(4);
    current = nextRound(current, output, followUps + 2, 'cooperative');
    output = cooperativeStickyAssignor.assign(current);
  }
  return output;
}

function expectMinimalMovement(input: GroupAssignmentInput, output: GroupAssignment): void {
  const owners = ownerMap(output);
  const partitionCount = owners.size;
  const memberCount = input.members.length;
  const minQuota = Math.floor(partitionCount / memberCount);
  const maxQuota = Math.ceil(partitionCount / memberCount);
  let moved = 0;
  let ownedSum = 0;
  let atLeastMaxQuota = 0;
  for (const member of input.members) {
    const owned = (member.ownedPartitions ?? []).flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}-${p}`));
    const count = [...owners.values()].filter((id) => id === member.memberId).length;
    const kept = owned.filter((key) => owners.get(key) === member.memberId).length;
    expect(kept, `${member.memberId} keeps what its count allows`).toBe(Math.min(owned.length, count));
    moved += owned.length - kept;
    ownedSum += Math.max(0, owned.length - minQuota);
    if (owned.length >= maxQuota) atLeastMaxQuota++;
  }
  const least = ownedSum - Math.min(partitionCount % memberCount, maxQuota > minQuota ? atLeastMaxQuota : 0);
  expect(moved, 'partitions taken from their owners').toBe(least);
}

describe.each<[string, 'sticky' | 'cooperative', PartitionAssignor]>([
  ['sticky', 'sticky', stickyAssignor],
  ['cooperative-sticky', 'cooperative', cooperativeStickyAssignor],
])('%s assignor stickiness', (_name, kind, assignor) => {
  const assignSettled = (input: GroupAssignmentInput) => (kind === 'cooperative' ? settle(input) : assignor.assign(input));

  it('moves only the partitions balance requires when members join and leave (one shared subscription)', () => {
    fc.assert(
      fc.property(uniformRounds, ({ first, stays, newcomers }) => {
        const second = secondInput(kind, first, assignor.assign(first), stays, newcomers);
        if (second.members.length === 0) return;
        const output = assignSettled(second);
        expect(baseChecks('overall').flatMap((check) => check(second, output))).toEqual([]);
        expectMinimalMovement(second, output);
      }),
      { numRuns: 300 },
    );
  });

  it('takes nothing from the members who stay when one leaves', () => {
    fc.assert(
      fc.property(uniformRounds, fc.nat(), ({ first }, leaver) => {
        const output = assignor.assign(first);
        const owned = nextRound(first, output, 1, kind);
        const gone = leaver % first.members.length;
        const second = { ...owned, members: owned.members.filter((_, i) => i !== gone) };
        if (second.members.length === 0) return;
        const after = ownerMap(assignSettled(second));
        for (const [partition, memberId] of ownerMap(output)) {
          if (memberId !== first.members[gone]!.memberId) expect(after.get(partition)).toBe(memberId);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('cooperative-sticky rounds', () => {
  it('settles, within 4 follow-up rounds, keeping what the eager sticky assignor keeps in one', () => {
    fc.assert(
      fc.property(uniformRounds, ({ first, stays, newcomers }) => {
        const firstOwners = ownerMap(stickyAssignor.assign(first));
        expect(ownerMap(cooperativeStickyAssignor.assign(first))).toEqual(firstOwners);
        const eagerSecond = secondInput('sticky', first, stickyAssignor.assign(first), stays, newcomers);
        const cooperativeSecond = secondInput('cooperative', first, cooperativeStickyAssignor.assign(first), stays, newcomers);
        if (eagerSecond.members.length === 0) return;
        const settled = settle(cooperativeSecond);
        expect(baseChecks('overall').flatMap((check) => check(cooperativeSecond, settled))).toEqual([]);
        const eager = ownerMap(stickyAssignor.assign(eagerSecond));
        const cooperative = ownerMap(settled);
        for (const [partition, before] of firstOwners) {
          expect(cooperative.get(partition) === before, partition).toBe(eager.get(partition) === before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
