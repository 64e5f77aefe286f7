/**
 * The range assignor against Kafka's own expectations: the cases of Kafka's `RangeAssignorTest` and the
 * class documentation (restated here, with Kafka's expected outputs), then the shared compliance suite.
 */
import { describe, expect, it } from 'vitest';
import { describeAssignorCompliance } from './compliance.js';
import { rangeAssignor } from './range-assignor.js';
import { assignFlat, byInstanceId, dynamicMembers, groupOf, staticMembers } from './test-helpers.js';

const assign = (input: Parameters<typeof rangeAssignor.assign>[0]) => assignFlat(rangeAssignor, input);

describe('range assignor (Kafka RangeAssignorTest cases)', () => {
  it('is named "range" and supports only the eager protocol', () => {
    expect(rangeAssignor.name).toBe('range');
    expect(rangeAssignor.supportedProtocols).toEqual(['EAGER']);
  });

  it('gives a member subscribed to nothing an empty assignment (testOneConsumerNoTopic)', () => {
    expect(assign(groupOf({}, [{ memberId: 'consumer1', topics: [] }]))).toEqual({ consumer1: [] });
  });

  it('gives nothing for a topic the metadata lacks (testOneConsumerNonexistentTopic)', () => {
    expect(assign(groupOf({}, [{ memberId: 'consumer1', topics: ['topic1'] }]))).toEqual({ consumer1: [] });
  });

  it('gives one member every partition of its topic (testOneConsumerOneTopic)', () => {
    expect(assign(groupOf({ topic1: 3 }, [{ memberId: 'consumer1', topics: ['topic1'] }]))).toEqual({
      consumer1: ['topic1-0', 'topic1-1', 'topic1-2'],
    });
  });

  it('assigns only subscribed topics (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    expect(assign(groupOf({ topic1: 3, other: 3 }, [{ memberId: 'consumer1', topics: ['topic1'] }]))).toEqual({
      consumer1: ['topic1-0', 'topic1-1', 'topic1-2'],
    });
  });

  it('gives one member all partitions of several topics (testOneConsumerMultipleTopics)', () => {
    expect(assign(groupOf({ topic1: 1, topic2: 2 }, [{ memberId: 'consumer1', topics: ['topic1', 'topic2'] }]))).toEqual({
      consumer1: ['topic1-0', 'topic2-0', 'topic2-1'],
    });
  });

  it('leaves the second of two members idle on a one-partition topic (testTwoConsumersOneTopicOnePartition)', () => {
    expect(assign(groupOf({ topic1: 1 }, dynamicMembers(['consumer1', 'consumer2'], ['topic1'])))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: [],
    });
  });

  it('gives two members one partition each of a two-partition topic (testTwoConsumersOneTopicTwoPartitions)', () => {
    expect(assign(groupOf({ topic1: 2 }, dynamicMembers(['consumer1', 'consumer2'], ['topic1'])))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1'],
    });
  });

  it('splits each topic among its own subscribers (testMultipleConsumersMixedTopics)', () => {
    const input = groupOf({ topic1: 3, topic2: 2 }, [
      { memberId: 'consumer1', topics: ['topic1'] },
      { memberId: 'consumer2', topics: ['topic1', 'topic2'] },
      { memberId: 'consumer3', topics: ['topic1'] },
    ]);
    expect(assign(input)).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-1'],
      consumer3: ['topic1-2'],
    });
  });

  it('gives the first member the extra partition of every topic (testTwoConsumersTwoTopicsSixPartitions)', () => {
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, dynamicMembers(['consumer1', 'consumer2'], ['topic1', 'topic2'])))).toEqual({
      consumer1: ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      consumer2: ['topic1-2', 'topic2-2'],
    });
  });

  it('orders static members by instance id, not member id (testTwoStaticConsumersTwoTopicsSixPartitions)', () => {
    const input = groupOf(
      { topic1: 3, topic2: 3 },
      staticMembers([['consumer-b', 'instance1'], ['consumer-a', 'instance2']], ['topic1', 'topic2']),
    );
    expect(assign(input)).toEqual({
      'consumer-b': ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      'consumer-a': ['topic1-2', 'topic2-2'],
    });
  });

  it('puts a static member before a dynamic one (testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions)', () => {
    const input = groupOf({ topic1: 3, topic2: 3 }, [
      { memberId: 'consumer-b', groupInstanceId: 'instance1', topics: ['topic1', 'topic2'] },
      { memberId: 'consumer-a', topics: ['topic1', 'topic2'] },
    ]);
    expect(assign(input)).toEqual({
      'consumer-b': ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      'consumer-a': ['topic1-2', 'topic2-2'],
    });
  });

  it('keeps static members on their partitions when a dynamic member is replaced (testStaticMemberRangeAssignmentPersistent)', () => {
    const statics = staticMembers(
      [['consumer1', 'instance1'], ['consumer2', 'instance2'], ['consumer3', 'instance3']],
      ['topic1', 'topic2'],
    );
    const first = assign(groupOf({ topic1: 5, topic2: 4 }, [...statics, { memberId: 'consumer4', topics: ['topic1', 'topic2'] }]));
    expect(first).toEqual({
      consumer1: ['topic1-0', 'topic1-1', 'topic2-0'],
      consumer2: ['topic1-2', 'topic2-1'],
      consumer3: ['topic1-3', 'topic2-2'],
      consumer4: ['topic1-4', 'topic2-3'],
    });
    const second = assign(groupOf({ topic1: 5, topic2: 4 }, [...statics, { memberId: 'consumer5', topics: ['topic1', 'topic2'] }]));
    expect(second).toEqual({
      consumer1: ['topic1-0', 'topic1-1', 'topic2-0'],
      consumer2: ['topic1-2', 'topic2-1'],
      consumer3: ['topic1-3', 'topic2-2'],
      consumer5: ['topic1-4', 'topic2-3'],
    });
  });

  it('keeps the assignment per instance id when static members get new member ids (testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges)', () => {
    const topics = ['topic1', 'topic2'];
    const before = groupOf(
      { topic1: 5, topic2: 5 },
      staticMembers([['consumer1', 'instance1'], ['consumer2', 'instance2'], ['consumer3', 'instance3']], topics),
    );
    const expected = {
      instance1: ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      instance2: ['topic1-2', 'topic1-3', 'topic2-2', 'topic2-3'],
      instance3: ['topic1-4', 'topic2-4'],
    };
    expect(byInstanceId(before, assign(before))).toEqual(expected);
    const after = groupOf(
      { topic1: 5, topic2: 5 },
      staticMembers([['consumer1', 'instance1'], ['consumer5', 'instance2'], ['consumer4', 'instance3']], topics),
    );
    expect(byInstanceId(after, assign(after))).toEqual(expected);
  });

  it('assigns as Kafka does without racks: uniform subscriptions (testRackAwareAssignmentWithUniformSubscription)', () => {
    const input = groupOf({ t1: 6, t2: 7, t3: 2 }, dynamicMembers(['consumer0', 'consumer1', 'consumer2'], ['t1', 't2', 't3']));
    expect(assign(input)).toEqual({
      consumer0: ['t1-0', 't1-1', 't2-0', 't2-1', 't2-2', 't3-0'],
      consumer1: ['t1-2', 't1-3', 't2-3', 't2-4', 't3-1'],
      consumer2: ['t1-4', 't1-5', 't2-5', 't2-6'],
    });
  });

  it('assigns as Kafka does without racks: one member on fewer topics (testRackAwareAssignmentWithNonEqualSubscription)', () => {
    const input = groupOf({ t1: 6, t2: 7, t3: 2 }, [
      ...dynamicMembers(['consumer0', 'consumer1'], ['t1', 't2', 't3']),
      { memberId: 'consumer2', topics: ['t1', 't3'] },
    ]);
    expect(assign(input)).toEqual({
      consumer0: ['t1-0', 't1-1', 't2-0', 't2-1', 't2-2', 't2-3', 't3-0'],
      consumer1: ['t1-2', 't1-3', 't2-4', 't2-5', 't2-6', 't3-1'],
      consumer2: ['t1-4', 't1-5'],
    });
  });

  it('co-partitions topics with the same partition count (testRackAwareAssignmentWithUniformPartitions, without racks)', () => {
    const input = groupOf({ t1: 5, t2: 5, t3: 5 }, dynamicMembers(['consumer0', 'consumer1', 'consumer2'], ['t1', 't2', 't3']));
    expect(assign(input)).toEqual({
      consumer0: ['t1-0', 't1-1', 't2-0', 't2-1', 't3-0', 't3-1'],
      consumer1: ['t1-2', 't1-3', 't2-2', 't2-3', 't3-2', 't3-3'],
      consumer2: ['t1-4', 't2-4', 't3-4'],
    });
  });

  it('assigns as Kafka does without racks: two groups of co-partitioned topics (testRackAwareAssignmentWithCoPartitioning)', () => {
    const split = groupOf({ t1: 6, t2: 6, t3: 2, t4: 2 }, [
      ...dynamicMembers(['consumer0', 'consumer1'], ['t1', 't2']),
      ...dynamicMembers(['consumer2', 'consumer3'], ['t3', 't4']),
    ]);
    expect(assign(split)).toEqual({
      consumer0: ['t1-0', 't1-1', 't1-2', 't2-0', 't2-1', 't2-2'],
      consumer1: ['t1-3', 't1-4', 't1-5', 't2-3', 't2-4', 't2-5'],
      consumer2: ['t3-0', 't4-0'],
      consumer3: ['t3-1', 't4-1'],
    });
    const all = groupOf({ t1: 6, t2: 6, t3: 2, t4: 2 }, dynamicMembers(['consumer0', 'consumer1', 'consumer2', 'consumer3'], ['t1', 't2', 't3', 't4']));
    expect(assign(all)).toEqual({
      consumer0: ['t1-0', 't1-1', 't2-0', 't2-1', 't3-0', 't4-0'],
      consumer1: ['t1-2', 't1-3', 't2-2', 't2-3', 't3-1', 't4-1'],
      consumer2: ['t1-4', 't2-4'],
      consumer3: ['t1-5', 't2-5'],
    });
  });

  it('skips unknown topics among known ones (testCoPartitionedAssignmentWithSameSubscription, without racks)', () => {
    const topics = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
    const input = groupOf({ t1: 6, t2: 6, t3: 2, t4: 2, t5: 4, t6: 4 }, dynamicMembers(['consumer0', 'consumer1', 'consumer2'], topics));
    expect(assign(input)).toEqual({
      consumer0: ['t1-0', 't1-1', 't2-0', 't2-1', 't3-0', 't4-0', 't5-0', 't5-1', 't6-0', 't6-1'],
      consumer1: ['t1-2', 't1-3', 't2-2', 't2-3', 't3-1', 't4-1', 't5-2', 't6-2'],
      consumer2: ['t1-4', 't1-5', 't2-4', 't2-5', 't5-3', 't6-3'],
    });
  });

  it('matches the example in Kafka\'s RangeAssignor documentation', () => {
    expect(assign(groupOf({ t0: 3, t1: 3 }, dynamicMembers(['C0', 'C1'], ['t0', 't1'])))).toEqual({
      C0: ['t0-0', 't0-1', 't1-0', 't1-1'],
      C1: ['t0-2', 't1-2'],
    });
  });

  it('orders member ids by UTF-16 code units like Java, not by locale or number', () => {
    // Java's order: upper case before lower case, "consumer-10" before "consumer-2".
    const input = groupOf({ t: 5 }, dynamicMembers(['consumer-2', 'consumer-10', 'b', 'B', 'Z'], ['t']));
    expect(assign(input)).toEqual({ B: ['t-0'], Z: ['t-1'], b: ['t-2'], 'consumer-10': ['t-3'], 'consumer-2': ['t-4'] });
  });

  it('counts a topic listed twice by one member once', () => {
    expect(assign(groupOf({ t: 4 }, [
      { memberId: 'c1', topics: ['t', 't'] },
      { memberId: 'c2', topics: ['t'] },
    ]))).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2', 't-3'] });
  });

  it('returns each member\'s partitions grouped by topic, topics sorted', () => {
    const output = rangeAssignor.assign(groupOf({ b: 2, a: 2, B: 1 }, [{ memberId: 'c', topics: ['b', 'a', 'B'] }]));
    expect(output.assignments.get('c')).toEqual({
      assignedPartitions: [
        { topic: 'B', partitions: [0] },
        { topic: 'a', partitions: [0, 1] },
        { topic: 'b', partitions: [0, 1] },
      ],
      userData: null,
    });
  });
});

describeAssignorCompliance(rangeAssignor, { balance: 'per-topic' });
