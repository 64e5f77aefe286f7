/**
 * The roundrobin assignor against Kafka's own expectations: the cases of Kafka's
 * `RoundRobinAssignorTest` and the class documentation (restated here, with Kafka's expected outputs),
 * then the shared compliance suite.
 */
import { describe, expect, it } from 'vitest';
import { describeAssignorCompliance } from './compliance.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import { assignFlat, byInstanceId, dynamicMembers, groupOf, staticMembers } from './test-helpers.js';
import type { GroupAssignmentInput } from './types.js';

const assign = (input: GroupAssignmentInput) => assignFlat(roundRobinAssignor, input);

describe('roundrobin assignor (Kafka RoundRobinAssignorTest cases)', () => {
  it('is named "roundrobin" and supports only the eager protocol', () => {
    expect(roundRobinAssignor.name).toBe('roundrobin');
    expect(roundRobinAssignor.supportedProtocols).toEqual(['EAGER']);
  });

  it('gives a member subscribed to nothing an empty assignment (testOneConsumerNoTopic)', () => {
    expect(assign(groupOf({}, [{ memberId: 'consumer', topics: [] }]))).toEqual({ consumer: [] });
  });

  it('gives nothing for a topic the metadata lacks (testOneConsumerNonexistentTopic)', () => {
    expect(assign(groupOf({}, [{ memberId: 'consumer', topics: ['topic'] }]))).toEqual({ consumer: [] });
  });

  it('gives one member every partition of its topic (testOneConsumerOneTopic)', () => {
    expect(assign(groupOf({ topic: 3 }, [{ memberId: 'consumer', topics: ['topic'] }]))).toEqual({
      consumer: ['topic-0', 'topic-1', 'topic-2'],
    });
  });

  it('assigns only subscribed topics (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    expect(assign(groupOf({ topic: 3, other: 3 }, [{ memberId: 'consumer', topics: ['topic'] }]))).toEqual({
      consumer: ['topic-0', 'topic-1', 'topic-2'],
    });
  });

  it('gives one member all partitions of several topics (testOneConsumerMultipleTopics)', () => {
    expect(assign(groupOf({ topic1: 1, topic2: 2 }, [{ memberId: 'consumer', topics: ['topic1', 'topic2'] }]))).toEqual({
      consumer: ['topic1-0', 'topic2-0', 'topic2-1'],
    });
  });

  it('leaves the second of two members idle on a one-partition topic (testTwoConsumersOneTopicOnePartition)', () => {
    expect(assign(groupOf({ topic: 1 }, dynamicMembers(['consumer1', 'consumer2'], ['topic'])))).toEqual({
      consumer1: ['topic-0'],
      consumer2: [],
    });
  });

  it('gives two members one partition each of a two-partition topic (testTwoConsumersOneTopicTwoPartitions)', () => {
    expect(assign(groupOf({ topic: 2 }, dynamicMembers(['consumer1', 'consumer2'], ['topic'])))).toEqual({
      consumer1: ['topic-0'],
      consumer2: ['topic-1'],
    });
  });

  it('passes over members not subscribed to a topic (testMultipleConsumersMixedTopics)', () => {
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

  it('deals partitions across topics without restarting the circle (testTwoDynamicConsumersTwoTopicsSixPartitions)', () => {
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, dynamicMembers(['consumer1', 'consumer2'], ['topic1', 'topic2'])))).toEqual({
      consumer1: ['topic1-0', 'topic1-2', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-2'],
    });
  });

  it('orders static members by instance id, not member id (testTwoStaticConsumersTwoTopicsSixPartitions)', () => {
    const input = groupOf(
      { topic1: 3, topic2: 3 },
      staticMembers([['consumer-b', 'instance1'], ['consumer-a', 'instance2']], ['topic1', 'topic2']),
    );
    expect(assign(input)).toEqual({
      'consumer-b': ['topic1-0', 'topic1-2', 'topic2-1'],
      'consumer-a': ['topic1-1', 'topic2-0', 'topic2-2'],
    });
  });

  it('puts a static member before a dynamic one (testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions)', () => {
    const input = groupOf({ topic1: 3, topic2: 3 }, [
      { memberId: 'consumer-b', groupInstanceId: 'instance1', topics: ['topic1', 'topic2'] },
      { memberId: 'consumer-a', topics: ['topic1', 'topic2'] },
    ]);
    expect(assign(input)).toEqual({
      'consumer-b': ['topic1-0', 'topic1-2', 'topic2-1'],
      'consumer-a': ['topic1-1', 'topic2-0', 'topic2-2'],
    });
  });

  it('keeps static members on their partitions when a dynamic member is replaced (testStaticMemberRoundRobinAssignmentPersistent)', () => {
    const topics = ['topic1', 'topic2'];
    const statics = staticMembers([['consumer1', 'instance1'], ['consumer2', 'instance2'], ['consumer3', 'instance3']], topics);
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, [...statics, { memberId: 'consumer4', topics }]))).toEqual({
      consumer1: ['topic1-0', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-2'],
      consumer3: ['topic1-2'],
      consumer4: ['topic2-0'],
    });
    expect(assign(groupOf({ topic1: 3, topic2: 3 }, [...statics, { memberId: 'consumer5', topics }]))).toEqual({
      consumer1: ['topic1-0', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-2'],
      consumer3: ['topic1-2'],
      consumer5: ['topic2-0'],
    });
  });

  it('keeps the assignment per instance id when static members get new member ids (testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges)', () => {
    const topics = ['topic1', 'topic2'];
    const before = groupOf(
      { topic1: 5, topic2: 5 },
      staticMembers([['consumer1', 'instance1'], ['consumer2', 'instance2'], ['consumer3', 'instance3']], topics),
    );
    const expected = {
      instance1: ['topic1-0', 'topic1-3', 'topic2-1', 'topic2-4'],
      instance2: ['topic1-1', 'topic1-4', 'topic2-2'],
      instance3: ['topic1-2', 'topic2-0', 'topic2-3'],
    };
    expect(byInstanceId(before, assign(before))).toEqual(expected);
    const after = groupOf(
      { topic1: 5, topic2: 5 },
      staticMembers([['consumer1', 'instance1'], ['consumer5', 'instance2'], ['consumer4', 'instance3']], topics),
    );
    expect(byInstanceId(after, assign(after))).toEqual(expected);
  });

  it('matches the identical-subscriptions example in Kafka\'s RoundRobinAssignor documentation', () => {
    expect(assign(groupOf({ t0: 3, t1: 3 }, dynamicMembers(['C0', 'C1'], ['t0', 't1'])))).toEqual({
      C0: ['t0-0', 't0-2', 't1-1'],
      C1: ['t0-1', 't1-0', 't1-2'],
    });
  });

  it('matches the unequal-subscriptions example in Kafka\'s RoundRobinAssignor documentation', () => {
    const input = groupOf({ t0: 1, t1: 2, t2: 3 }, [
      { memberId: 'C0', topics: ['t0'] },
      { memberId: 'C1', topics: ['t0', 't1'] },
      { memberId: 'C2', topics: ['t0', 't1', 't2'] },
    ]);
    expect(assign(input)).toEqual({ C0: ['t0-0'], C1: ['t1-0'], C2: ['t1-1', 't2-0', 't2-1', 't2-2'] });
  });

  it('matches the static-members example in Kafka\'s RoundRobinAssignor documentation', () => {
    const input = groupOf(
      { t0: 3, t1: 3 },
      staticMembers([['m-9', 'I0'], ['m-1', 'I1'], ['m-5', 'I2']], ['t0', 't1']),
    );
    expect(byInstanceId(input, assign(input))).toEqual({ I0: ['t0-0', 't1-0'], I1: ['t0-1', 't1-1'], I2: ['t0-2', 't1-2'] });
  });

  it('resumes the circle after the last owner when the next topic has other subscribers', () => {
    // c1..c4 in order; t1 (2 partitions) goes to c1, c2; t2 is only for c1 and c4, and the circle stands at c3,
    // so t2-0 goes to c4 (the first subscriber at or after c3), then c1, c4, ...
    const input = groupOf({ t1: 2, t2: 3 }, [
      { memberId: 'c1', topics: ['t1', 't2'] },
      { memberId: 'c2', topics: ['t1'] },
      { memberId: 'c3', topics: ['t1'] },
      { memberId: 'c4', topics: ['t2'] },
    ]);
    expect(assign(input)).toEqual({ c1: ['t1-0', 't2-1'], c2: ['t1-1'], c3: [], c4: ['t2-0', 't2-2'] });
  });

  it('wraps the circle to the first subscriber when none stands after the last owner', () => {
    const input = groupOf({ t1: 3, t2: 2 }, [
      { memberId: 'c1', topics: ['t1', 't2'] },
      { memberId: 'c2', topics: ['t1', 't2'] },
      { memberId: 'c3', topics: ['t1'] },
    ]);
    // t1 ends on c3 (the last member), so t2 starts again at c1.
    expect(assign(input)).toEqual({ c1: ['t1-0', 't2-0'], c2: ['t1-1', 't2-1'], c3: ['t1-2'] });
  });
});

describeAssignorCompliance(roundRobinAssignor, { balance: 'overall' });
