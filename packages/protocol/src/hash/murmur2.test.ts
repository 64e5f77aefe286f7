import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './murmur2.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

// /work/shared/reference/test-vectors.md, from Kafka's UtilsTest.testMurmur2 plus the empty input.
const vectors: ReadonlyArray<[key: string, hash: number, partitionOf6: number, partitionOf12: number]> = [
  ['21', -973932308, 0, 0],
  ['foobar', -790332482, 0, 6],
  ['a-little-bit-long-string', -985981536, 2, 8],
  ['a-little-bit-longer-string', -1486304829, 5, 11],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5, 5],
  ['abc', 479470107, 3, 3],
  ['', 275646681, 3, 9],
];

describe('murmur2', () => {
  it.each(vectors)('hashes %j to %i as Kafka does', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  it.each(vectors)('places %j on the same partition of 6 and 12 as Kafka', (key, _hash, of6, of12) => {
    expect(partitionForKey(utf8(key), 6)).toBe(of6);
    expect(partitionForKey(utf8(key), 12)).toBe(of12);
  });

  it('places foobar on partition 16 of 50', () => {
    expect(partitionForKey(utf8('foobar'), 50)).toBe(16);
  });

  it('always returns a signed 32-bit integer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const hash = murmur2(bytes);
        expect(Number.isInteger(hash)).toBe(true);
        expect(hash | 0).toBe(hash);
      }),
    );
  });

  it('mixes in the trailing bytes: keys differing only in their last 1 to 3 bytes hash differently', () => {
    expect(murmur2(utf8('order-0001'))).not.toBe(murmur2(utf8('order-0002')));
    expect(murmur2(utf8('order-00012'))).not.toBe(murmur2(utf8('order-00013')));
    expect(murmur2(utf8('order-000123'))).not.toBe(murmur2(utf8('order-000124')));
  });
});

describe('partitionForKey', () => {
  it('always lands in [0, numPartitions)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 10_000 }), (bytes, numPartitions) => {
        const partition = partitionForKey(bytes, numPartitions);
        expect(Number.isInteger(partition)).toBe(true);
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(numPartitions);
      }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('refuses a partition count of %d', (numPartitions) => {
    expect(() => partitionForKey(utf8('k'), numPartitions)).toThrow(RangeError);
  });
});

describe('toPositive', () => {
  it('clears the sign bit like Utils.toPositive', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(-790332482)).toBe(1357151166);
    expect(toPositive(42)).toBe(42);
  });

  it('maps every int32 into [0, 2^31)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        const positive = toPositive(value);
        expect(positive).toBeGreaterThanOrEqual(0);
        expect(positive).toBeLessThanOrEqual(2 ** 31 - 1);
      }),
    );
  });
});
