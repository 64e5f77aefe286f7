/**
 * The cooperative sticky assignor against Kafka's own expectations: the shared cases of Kafka's
 * `AbstractStickyAssignorTest` as `CooperativeStickyAssignorTest` runs them (a partition changing owner
 * is withheld for one round), the cooperative-only cases, Kafka's follow-up-round loop
 * (`verifyValidityAndBalance`), then the shared compliance suite in cooperative mode.
 */
import { describe, expect, it } from 'vitest';
import { cooperativeViolations, revokedPartitions } from './assignment-checks.js';
import { describeAssignorCompliance } from './compliance.js';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { nextRound, ownerOf } from './sticky-test-helpers.js';
import { encodeCooperativeStickyAssignorUserData, encodeStickyAssignorUserData } from './sticky-user-data.js';
import { assignFlat, dynamicMembers, flatten, groupOf } from './test-helpers.js';
import type { GroupAssignmentInput } from './types.js';

const assign = (input: GroupAssignmentInput) => assignFlat(cooperativeStickyAssignor, input);
const owner = (id: string, topics: string[], owned: string[], generation = 1) => ownerOf(id, topics, owned, generation, 'cooperative');
const both = ['topic1', 'topic2'];

/**
 * Kafka's verifyValidityAndBalance for the cooperative assignor: while a round revokes partitions,
 * check no revoked partition went to a new owner, let every member own what it got, and rebalance
 * (at most 4 follow-ups). Returns every round's assignment, the first included.
 */
function rounds(input: GroupAssignmentInput): Record<string, string[]>[] {
  let current = input;
  let output = cooperativeStickyAssignor.assign(current);
  const seen = [flatten(output)];
  for (let generation = 2; revokedPartitions(current, output).size > 0; generation++) {
    expect(cooperativeViolations(current, output)).toEqual([]);
    expect(seen.length).toBeLessThanOrEqual(4);
    current = nextRound(current, output, generation, 'cooperative');
    output = cooperativeStickyAssignor.assign(current);
    seen.push(flatten(output));
  }
  return seen;
}

describe('cooperative-sticky assignor (Kafka CooperativeStickyAssignorTest cases)', () => {
  it('is named "cooperative-sticky" and supports the cooperative protocol first, then eager', () => {
    expect(cooperativeStickyAssignor.name).toBe('cooperative-sticky');
    expect(cooperativeStickyAssignor.supportedProtocols).toEqual(['COOPERATIVE', 'EAGER']);
  });

  it('deals six partitions round the members in topic order (testTwoConsumersTwoTopicsSixPartitions)', () => {
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, dynamicMembers(['consumer1', 'consumer2'], both)))).toEqual({
      consumer1: ['topic1-0', 'topic1-2', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-2'],
    });
  });

  it('balances mixed subscriptions with the general builder (testMultipleConsumersMixedTopicSubscriptions)', () => {
    const input = groupOf({ topic1: 3, topic2: 2 }, [
      { memberId: 'consumer1', topics: ['topic1'] },
      { memberId: 'consumer2', topics: both },
      { memberId: 'consumer3', topics: ['topic1'] },
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic1-0', 'topic1-2'], consumer2: ['topic2-0', 'topic2-1'], consumer3: ['topic1-1'] });
  });

  it('gives a joining member nothing in the round its partition is revoked, then that partition (testAddRemoveConsumerOneTopic)', () => {
    const joined = groupOf({ topic: 3 }, [owner('consumer1', ['topic'], ['topic-0', 'topic-1', 'topic-2']), owner('consumer2', ['topic'], [])]);
    expect(rounds(joined)).toEqual([
      { consumer1: ['topic-0', 'topic-1'], consumer2: [] },
      { consumer1: ['topic-0', 'topic-1'], consumer2: ['topic-2'] },
    ]);
    expect(rounds(groupOf({ topic: 3 }, [owner('consumer2', ['topic'], ['topic-2'])]))).toEqual([{ consumer2: ['topic-0', 'topic-1', 'topic-2'] }]);
  });

  it('withholds the partition over the maxQuota count for a round (testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers)', () => {
    const input = groupOf({ topic1: 2, topic2: 2 }, [
      owner('consumer1', both, ['topic1-0', 'topic2-0']),
      owner('consumer2', both, ['topic1-1', 'topic2-1']),
      owner('consumer3', both, []),
    ]);
    expect(rounds(input)).toEqual([
      { consumer1: ['topic1-0'], consumer2: ['topic1-1', 'topic2-1'], consumer3: [] },
      { consumer1: ['topic1-0'], consumer2: ['topic1-1', 'topic2-1'], consumer3: ['topic2-0'] },
    ]);
  });

  it('assigns unowned partitions at once (testConsumerOwningMinQuotaExpectedMaxQuota, testAllConsumersAreUnderMinQuota)', () => {
    expect(rounds(groupOf({ topic1: 2, topic2: 3 }, [owner('consumer1', both, ['topic1-0', 'topic2-1']), owner('consumer2', both, ['topic1-1', 'topic2-2'])]))).toEqual([
      { consumer1: ['topic1-0', 'topic2-0', 'topic2-1'], consumer2: ['topic1-1', 'topic2-2'] },
    ]);
    const underMinQuota = groupOf({ topic1: 2, topic2: 3 }, [owner('consumer1', both, ['topic1-0']), owner('consumer2', both, ['topic1-1']), owner('consumer3', both, [])]);
    expect(rounds(underMinQuota)).toEqual([{ consumer1: ['topic1-0', 'topic2-1'], consumer2: ['topic1-1', 'topic2-2'], consumer3: ['topic2-0'] }]);
  });

  it('withholds a partition claimed twice in one generation until both claimants revoked it (testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration...)', () => {
    const claims = [owner('consumer1', ['topic'], ['topic-0', 'topic-1']), owner('consumer2', ['topic'], ['topic-0', 'topic-2']), owner('consumer3', ['topic'], [])];
    expect(rounds(groupOf({ topic: 3 }, claims))).toEqual([
      { consumer1: ['topic-1'], consumer2: ['topic-2'], consumer3: [] },
      { consumer1: ['topic-1'], consumer2: ['topic-2'], consumer3: ['topic-0'] },
    ]);
    expect(assign(groupOf({ topic: 4 }, claims))).toEqual({ consumer1: ['topic-1', 'topic-3'], consumer2: ['topic-2'], consumer3: [] });
  });

  it('gives a partition claimed in two generations to the newer claim without withholding it (testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration)', () => {
    const input = groupOf({ topic: 3, topic2: 3 }, [
      owner('consumer1', ['topic', 'topic2'], ['topic-0', 'topic-2', 'topic2-1'], 10),
      owner('consumer2', ['topic', 'topic2'], ['topic-0', 'topic-2', 'topic2-1'], 9),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic-0', 'topic-2', 'topic2-1'], consumer2: ['topic-1', 'topic2-0', 'topic2-2'] });
  });

  it('reads the generation from userData when the subscription has none (testAssignorWithOldVersionSubscriptions, testMemberDataWithInconsistentData)', () => {
    const v1 = (memberId: string, owned: number[]) => ({
      memberId,
      topics: ['topic1'],
      ownedPartitions: [{ topic: 'topic1', partitions: owned }],
      userData: encodeCooperativeStickyAssignorUserData(1),
    });
    expect(assign(groupOf({ topic1: 3 }, [v1('consumer1', [0]), v1('consumer2', [1]), owner('consumer3', ['topic1'], [])]))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1'],
      consumer3: ['topic1-2'],
    });
  });

  it('takes owned partitions from the subscription, never from userData (testMemberDataWithEmptyPartitionsAndEqualGeneration)', () => {
    const member = {
      memberId: 'consumer1',
      topics: ['topic'],
      ownedPartitions: [],
      generationId: 1,
      userData: encodeStickyAssignorUserData({ partitions: [{ topic: 'topic', partitions: [0, 1] }], generation: 1 }),
    };
    expect(assign(groupOf({ topic: 2 }, [member, owner('consumer2', ['topic'], ['topic-0', 'topic-1'])]))).toEqual({
      consumer1: [],
      consumer2: ['topic-0'],
    });
  });

  it('withholds partitions of a dropped topic and the partition moved to balance, in the general builder', () => {
    // consumer1 drops topic2; the sticky result moves topic2 to consumer2 and topic1-1 to consumer1 for
    // balance. All three change owner, so the first round withholds all three.
    const input = groupOf({ topic1: 2, topic2: 2 }, [owner('consumer1', ['topic1'], ['topic1-0', 'topic2-0', 'topic2-1']), owner('consumer2', both, ['topic1-1'])]);
    expect(rounds(input)).toEqual([
      { consumer1: ['topic1-0'], consumer2: [] },
      { consumer1: ['topic1-0', 'topic1-1'], consumer2: ['topic2-0', 'topic2-1'] },
    ]);
  });
});

describeAssignorCompliance(cooperativeStickyAssignor, { balance: 'overall', cooperative: true });
