import { describe, expect, it } from 'vitest';
import { encodeAssignment, encodeSubscription, wireLimits } from '@kactor/protocol';
import { assignedPartitions, groupByTopic, leaveTrigger, memberPauses, partitionsMoved, rebalanceProtocolOf, rejoinTrigger, subscriptionOf, type MemberTimeline, type TopicPartition } from './rebalance-record.js';

const tps = (...partitions: number[]): TopicPartition[] => partitions.map((partition) => ({ topic: 't', partition }));
const base: MemberTimeline = { protocol: 'EAGER', owned: tps(0, 1), declaredOwned: null, joinMs: 1_100, receipts: [], remained: true, startMs: 1_000, endMs: 2_000 };

describe('rebalanceProtocolOf', () => {
  it('is COOPERATIVE only for cooperative-sticky (KIP-429)', () => {
    expect(rebalanceProtocolOf('cooperative-sticky')).toBe('COOPERATIVE');
    expect(rebalanceProtocolOf('range')).toBe('EAGER');
    expect(rebalanceProtocolOf('sticky')).toBe('EAGER');
    expect(rebalanceProtocolOf(null)).toBe('EAGER');
  });
});

describe('triggers from reasons (KIP-800)', () => {
  it('classifies LeaveGroup reasons: poll timeout (kactor and Java words), admin removal, plain leave', () => {
    expect(leaveTrigger('m', 'consumer poll timeout has expired')).toBe('poll-timeout');
    expect(leaveTrigger('m', 'consumer poll timeout has expired.')).toBe('poll-timeout');
    expect(leaveTrigger('m', 'poll() was not called within max.poll.interval.ms')).toBe('poll-timeout');
    expect(leaveTrigger('', 'removed by an admin')).toBe('member-removed');
    expect(leaveTrigger('m', 'the consumer is being closed')).toBe('leave');
    expect(leaveTrigger('m', null)).toBe('leave');
  });

  it('classifies a known member’s JoinGroup: changed subscription bytes win, then the reason', () => {
    expect(rejoinTrigger(null, true)).toBe('subscription-change');
    expect(rejoinTrigger('the partition counts of subscribed topics changed', false)).toBe('partition-change');
    expect(rejoinTrigger('cached metadata has changed from X to Y', false)).toBe('partition-change');
    expect(rejoinTrigger('the subscription changed', false)).toBe('subscription-change');
    expect(rejoinTrigger('the coordinator answered REBALANCE_IN_PROGRESS', false)).toBe('rejoin');
    expect(rejoinTrigger(null, false)).toBe('rejoin');
  });
});

describe('memberPauses', () => {
  it('EAGER: paused from its JoinGroup to its assignment; nothing partial', () => {
    expect(memberPauses({ ...base, receipts: [{ atMs: 1_600, generationId: 2, partitions: tps(0) }] })).toEqual({ pausedMs: 500, partiallyPausedMs: 0 });
  });

  it('EAGER: a member that owned nothing, or that left, is not paused', () => {
    expect(memberPauses({ ...base, owned: [] })).toEqual({ pausedMs: 0, partiallyPausedMs: 0 });
    expect(memberPauses({ ...base, remained: false })).toEqual({ pausedMs: 0, partiallyPausedMs: 0 });
  });

  it('COOPERATIVE: a member that keeps some partitions throughout is never paused, partially paused from its round-1 answer', () => {
    const timeline: MemberTimeline = {
      ...base,
      protocol: 'COOPERATIVE',
      owned: tps(0, 1, 2),
      declaredOwned: tps(0, 1, 2),
      receipts: [
        { atMs: 1_300, generationId: 2, partitions: tps(0, 1) },
        { atMs: 1_800, generationId: 3, partitions: tps(0, 1) },
      ],
    };
    expect(memberPauses(timeline)).toEqual({ pausedMs: 0, partiallyPausedMs: 700 });
  });

  it('COOPERATIVE: a member that loses everything in round 1 is paused until round 2 gives it some', () => {
    const timeline: MemberTimeline = {
      ...base,
      protocol: 'COOPERATIVE',
      receipts: [
        { atMs: 1_300, generationId: 2, partitions: [] },
        { atMs: 1_800, generationId: 3, partitions: tps(0, 1) },
      ],
    };
    expect(memberPauses(timeline)).toEqual({ pausedMs: 500, partiallyPausedMs: 0 });
  });

  it('COOPERATIVE: dropping unsubscribed partitions before the JoinGroup counts as partial from the JoinGroup', () => {
    const timeline: MemberTimeline = { ...base, protocol: 'COOPERATIVE', declaredOwned: tps(0), receipts: [{ atMs: 1_500, generationId: 2, partitions: tps(0) }] };
    expect(memberPauses(timeline)).toEqual({ pausedMs: 0, partiallyPausedMs: 900 });
  });
});

describe('partition bookkeeping', () => {
  it('counts partitions that changed owner, not new or vanished ones', () => {
    const before = new Map([
      ['t-0', 'a'],
      ['t-1', 'a'],
      ['t-2', 'b'],
    ]);
    const after = new Map([
      ['t-0', 'a'],
      ['t-1', 'b'],
      ['t-3', 'b'],
    ]);
    expect(partitionsMoved(before, after)).toBe(1);
  });

  it('groups partitions per topic, both sorted', () => {
    expect(groupByTopic([{ topic: 'u', partition: 1 }, ...tps(3, 0)])).toEqual([
      { topic: 't', partitions: [0, 3] },
      { topic: 'u', partitions: [1] },
    ]);
  });
});

describe("what a record keeps of a member's bytes", () => {
  it(`a subscription naming ${wireLimits.maxTopicsPerRequest + 1} owned topics, or a partition ${wireLimits.maxPartitionsPerTopicInRequest + 1} times with duplicates, is cut at the answer's bounds`, () => {
    const manyTopics = Array.from({ length: wireLimits.maxTopicsPerRequest + 1 }, (_, index) => ({ topic: `t${String(index).padStart(5, '0')}`, partitions: [0] }));
    const owned = subscriptionOf('consumer', encodeSubscription({ topics: ['t'], ownedPartitions: manyTopics, generationId: 1 }))?.ownedPartitions ?? [];
    expect(groupByTopic(owned)).toHaveLength(wireLimits.maxTopicsPerRequest);

    const manyPartitions = [{ topic: 't', partitions: [...Array.from({ length: wireLimits.maxPartitionsPerTopicInRequest + 1 }, (_, index) => index), 0, 0, 1] }];
    const assigned = assignedPartitions('consumer', encodeAssignment({ assignedPartitions: manyPartitions }));
    expect(assigned).toHaveLength(wireLimits.maxPartitionsPerTopicInRequest);
    expect(assigned.slice(0, 3)).toEqual(tps(0, 1, 2));
    expect(groupByTopic(assigned)[0]?.partitions).toHaveLength(wireLimits.maxPartitionsPerTopicInRequest);
  });
});
