import { describe, expect, it } from 'vitest';
import { ClusterEventsBoundError, createClusterTimeline, deriveClusterEvents, type ClusterView, type PartitionView } from './cluster-events.js';

const p = (partition: number, leader: number, leaderEpoch: number, isr: number[]): PartitionView => ({ partition, leader, leaderEpoch, isr });
const view = (partitions: PartitionView[], liveBrokers = [0, 1, 2]): ClusterView => ({ liveBrokers, topics: [{ name: 'orders', partitions }] });

describe('deriveClusterEvents', () => {
  it('gives no event when nothing changed', () => {
    const same = view([p(0, 0, 3, [0, 1, 2]), p(1, -1, 2, [1])]);
    expect(deriveClusterEvents(same, structuredClone(same), 5_000)).toEqual([]);
  });

  it('a leader moving to another ISR member with an epoch bump is a leader-change, and the ISR shrink beside it', () => {
    const events = deriveClusterEvents(view([p(0, 2, 4, [2, 0, 1])]), view([p(0, 0, 5, [0, 1])], [0, 1]), 7_000);
    expect(events).toEqual([
      { atMs: 7_000, kind: 'broker-fenced', broker: 2 },
      { atMs: 7_000, topic: 'orders', partition: 0, kind: 'leader-change', from: 2, to: 0, leaderEpoch: 5 },
      { atMs: 7_000, topic: 'orders', partition: 0, kind: 'isr-shrink', from: [2, 0, 1], to: [0, 1], leaderEpoch: 5 },
    ]);
  });

  it('the same leader re-elected with a bumped epoch (a restart between two polls) is a leader-change', () => {
    expect(deriveClusterEvents(view([p(0, 1, 1, [1])]), view([p(0, 1, 2, [1])]), 1)).toEqual([{ atMs: 1, topic: 'orders', partition: 0, kind: 'leader-change', from: 1, to: 1, leaderEpoch: 2 }]);
  });

  it('an ISR that grows is an isr-expand; one that swaps a member is a shrink then an expand', () => {
    expect(deriveClusterEvents(view([p(0, 0, 5, [0, 1])]), view([p(0, 0, 5, [0, 1, 2])]), 9)).toEqual([{ atMs: 9, topic: 'orders', partition: 0, kind: 'isr-expand', from: [0, 1], to: [0, 1, 2], leaderEpoch: 5 }]);
    expect(deriveClusterEvents(view([p(0, 0, 5, [0, 1])]), view([p(0, 0, 5, [0, 2])]), 9)).toEqual([
      { atMs: 9, topic: 'orders', partition: 0, kind: 'isr-shrink', from: [0, 1], to: [0], leaderEpoch: 5 },
      { atMs: 9, topic: 'orders', partition: 0, kind: 'isr-expand', from: [0], to: [0, 2], leaderEpoch: 5 },
    ]);
  });

  it('a partition losing its only leader goes offline (its broker fenced); a leader elected again brings it online', () => {
    const before = view([p(0, 1, 0, [1]), p(1, 0, 0, [0])], [0, 1]);
    const down = view([p(0, -1, 1, [1]), p(1, 0, 0, [0])], [0]);
    expect(deriveClusterEvents(before, down, 10)).toEqual([
      { atMs: 10, kind: 'broker-fenced', broker: 1 },
      { atMs: 10, topic: 'orders', partition: 0, kind: 'offline', from: 1, to: -1, leaderEpoch: 1 },
    ]);
    const up = view([p(0, 1, 2, [1]), p(1, 0, 0, [0])], [0, 1]);
    expect(deriveClusterEvents(down, up, 20)).toEqual([
      { atMs: 20, kind: 'broker-unfenced', broker: 1 },
      { atMs: 20, topic: 'orders', partition: 0, kind: 'online', from: -1, to: 1, leaderEpoch: 2 },
    ]);
  });

  it('a partition or topic seen for the first time, or gone, gives no event', () => {
    const before = view([p(0, 0, 0, [0])]);
    const after: ClusterView = { liveBrokers: [0, 1, 2], topics: [{ name: 'orders', partitions: [p(0, 0, 0, [0]), p(1, 1, 0, [1])] }, { name: 'payments', partitions: [p(0, -1, 0, [])] }] };
    expect(deriveClusterEvents(before, after, 1)).toEqual([]);
    expect(deriveClusterEvents(after, before, 2)).toEqual([]);
  });
});

describe('createClusterTimeline', () => {
  it('the first view is the baseline; later views append their events, oldest first', () => {
    const timeline = createClusterTimeline(10);
    timeline.observe(view([p(0, 0, 0, [0, 1])]), 1);
    expect(timeline.events()).toEqual([]);
    timeline.observe(view([p(0, 1, 1, [0, 1])]), 2);
    timeline.observe(view([p(0, 1, 1, [1])]), 3);
    expect(timeline.events().map((event) => [event.atMs, event.kind])).toEqual([
      [2, 'leader-change'],
      [3, 'isr-shrink'],
    ]);
  });

  it('keeps only the newest maxClusterEvents', () => {
    const timeline = createClusterTimeline(3);
    timeline.observe(view([p(0, 0, 0, [0])]), 0);
    for (let epoch = 1; epoch <= 5; epoch += 1) timeline.observe(view([p(0, epoch % 2, epoch, [0])]), epoch);
    expect(timeline.events().map((event) => ('leaderEpoch' in event ? event.leaderEpoch : -1))).toEqual([3, 4, 5]);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => createClusterTimeline(0)).toThrow(ClusterEventsBoundError);
    expect(() => createClusterTimeline(1.5)).toThrow(ClusterEventsBoundError);
  });
});
