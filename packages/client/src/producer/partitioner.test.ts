import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { keyedPartition, StickyPartitioner } from './partitioner.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('keyedPartition', () => {
  // Kafka's UtilsTest.testMurmur2 keys and the partitions Kafka's default partitioner gives them.
  const vectors: Array<[string, number, number]> = [
    ['21', 0, 0],
    ['foobar', 0, 6],
    ['a-little-bit-long-string', 2, 8],
    ['a-little-bit-longer-string', 5, 11],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', 5, 5],
    ['abc', 3, 3],
    ['', 3, 9],
  ];

  it.each(vectors)('puts key %j where Apache Kafka does over 6 and 12 partitions', (key, of6, of12) => {
    expect(keyedPartition(utf8(key), 6)).toBe(of6);
    expect(keyedPartition(utf8(key), 12)).toBe(of12);
  });

  it('puts foobar in partition 16 of 50', () => {
    expect(keyedPartition(utf8('foobar'), 50)).toBe(16);
  });
});

describe('StickyPartitioner', () => {
  const all = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

  it('keeps one partition until batch.size bytes went to it and its batch is full', () => {
    const partitioner = new StickyPartitioner(createSeededRandom(1), 1_000);
    const first = partitioner.partition('t', 6, all(6));
    partitioner.onAppend('t', first, 600, false, 6, all(6));
    expect(partitioner.partition('t', 6, all(6))).toBe(first);
    partitioner.onAppend('t', first, 600, false, 6, all(6));
    expect(partitioner.partition('t', 6, all(6))).toBe(first); // 1200 bytes, but the batch is still open
    partitioner.onAppend('t', first, 10, true, 6, all(6));
    const picks = new Set<number>();
    // After the switch a new choice is made; over several switches more than one partition is used.
    for (let round = 0; round < 20; round++) {
      const current = partitioner.partition('t', 6, all(6));
      picks.add(current);
      partitioner.onAppend('t', current, 1_000, true, 6, all(6));
    }
    expect(picks.size).toBeGreaterThan(1);
  });

  it('switches after twice batch.size even when batches never fill (short linger.ms)', () => {
    const partitioner = new StickyPartitioner(createSeededRandom(7), 1_000);
    const counts = new Map<number, number>();
    for (let record = 0; record < 2_000; record++) {
      const partition = partitioner.partition('t', 4, all(4));
      counts.set(partition, (counts.get(partition) ?? 0) + 1);
      partitioner.onAppend('t', partition, 100, false, 4, all(4));
    }
    expect(counts.size).toBe(4);
    // Each stint is 20 records (2000 bytes); uniform choice spreads 100 stints roughly evenly.
    for (const count of counts.values()) expect(count).toBeGreaterThan(200);
  });

  it('only chooses partitions that have a leader when some do', () => {
    const partitioner = new StickyPartitioner(createSeededRandom(3), 10);
    for (let round = 0; round < 50; round++) {
      const partition = partitioner.partition('t', 6, [1, 4]);
      expect([1, 4]).toContain(partition);
      partitioner.onAppend('t', partition, 100, true, 6, [1, 4]);
    }
  });

  it('falls back to any partition when none has a leader', () => {
    const partitioner = new StickyPartitioner(createSeededRandom(3), 10);
    const partition = partitioner.partition('t', 3, []);
    expect(partition).toBeGreaterThanOrEqual(0);
    expect(partition).toBeLessThan(3);
  });

  it('keeps a separate sticky partition per topic and repeats its choices for the same seed', () => {
    const run = (): number[] => {
      const partitioner = new StickyPartitioner(createSeededRandom('seed'), 100);
      const picks: number[] = [];
      for (let round = 0; round < 10; round++) {
        for (const topic of ['a', 'b']) {
          const partition = partitioner.partition(topic, 8, all(8));
          picks.push(partition);
          partitioner.onAppend(topic, partition, 100, true, 8, all(8));
        }
      }
      return picks;
    };
    expect(run()).toEqual(run());
  });
});
