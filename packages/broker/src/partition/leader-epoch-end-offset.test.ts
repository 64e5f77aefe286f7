import { LeaderEpochCache, MemoryLeaderEpochCheckpoint } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { endOffsetForEpoch, LeaderEpochAheadOfPartitionError } from './leader-epoch-end-offset.js';

function cacheOf(entries: ReadonlyArray<[epoch: number, startOffset: number]>): LeaderEpochCache {
  const cache = new LeaderEpochCache(new MemoryLeaderEpochCheckpoint());
  for (const [epoch, startOffset] of entries) cache.assign(epoch, startOffset);
  return cache;
}

describe('endOffsetForEpoch (the leader side of OffsetsForLeaderEpoch)', () => {
  it('answers as Kafka\'s leader does, whose cache got (leader epoch, LEO) when it became leader (KIP-101): every epoch from -1 to past the leader\'s', () => {
    const logEndOffset = 20;
    const withoutEntry = cacheOf([[0, 0], [2, 10]]);
    const kafkas = cacheOf([[0, 0], [2, 10], [5, logEndOffset]]);
    for (let requested = -1; requested <= 7; requested += 1) {
      expect(endOffsetForEpoch(withoutEntry, 5, requested, logEndOffset), `epoch ${requested}`).toEqual(kafkas.endOffsetFor(requested, logEndOffset));
    }
  });

  it('once data was appended in the leader epoch, answers exactly what the cache says', () => {
    const cache = cacheOf([[0, 0], [2, 10], [5, 15]]);
    for (let requested = -1; requested <= 7; requested += 1) expect(endOffsetForEpoch(cache, 5, requested, 20)).toEqual(cache.endOffsetFor(requested, 20));
  });

  it('a new, empty partition: its leader epoch ends at the log end (0), a later one is undefined (-1, -1)', () => {
    const empty = cacheOf([]);
    expect(endOffsetForEpoch(empty, 0, 0, 0)).toEqual({ epoch: 0, endOffset: 0 });
    expect(endOffsetForEpoch(empty, 0, 1, 0)).toEqual({ epoch: -1, endOffset: -1 });
    expect(endOffsetForEpoch(empty, 0, -1, 0)).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('OffsetsForLeaderEpochTest.shouldGetEpochsFromReplica: epoch 5 of a leader at epoch 5 with LEO 42 ends at 42', () => {
    expect(endOffsetForEpoch(cacheOf([[5, 0]]), 5, 5, 42)).toEqual({ epoch: 5, endOffset: 42 });
  });

  it('an epoch cache ahead of the partition\'s leader epoch is an invariant violation', () => {
    expect(() => endOffsetForEpoch(cacheOf([[0, 0], [3, 4]]), 2, 2, 10)).toThrow(LeaderEpochAheadOfPartitionError);
  });
});
