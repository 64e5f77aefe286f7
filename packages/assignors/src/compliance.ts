/**
 * The compliance suite every partition assignor passes. Each assignor's test file calls
 * `describeAssignorCompliance(assignor, options)`, which registers vitest tests for the rules no
 * assignor may break:
 *
 * - every partition of a subscribed topic has exactly one owner, and nothing else is assigned;
 * - members only get partitions of topics they subscribe to; unknown topics are skipped;
 * - same input, same output, whatever the order of members, topics and metadata;
 * - balance as the assignor promises it (`BalanceRule`); members beyond the partition count sit idle;
 * - all of it over fast-check generated groups, and over two consecutive rebalances in which members
 *   leave, join and resubscribe while the stayers report what they own.
 *
 * Later assignors add their own rules without touching this file: `checks` run on every assignment
 * the suite makes, `roundChecks` on every pair of consecutive rebalances (the sticky assignors' "moves
 * the fewest partitions", the cooperative one's "never hands a partition to a new owner in the round
 * it is revoked").
 *
 * Test support only: it imports vitest and fast-check, so the package index does not export it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignedCount,
  assignmentSnapshot,
  baseChecks,
  cooperativeViolations,
  doubleOwnerViolations,
  nextRoundInput,
  revokedPartitions,
  shapeViolations,
  subscriptionViolations,
  type AssignmentCheck,
  type BalanceRule,
} from './assignment-checks.js';
import { InvalidAssignmentInputError } from './errors.js';
import { arbitraryGroup, arbitraryNextGroup, permuted } from './group-arbitraries.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, PartitionAssignor } from './types.js';

/** One rebalance: what the assignor was given and what it answered. */
export interface Rebalance {
  readonly input: GroupAssignmentInput;
  readonly output: GroupAssignment;
}

/** A rule over two consecutive rebalances; returns the violations found. */
export type RoundCheck = (previous: Rebalance, next: Rebalance) => string[];

export interface AssignorComplianceOptions {
  /** The balance the assignor promises. */
  readonly balance: BalanceRule;
  /** More rules for every single assignment. */
  readonly checks?: readonly AssignmentCheck[];
  /** Rules over consecutive rebalances. */
  readonly roundChecks?: readonly RoundCheck[];
  /**
   * The assignor withholds partitions changing owner (cooperative protocol): a rebalance with owned
   * partitions is followed, as in Kafka's `CooperativeStickyAssignorTest.verifyValidityAndBalance`,
   * by further rounds until nothing is revoked (at most 4); every round must keep KIP-429's rule and
   * the final round every rule.
   */
  readonly cooperative?: boolean;
  /** fast-check runs per property (default 300). */
  readonly numRuns?: number;
}

const group = (counts: Record<string, number>, members: GroupMember[]): GroupAssignmentInput => ({
  partitionsPerTopic: new Map(Object.entries(counts)),
  members,
});

/** The violations of every rule for one assignment, empty when it complies. */
function violations(checks: readonly AssignmentCheck[], rebalance: Rebalance): string[] {
  return checks.flatMap((check) => check(rebalance.input, rebalance.output));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function describeAssignorCompliance(assignor: PartitionAssignor, options: AssignorComplianceOptions): void {
  const checks = [...baseChecks(options.balance), ...(options.checks ?? [])];
  const roundChecks = options.roundChecks ?? [];
  const numRuns = options.numRuns ?? 300;
  const run = (input: GroupAssignmentInput): Rebalance => ({ input, output: assignor.assign(input) });
  const expectCompliant = (rebalance: Rebalance) => expect(violations(checks, rebalance)).toEqual([]);

  const roundChecksCooperative = [shapeViolations, subscriptionViolations, doubleOwnerViolations, cooperativeViolations];
  /** Rebalances again while partitions are revoked; returns the round that revokes nothing. */
  const settle = (rebalance: Rebalance, generationId: number): Rebalance => {
    let current = rebalance;
    for (let followUps = 0; revokedPartitions(current.input, current.output).size > 0; followUps++) {
      expect(violations(roundChecksCooperative, current)).toEqual([]);
      expect(followUps).toBeLessThan(4);
      current = run(nextRoundInput(current.input, current.output, generationId + followUps + 1));
    }
    return current;
  };

  describe(`${assignor.name} assignor compliance`, () => {
    it('gives every partition of every subscribed topic exactly one owner', () => {
      const rebalance = run(
        group({ t1: 7, t2: 1, t3: 4 }, [
          { memberId: 'c1', topics: ['t1', 't2'] },
          { memberId: 'c2', topics: ['t1', 't3'] },
          { memberId: 'c3', topics: ['t3'] },
        ]),
      );
      expectCompliant(rebalance);
      const total = [...rebalance.output.assignments.keys()].reduce((sum, id) => sum + assignedCount(rebalance.output, id), 0);
      expect(total).toBe(12);
    });

    it('assigns members only partitions of topics they subscribe to', () => {
      const rebalance = run(
        group({ t1: 3, t2: 3 }, [
          { memberId: 'c1', topics: ['t1'] },
          { memberId: 'c2', topics: ['t2'] },
        ]),
      );
      expectCompliant(rebalance);
      expect(rebalance.output.assignments.get('c1')!.assignedPartitions).toEqual([{ topic: 't1', partitions: [0, 1, 2] }]);
      expect(rebalance.output.assignments.get('c2')!.assignedPartitions).toEqual([{ topic: 't2', partitions: [0, 1, 2] }]);
    });

    it('skips subscribed topics the metadata lacks or that have no partitions, and topics nobody subscribes to', () => {
      const rebalance = run(
        group({ empty: 0, other: 5 }, [
          { memberId: 'c1', topics: ['ghost', 'empty'] },
          { memberId: 'c2', topics: [] },
        ]),
      );
      expect(rebalance.output.assignments).toEqual(
        new Map([
          ['c1', { assignedPartitions: [], userData: null }],
          ['c2', { assignedPartitions: [], userData: null }],
        ]),
      );
    });

    it('answers an empty group with an empty assignment', () => {
      expect(run(group({ t1: 3 }, [])).output.assignments.size).toBe(0);
    });

    it('gives the same output for the same input', () => {
      const input = group({ t1: 5, t2: 3 }, [
        { memberId: 'c2', topics: ['t1', 't2'] },
        { memberId: 'c1', groupInstanceId: 'i9', topics: ['t2', 't1'] },
        { memberId: 'c3', topics: ['t1'] },
      ]);
      expect(assignmentSnapshot(assignor.assign(input))).toEqual(assignmentSnapshot(assignor.assign(input)));
    });

    it('does not depend on the order of members, their topics, or the metadata', () => {
      const forward = group({ t1: 5, t2: 3, t3: 2 }, [
        { memberId: 'c1', topics: ['t1', 't2', 't3'] },
        { memberId: 'c2', topics: ['t3', 't1'] },
        { memberId: 'c3', groupInstanceId: 'static-1', topics: ['t2', 't1'] },
      ]);
      const backward = group({ t3: 2, t2: 3, t1: 5 }, [
        { memberId: 'c3', groupInstanceId: 'static-1', topics: ['t1', 't2'] },
        { memberId: 'c2', topics: ['t1', 't3'] },
        { memberId: 'c1', topics: ['t3', 't2', 't1'] },
      ]);
      expect(assignmentSnapshot(assignor.assign(backward))).toEqual(assignmentSnapshot(assignor.assign(forward)));
    });

    it(`balances as promised (${options.balance}) when every member has the same subscription`, () => {
      const members = ['c1', 'c2', 'c3'].map((memberId) => ({ memberId, topics: ['t1', 't2'] }));
      const rebalance = run(group({ t1: 4, t2: 4 }, members));
      expectCompliant(rebalance);
      const spread = (counts: number[]) => Math.max(...counts) - Math.min(...counts);
      const countsOf = (topic: string | null) =>
        members.map(({ memberId }) =>
          rebalance.output.assignments
            .get(memberId)!
            .assignedPartitions.filter((entry) => topic === null || entry.topic === topic)
            .reduce((sum, entry) => sum + entry.partitions.length, 0),
        );
      if (options.balance === 'overall') expect(spread(countsOf(null))).toBeLessThanOrEqual(1);
      else expect([spread(countsOf('t1')), spread(countsOf('t2'))]).toEqual([1, 1]);
    });

    it('leaves members beyond the partition count idle', () => {
      const members = ['c1', 'c2', 'c3', 'c4'].map((memberId) => ({ memberId, topics: ['orders'] }));
      const rebalance = run(group({ orders: 3 }, members));
      expectCompliant(rebalance);
      const counts = members.map(({ memberId }) => assignedCount(rebalance.output, memberId)).sort();
      expect(counts).toEqual([0, 1, 1, 1]);
    });

    it('does not modify its input', () => {
      const input = deepFreeze(
        group({ t1: 3 }, [
          { memberId: 'c2', topics: ['t1', 't1'], ownedPartitions: [{ topic: 't1', partitions: [0] }], generationId: 1 },
          { memberId: 'c1', topics: ['t1'] },
        ]),
      );
      expectCompliant(run(input));
    });

    it('refuses a member id given twice and partition counts that are not counts', () => {
      const twice = group({ t1: 3 }, [
        { memberId: 'c1', topics: ['t1'] },
        { memberId: 'c1', topics: ['t1'] },
      ]);
      expect(() => assignor.assign(twice)).toThrow(InvalidAssignmentInputError);
      for (const count of [-1, 1.5, Number.NaN, 2 ** 31]) {
        expect(() => assignor.assign(group({ t1: count }, [{ memberId: 'c1', topics: ['t1'] }]))).toThrow(
          InvalidAssignmentInputError,
        );
      }
    });

    it('keeps every rule on generated groups', () => {
      fc.assert(
        fc.property(arbitraryGroup(), (input) => {
          expect(violations(checks, run(input))).toEqual([]);
        }),
        { numRuns },
      );
    });

    it('keeps every rule, balance included, on generated groups with one shared subscription', () => {
      fc.assert(
        fc.property(arbitraryGroup({ sameSubscription: true, minMembers: 1 }), (input) => {
          expect(violations(checks, run(input))).toEqual([]);
        }),
        { numRuns },
      );
    });

    it('answers generated groups the same whatever their order', () => {
      fc.assert(
        fc.property(arbitraryGroup(), fc.array(fc.integer(), { minLength: 16, maxLength: 16 }), (input, keys) => {
          expect(assignmentSnapshot(assignor.assign(permuted(input, keys)))).toEqual(assignmentSnapshot(assignor.assign(input)));
        }),
        { numRuns },
      );
    });

    it('keeps every rule across consecutive rebalances as members leave, join and resubscribe', () => {
      const rounds = arbitraryGroup().chain((first) => {
        const firstRound = run(first);
        return arbitraryNextGroup(nextRoundInput(first, firstRound.output, 1)).map((second) => ({ firstRound, second }));
      });
      fc.assert(
        fc.property(rounds, ({ firstRound, second }) => {
          const secondRound = run(second);
          expect(roundChecks.flatMap((check) => check(firstRound, secondRound))).toEqual([]);
          expect(violations(checks, options.cooperative ? settle(secondRound, 2) : secondRound)).toEqual([]);
        }),
        { numRuns },
      );
    });
  });
}
