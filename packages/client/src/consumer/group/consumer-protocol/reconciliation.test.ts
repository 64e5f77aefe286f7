import { describe, expect, it } from 'vitest';
import { assignmentChange, reconciledWith, resolveAssignment, sameTarget, toTopicIdPartitions, type OwnedPartition } from './reconciliation.js';

const names = new Map([
  ['t1-id', 't1'],
  ['t2-id', 't2'],
]);
const topicName = (topicId: string) => names.get(topicId);
const owned = (topic: 't1' | 't2', ...partitions: number[]): OwnedPartition[] => partitions.map((partition) => ({ topicId: `${topic}-id`, topic, partition }));

describe('client-side reconciliation', () => {
  it("Kafka's testStableToUnrevokedPartitions from the member's side: owns t1{1,2,3}, t2{4,5,6}; target t1{2,3,4}, t2{5,6,7}", () => {
    const target = [
      { topicId: 't1-id', partitions: [2, 3, 4] },
      { topicId: 't2-id', partitions: [5, 6, 7] },
    ];
    const change = assignmentChange([...owned('t1', 1, 2, 3), ...owned('t2', 4, 5, 6)], target, resolveAssignment(target, topicName).resolved);
    expect(change.revoked).toEqual([...owned('t1', 1), ...owned('t2', 4)]);
    expect(change.added).toEqual([...owned('t1', 4), ...owned('t2', 7)]);
    expect(change.assignment).toEqual([...owned('t1', 2, 3, 4), ...owned('t2', 5, 6, 7)]);
  });

  it('an unresolved topic id is left for later and never revokes what the member owns under it', () => {
    const target = [
      { topicId: 't1-id', partitions: [0] },
      { topicId: 'unknown-id', partitions: [0, 1] },
    ];
    const ownedBefore: OwnedPartition[] = [...owned('t1', 0), { topicId: 'unknown-id', topic: 'gone-from-metadata', partition: 1 }];
    const resolved = resolveAssignment(target, topicName);
    expect(resolved.unresolvedTopicIds).toEqual(['unknown-id']);
    const change = assignmentChange(ownedBefore, target, resolved.resolved);
    expect(change.revoked).toEqual([]);
    expect(change.added).toEqual([]);
    expect(reconciledWith(ownedBefore, target, topicName)).toBe(true);
  });

  it('partitions go on the wire by topic id, ids and partitions sorted; targets compare by content', () => {
    expect(toTopicIdPartitions([...owned('t2', 3, 1), ...owned('t1', 0)])).toEqual([
      { topicId: 't1-id', partitions: [0] },
      { topicId: 't2-id', partitions: [1, 3] },
    ]);
    expect(sameTarget([{ topicId: 'a', partitions: [1, 0] }], [{ topicId: 'a', partitions: [0, 1] }])).toBe(true);
    expect(sameTarget([{ topicId: 'a', partitions: [1] }], null)).toBe(false);
  });
});
