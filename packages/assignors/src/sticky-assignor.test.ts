/**
 * The eager sticky assignor against Kafka's own expectations: the cases of Kafka's
 * `AbstractStickyAssignorTest` and `StickyAssignorTest` with their exact expected outputs (members
 * carry their previous assignment in `StickyAssignorUserData`, as Kafka's eager members do), then the
 * shared compliance suite.
 */
import { describe, expect, it } from 'vitest';
import { describeAssignorCompliance } from './compliance.js';
import { stickyAssignor } from './sticky-assignor.js';
import { ownerOf } from './sticky-test-helpers.js';
import { encodeStickyAssignorUserData } from './sticky-user-data.js';
import { assignFlat, dynamicMembers, groupOf } from './test-helpers.js';
import type { GroupAssignmentInput } from './types.js';

const assign = (input: GroupAssignmentInput) => assignFlat(stickyAssignor, input);
const owner = (id: string, topics: string[], owned: string[], generation = 1) => ownerOf(id, topics, owned, generation, 'sticky');
const both = ['topic1', 'topic2'];

describe('sticky assignor (Kafka AbstractStickyAssignorTest / StickyAssignorTest cases)', () => {
  it('is named "sticky" and supports only the eager protocol', () => {
    expect(stickyAssignor.name).toBe('sticky');
    expect(stickyAssignor.supportedProtocols).toEqual(['EAGER']);
  });

  it('gives empty assignments without topics (testOneConsumerNoTopic, testOneConsumerNonexistentTopic)', () => {
    expect(assign(groupOf({}, [{ memberId: 'consumer', topics: [] }]))).toEqual({ consumer: [] });
    expect(assign(groupOf({ topic: 0 }, [{ memberId: 'consumer', topics: ['topic'] }]))).toEqual({ consumer: [] });
  });

  it('gives one member everything it subscribes to (testOneConsumerOneTopic, testOneConsumerMultipleTopics)', () => {
    expect(assign(groupOf({ topic: 3 }, [{ memberId: 'consumer', topics: ['topic'] }]))).toEqual({ consumer: ['topic-0', 'topic-1', 'topic-2'] });
    expect(assign(groupOf({ topic1: 1, topic2: 2 }, [{ memberId: 'consumer', topics: both }]))).toEqual({
      consumer: ['topic1-0', 'topic2-0', 'topic2-1'],
    });
  });

  it('drops owned partitions of topics the member no longer reads (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    const input = groupOf({ topic: 2 }, [owner('consumer', ['topic'], ['topic-0', 'topic-1', 'other-0', 'other-1'])]);
    expect(assign(input)).toEqual({ consumer: ['topic-0', 'topic-1'] });
  });

  it('splits one topic over two members (testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions)', () => {
    expect(assign(groupOf({ topic: 1 }, dynamicMembers(['consumer1', 'consumer2'], ['topic'])))).toEqual({ consumer1: ['topic-0'], consumer2: [] });
    expect(assign(groupOf({ topic: 2 }, dynamicMembers(['consumer1', 'consumer2'], ['topic'])))).toEqual({
      consumer1: ['topic-0'],
      consumer2: ['topic-1'],
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

  it('deals six partitions round the members in topic order (testTwoConsumersTwoTopicsSixPartitions)', () => {
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, dynamicMembers(['consumer1', 'consumer2'], both)))).toEqual({
      consumer1: ['topic1-0', 'topic1-2', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-2'],
    });
  });

  it('matches the example in its documentation: a third member takes one partition from each of two', () => {
    const input = groupOf({ t1: 3, t2: 3 }, [owner('c1', ['t1', 't2'], ['t1-0', 't1-2', 't2-1']), owner('c2', ['t1', 't2'], ['t1-1', 't2-0', 't2-2']), owner('c3', ['t1', 't2'], [])]);
    expect(assign(input)).toEqual({ c1: ['t1-0', 't2-1'], c2: ['t1-1', 't2-0'], c3: ['t1-2', 't2-2'] });
  });

  it('lets a member owning minQuota grow to maxQuota (testConsumerOwningMinQuotaExpectedMaxQuota)', () => {
    const input = groupOf({ topic1: 2, topic2: 3 }, [
      owner('consumer1', both, ['topic1-0', 'topic2-1']),
      owner('consumer2', both, ['topic1-1', 'topic2-2']),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic1-0', 'topic2-0', 'topic2-1'], consumer2: ['topic1-1', 'topic2-2'] });
  });

  it('lets only P % C members keep maxQuota, in Kafka\'s hash order (testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers)', () => {
    // Java's HashMap walks consumer3, consumer2, consumer1: consumer2 keeps two, consumer1 gives up topic2-0.
    const input = groupOf({ topic1: 2, topic2: 2 }, [
      owner('consumer1', both, ['topic1-0', 'topic2-0']),
      owner('consumer2', both, ['topic1-1', 'topic2-1']),
      owner('consumer3', both, []),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic1-0'], consumer2: ['topic1-1', 'topic2-1'], consumer3: ['topic2-0'] });
  });

  it('fills members under minQuota first (testAllConsumersAreUnderMinQuota)', () => {
    const input = groupOf({ topic1: 2, topic2: 3 }, [
      owner('consumer1', both, ['topic1-0']),
      owner('consumer2', both, ['topic1-1']),
      owner('consumer3', both, []),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic1-0', 'topic2-1'], consumer2: ['topic1-1', 'topic2-2'], consumer3: ['topic2-0'] });
  });

  it('moves one partition to a joining member and all back when the other leaves (testAddRemoveConsumerOneTopic)', () => {
    expect(assign(groupOf({ topic: 3 }, [{ memberId: 'consumer1', topics: ['topic'] }]))).toEqual({ consumer1: ['topic-0', 'topic-1', 'topic-2'] });
    const joined = groupOf({ topic: 3 }, [owner('consumer1', ['topic'], ['topic-0', 'topic-1', 'topic-2']), owner('consumer2', ['topic'], [])]);
    expect(assign(joined)).toEqual({ consumer1: ['topic-0', 'topic-1'], consumer2: ['topic-2'] });
    expect(assign(groupOf({ topic: 3 }, [owner('consumer2', ['topic'], ['topic-2'])]))).toEqual({ consumer2: ['topic-0', 'topic-1', 'topic-2'] });
  });

  it('considers members at quota filled (testAllConsumersReachExpectedQuotaAndAreConsideredFilled)', () => {
    const input = groupOf({ topic: 4 }, [
      owner('consumer1', ['topic'], ['topic-0', 'topic-1']),
      owner('consumer2', ['topic'], ['topic-2']),
      owner('consumer3', ['topic'], []),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic-0', 'topic-1'], consumer2: ['topic-2'], consumer3: ['topic-3'] });
  });

  it('takes a partition claimed twice in one generation from both claimants (testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration...)', () => {
    const claims = [owner('consumer1', ['topic'], ['topic-0', 'topic-1']), owner('consumer2', ['topic'], ['topic-0', 'topic-2']), owner('consumer3', ['topic'], [])];
    expect(assign(groupOf({ topic: 3 }, claims))).toEqual({ consumer1: ['topic-1'], consumer2: ['topic-2'], consumer3: ['topic-0'] });
    expect(assign(groupOf({ topic: 4 }, claims))).toEqual({ consumer1: ['topic-1', 'topic-3'], consumer2: ['topic-2'], consumer3: ['topic-0'] });
  });

  it('gives a partition claimed in two generations to the newer claim (testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration / ...WithNoGeneration)', () => {
    for (const staleGeneration of [9, -1]) {
      const input = groupOf({ topic: 3, topic2: 3 }, [
        owner('consumer1', ['topic', 'topic2'], ['topic-0', 'topic-2', 'topic2-1'], 10),
        owner('consumer2', ['topic', 'topic2'], ['topic-0', 'topic-2', 'topic2-1'], staleGeneration),
      ]);
      expect(assign(input)).toEqual({ consumer1: ['topic-0', 'topic-2', 'topic2-1'], consumer2: ['topic-1', 'topic2-0', 'topic2-2'] });
    }
  });

  it('lets a stale member keep what no newer member claims (testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration)', () => {
    const input = groupOf({ topic: 3, topic2: 3 }, [
      owner('consumer1', ['topic', 'topic2'], ['topic-0', 'topic2-1', 'topic-1'], 10),
      owner('consumer2', ['topic', 'topic2'], ['topic-0', 'topic2-1', 'topic2-2'], 8),
    ]);
    expect(assign(input)).toEqual({ consumer1: ['topic-0', 'topic-1', 'topic2-1'], consumer2: ['topic-2', 'topic2-0', 'topic2-2'] });
  });

  it('assigns partitions to the highest generation (testEnsurePartitionsAssignedToHighestGeneration)', () => {
    const topics = ['topic', 'topic2', 'topic3'];
    const input = groupOf({ topic: 3, topic2: 3, topic3: 3 }, [
      owner('consumer1', topics, ['topic-0', 'topic2-0', 'topic3-0'], 10),
      owner('consumer2', topics, ['topic-1', 'topic2-1', 'topic3-1'], 9),
      owner('consumer3', topics, ['topic2-1', 'topic3-0', 'topic3-2'], 8),
    ]);
    expect(assign(input)).toEqual({
      consumer1: ['topic-0', 'topic2-0', 'topic3-0'],
      consumer2: ['topic-1', 'topic2-1', 'topic3-1'],
      consumer3: ['topic-2', 'topic2-2', 'topic3-2'],
    });
  });

  it('gives a member of no generation only unowned partitions (testNoReassignmentOnCurrentMembers)', () => {
    const topics = ['topic', 'topic2', 'topic3', 'topic1'];
    const input = groupOf({ topic: 3, topic1: 3, topic2: 3, topic3: 3 }, [
      owner('consumer1', topics, [], -1),
      owner('consumer2', topics, ['topic-0', 'topic2-0', 'topic1-0'], 9),
      owner('consumer3', topics, ['topic3-2', 'topic2-2', 'topic1-1'], 8),
      owner('consumer4', topics, ['topic3-1', 'topic-1', 'topic-2'], 7),
    ]);
    expect(assign(input).consumer1).toEqual(['topic1-2', 'topic2-1', 'topic3-0']);
  });

  it('reads old subscriptions: userData v1 without the generation field, and v0 without a generation (testAssignorWithOldVersionSubscriptions, testSchemaBackwardCompatibility)', () => {
    const v0 = (memberId: string, owned: number[]) => ({
      memberId,
      topics: ['topic1'],
      userData: encodeStickyAssignorUserData({ partitions: [{ topic: 'topic1', partitions: owned }] }),
    });
    const v1 = (memberId: string, owned: number[]) => ({
      memberId,
      topics: ['topic1'],
      userData: encodeStickyAssignorUserData({ partitions: [{ topic: 'topic1', partitions: owned }], generation: 1 }),
    });
    expect(assign(groupOf({ topic1: 3 }, [v1('consumer1', [0]), v1('consumer2', [1]), owner('consumer3', ['topic1'], [])]))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1'],
      consumer3: ['topic1-2'],
    });
    const mixed = assign(groupOf({ topic1: 3 }, [owner('consumer1', ['topic1'], ['topic1-0', 'topic1-2']), v0('consumer2', [1]), { memberId: 'consumer3', topics: ['topic1'] }]));
    expect(mixed.consumer2).toEqual(['topic1-1']);
    expect(['topic1-0', 'topic1-2']).toContain(mixed.consumer1![0]);
    expect(Object.values(mixed).map((list) => list.length)).toEqual([1, 1, 1]);
  });

  it('ignores the subscription\'s ownedPartitions field and honours userData (testMemberDataWillHonorUserData)', () => {
    const member = {
      memberId: 'consumer1',
      topics: ['topic'],
      ownedPartitions: [{ topic: 'topic', partitions: [0, 1] }],
      generationId: 5,
      userData: encodeStickyAssignorUserData({ partitions: [{ topic: 'topic', partitions: [2, 3] }], generation: 4 }),
    };
    const input = groupOf({ topic: 4 }, [member, owner('consumer2', ['topic'], [])]);
    expect(assign(input)).toEqual({ consumer1: ['topic-2', 'topic-3'], consumer2: ['topic-0', 'topic-1'] });
  });

  it('keeps the assignment of members claiming one partition in three generations valid (testSubscriptionNotEqualAndAssignSamePartitionWith3Generation)', () => {
    for (const [g1, g2, g3] of [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]] as const) {
      const flat = assign(
        groupOf({ topic: 6, topic1: 1 }, [
          owner('consumer1', ['topic'], ['topic-0', 'topic-2'], g1),
          owner('consumer2', ['topic'], ['topic-1', 'topic-2', 'topic-3'], g2),
          owner('consumer3', ['topic'], ['topic-2', 'topic-4', 'topic-5'], g3),
          owner('consumer4', ['topic1'], ['topic1-0'], 2),
        ]),
      );
      const all = Object.values(flat).flat();
      expect(new Set(all).size).toBe(7);
      for (const list of Object.values(flat)) expect(list.length >= 1 && list.length <= 2).toBe(true);
    }
  });
});

describeAssignorCompliance(stickyAssignor, { balance: 'overall' });
