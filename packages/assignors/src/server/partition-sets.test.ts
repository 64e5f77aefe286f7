import { describe, expect, it } from 'vitest';
import { PartitionRange } from './partition-range.js';
import { SortedPartitions } from './sorted-partitions.js';

describe.each<[string, ReadonlySet<number>]>([
  ['PartitionRange(3, 7)', new PartitionRange(3, 7)],
  ['SortedPartitions([3, 4, 5, 6])', new SortedPartitions([3, 4, 5, 6])],
])('%s reads as the set {3, 4, 5, 6}', (_name, partitions) => {
  it('has size, membership and ascending iteration like a Set', () => {
    const reference = new Set([3, 4, 5, 6]);
    expect(partitions.size).toBe(4);
    for (const probe of [-1, 0, 2, 3, 4.5, 5, 6, 7, 100]) expect(partitions.has(probe)).toBe(reference.has(probe));
    expect([...partitions]).toEqual([...reference]);
    expect([...partitions.keys()]).toEqual([3, 4, 5, 6]);
    expect([...partitions.entries()]).toEqual([...reference.entries()]);
    const seen: number[] = [];
    partitions.forEach((value, key, set) => {
      expect(key).toBe(value);
      expect(set).toBe(partitions);
      seen.push(value);
    });
    expect(seen).toEqual([3, 4, 5, 6]);
    expect(new Set(partitions)).toEqual(reference);
  });
});

it('an empty PartitionRange and SortedPartitions hold nothing', () => {
  expect([...new PartitionRange(5, 5)]).toEqual([]);
  expect(new SortedPartitions([]).has(0)).toBe(false);
});
