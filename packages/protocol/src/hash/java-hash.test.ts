import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupCoordinatorPartition, javaStringHashCode, kafkaAbs } from './java-hash.js';

// /work/shared/reference/test-vectors.md: String.hashCode and abs(hash) % partitions.
const vectors: ReadonlyArray<[groupId: string, hashCode: number, of50: number, of5: number]> = [
  ['analytics', -1693017210, 10, 0],
  ['billing', -109829509, 9, 4],
  ['g1', 3242, 42, 2],
  ['my-group', -1906497762, 12, 2],
  ['console-consumer-12345', 158455506, 6, 1],
  ['', 0, 0, 0],
];

describe('javaStringHashCode', () => {
  it.each(vectors)('hashes %j to %i as Java does', (groupId, hashCode) => {
    expect(javaStringHashCode(groupId)).toBe(hashCode);
  });

  it('hashes UTF-16 code units, so a character outside the BMP counts as its two surrogates', () => {
    // "😀" is U+1F600 = surrogates 0xD83D 0xDE00: 31 * 0xD83D + 0xDE00.
    expect(javaStringHashCode('😀')).toBe(31 * 0xd83d + 0xde00);
  });

  it('always returns a signed 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.nat({ max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 64 }), (text) => {
        const hash = javaStringHashCode(text);
        expect(hash | 0).toBe(hash);
      }),
    );
  });
});

describe('kafkaAbs', () => {
  it('maps Integer.MIN_VALUE to 0 and leaves other values at their absolute value', () => {
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(kafkaAbs(-2147483647)).toBe(2147483647);
    expect(kafkaAbs(-5)).toBe(5);
    expect(kafkaAbs(7)).toBe(7);
  });
});

describe('groupCoordinatorPartition', () => {
  it.each(vectors)('places group %j (hashCode %i) on partition %i of 50 and %i of 5', (groupId, _hashCode, of50, of5) => {
    expect(groupCoordinatorPartition(groupId, 50)).toBe(of50);
    expect(groupCoordinatorPartition(groupId, 5)).toBe(of5);
  });

  it('always lands in [0, numPartitions)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (groupId, numPartitions) => {
        const partition = groupCoordinatorPartition(groupId, numPartitions);
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(numPartitions);
      }),
    );
  });

  it('refuses a partition count below 1', () => {
    expect(() => groupCoordinatorPartition('g', 0)).toThrow(RangeError);
  });
});
