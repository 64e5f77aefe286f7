/**
 * The leader-epoch cache, with the cases and values of Kafka's `LeaderEpochFileCacheTest`, and the epochs
 * of `PartitionTest.testLastFetchedOffsetValidation`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  assertEpochEntriesMonotonic,
  InvalidEpochEntryError,
  LeaderEpochCache,
  LeaderEpochCacheInvariantError,
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
} from './leader-epoch-cache.js';
import { MemoryLeaderEpochCheckpoint } from './leader-epoch-checkpoint.js';

const UNDEFINED = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
const at = (epoch: number, endOffset: number) => ({ epoch, endOffset });
const entry = (epoch: number, startOffset: number) => ({ epoch, startOffset });

let checkpoint: MemoryLeaderEpochCheckpoint;
let cache: LeaderEpochCache;
beforeEach(() => {
  checkpoint = new MemoryLeaderEpochCheckpoint();
  cache = new LeaderEpochCache(checkpoint);
});

/** 2@6, 3@8, 4@11: the cache most of Kafka's truncation cases start from. */
function assignThreeEpochs(): void {
  cache.assign(2, 6);
  cache.assign(3, 8);
  cache.assign(4, 11);
}

describe('LeaderEpochCache assign (LeaderEpochFileCacheTest)', () => {
  it('adds an epoch and its start offset; the latest epoch ends at the log end', () => {
    cache.assign(2, 10);
    expect(cache.latestEpoch).toBe(2);
    expect(cache.epochEntries).toEqual([entry(2, 10)]);
    expect(cache.endOffsetFor(2, 11)).toEqual(at(2, 11));
  });

  it('does not move an assigned epoch to a later offset', () => {
    cache.assign(2, 9);
    expect(cache.assign(2, 10)).toBe(false);
    expect(cache.epochEntries).toEqual([entry(2, 9)]);
    cache.assign(2, 6);
    cache.assign(2, 7);
    expect(cache.epochEntries).toEqual([entry(2, 6)]);
  });

  it('a newer epoch at the same start offset replaces the older one (start offsets increase)', () => {
    cache.assign(2, 9);
    cache.assign(3, 9);
    expect(cache.epochEntries).toEqual([entry(3, 9)]);
  });

  it('an older epoch at a later offset removes the newer ones (epochs increase)', () => {
    cache.assign(1, 5);
    cache.assign(2, 6);
    cache.assign(1, 7);
    expect(cache.latestEpoch).toBe(1);
    expect(cache.endOffsetFor(1, 8)).toEqual(at(1, 8));
    expect(cache.endOffsetFor(2, 8)).toEqual(UNDEFINED);
    expect(cache.epochEntries).toEqual([entry(1, 7)]);
  });

  it('a newer epoch at an earlier offset removes the entries starting after it', () => {
    cache.assign(2, 6);
    cache.assign(3, 5);
    expect(cache.epochEntries).toEqual([entry(3, 5)]);
  });

  it('the same epoch at an earlier offset truncates the entries from that offset', () => {
    cache.assign(5, 11);
    cache.assign(6, 12);
    cache.assign(7, 13);
    cache.assign(7, 12);
    expect(cache.epochEntries).toEqual([entry(5, 11), entry(7, 12)]);
    expect(cache.endOffsetFor(5, 0)).toEqual(at(5, 12));
    expect(cache.endOffsetFor(6, 0)).toEqual(at(5, 12));
  });

  it('tracks epochs as leaders change many times', () => {
    cache.assign(0, 0);
    cache.assign(1, 0);
    expect(cache.latestEpoch).toBe(1);
    expect(cache.endOffsetFor(1, 0)).toEqual(at(1, 0));
    expect(cache.endOffsetFor(0, 0)).toEqual(at(0, 0));
    expect(cache.endOffsetFor(1, 5)).toEqual(at(1, 5));
    expect(cache.endOffsetFor(0, 5)).toEqual(at(0, 0));
    cache.assign(2, 5);
    expect(cache.endOffsetFor(2, 10)).toEqual(at(2, 10));
    expect(cache.endOffsetFor(1, 10)).toEqual(at(1, 5));
    expect(cache.endOffsetFor(0, 10)).toEqual(at(0, 0));
  });

  it('tracks epochs as a follower receives many messages', () => {
    for (const [epoch, offset] of [[0, 0], [0, 1], [0, 2]] as const) cache.assign(epoch, offset);
    expect(cache.latestEpoch).toBe(0);
    expect(cache.endOffsetFor(0, 3)).toEqual(at(0, 3));
    for (const [epoch, offset] of [[1, 3], [1, 4], [1, 5]] as const) cache.assign(epoch, offset);
    expect(cache.endOffsetFor(1, 6)).toEqual(at(1, 6));
    for (const [epoch, offset] of [[2, 6], [2, 7], [2, 8]] as const) cache.assign(epoch, offset);
    expect(cache.latestEpoch).toBe(2);
    expect(cache.endOffsetFor(2, 9)).toEqual(at(2, 9));
    expect(cache.endOffsetFor(0, 9)).toEqual(at(0, 3));
    expect(cache.endOffsetFor(1, 9)).toEqual(at(1, 6));
  });

  it('refuses a negative epoch or start offset with InvalidEpochEntryError', () => {
    expect(() => cache.assign(-1, 0)).toThrow(InvalidEpochEntryError);
    expect(() => cache.assign(0, -1)).toThrow(InvalidEpochEntryError);
    expect(cache.epochEntries).toEqual([]);
  });

  it('previousEpoch is the epoch before the latest', () => {
    expect(cache.previousEpoch).toBeUndefined();
    cache.assign(2, 10);
    expect(cache.previousEpoch).toBeUndefined();
    cache.assign(4, 15);
    expect(cache.previousEpoch).toBe(2);
    cache.assign(10, 20);
    expect(cache.previousEpoch).toBe(4);
    cache.truncateFromEnd(18);
    expect(cache.previousEpoch).toBe(2);
  });

  it('epochForOffset finds the epoch covering an offset', () => {
    cache.assign(0, 10);
    cache.assign(1, 20);
    cache.assign(5, 30);
    expect([25, 20, 30, 50, 5].map((offset) => cache.epochForOffset(offset))).toEqual([1, 1, 5, 5, undefined]);
  });
});

describe('LeaderEpochCache endOffsetFor (LeaderEpochFileCacheTest)', () => {
  it('UNDEFINED_EPOCH answers (-1, -1), with entries or without', () => {
    expect(cache.endOffsetFor(UNDEFINED_EPOCH, 73)).toEqual(UNDEFINED);
    cache.assign(2, 11);
    cache.assign(3, 12);
    expect(cache.endOffsetFor(UNDEFINED_EPOCH, 0)).toEqual(UNDEFINED);
  });

  it('an empty cache answers (-1, -1)', () => {
    expect(cache.endOffsetFor(0, 0)).toEqual(UNDEFINED);
    expect(cache.endOffsetFor(7, 0)).toEqual(UNDEFINED);
  });

  it('the latest epoch ends at the log end', () => {
    cache.assign(2, 11);
    cache.assign(2, 12);
    expect(cache.endOffsetFor(2, 14)).toEqual(at(2, 14));
    const other = new LeaderEpochCache(new MemoryLeaderEpochCheckpoint());
    other.assign(2, 6);
    expect(other.endOffsetFor(2, 7)).toEqual(at(2, 7));
    expect(other.epochEntries).toEqual([entry(2, 6)]);
  });

  it('an epoch below the first answers itself and the first start offset', () => {
    cache.assign(5, 11);
    cache.assign(6, 12);
    cache.assign(7, 13);
    expect(cache.endOffsetFor(4, 0)).toEqual(at(4, 11));
  });

  it('an earlier epoch ends where the next one starts', () => {
    for (const [epoch, offset] of [[1, 11], [1, 12], [2, 13], [2, 14], [3, 15], [3, 16]] as const) cache.assign(epoch, offset);
    expect(cache.endOffsetFor(2, 17)).toEqual(at(2, 15));
  });

  it('an epoch between known ones answers the largest epoch below it', () => {
    cache.assign(0, 10);
    cache.assign(2, 13);
    cache.assign(4, 17);
    expect(cache.endOffsetFor(1, 0)).toEqual(at(0, 13));
    expect(cache.endOffsetFor(2, 0)).toEqual(at(2, 17));
    expect(cache.endOffsetFor(3, 0)).toEqual(at(2, 17));
  });

  it('an epoch above all answers (-1, -1)', () => {
    cache.assign(2, 100);
    expect(cache.endOffsetFor(3, 100)).toEqual(UNDEFINED);
  });

  it('testLastFetchedOffsetValidation epochs: 0@0, 3@2, 4@8, 7@13, 9@14, LEO 17', () => {
    for (const [epoch, offset] of [[0, 0], [3, 2], [4, 8], [7, 13], [9, 14]] as const) cache.assign(epoch, offset);
    const leo = 17;
    expect(cache.endOffsetFor(0, leo)).toEqual(at(0, 2));
    expect(cache.endOffsetFor(2, leo)).toEqual(at(0, 2));
    expect(cache.endOffsetFor(3, leo)).toEqual(at(3, 8));
    expect(cache.endOffsetFor(4, leo)).toEqual(at(4, 13));
    expect(cache.endOffsetFor(6, leo)).toEqual(at(4, 13));
    expect(cache.endOffsetFor(7, leo)).toEqual(at(7, 14));
    expect(cache.endOffsetFor(9, leo)).toEqual(at(9, 17));
    expect(cache.endOffsetFor(11, leo)).toEqual(UNDEFINED);
    // Becoming leader in epoch 10 at the LEO adds (10, 17): epoch 10 then ends at the LEO.
    cache.assign(10, leo);
    expect(cache.endOffsetFor(10, leo)).toEqual(at(10, 17));
    expect(cache.endOffsetFor(9, leo)).toEqual(at(9, 17));
  });
});

describe('LeaderEpochCache truncation (LeaderEpochFileCacheTest)', () => {
  it('truncateFromEnd at an epoch boundary drops that epoch and later ones', () => {
    assignThreeEpochs();
    cache.truncateFromEnd(8);
    expect(cache.epochEntries).toEqual([entry(2, 6)]);
  });

  it('truncateFromEnd between boundaries keeps the epoch holding the new end', () => {
    assignThreeEpochs();
    cache.truncateFromEnd(9);
    expect(cache.latestEpoch).toBe(3);
    expect(cache.epochEntries).toEqual([entry(2, 6), entry(3, 8)]);
  });

  it('truncateFromStart keeps the entry holding the new start, moved to it', () => {
    assignThreeEpochs();
    cache.truncateFromStart(8);
    expect(cache.epochEntries).toEqual([entry(3, 8), entry(4, 11)]);
    const other = new LeaderEpochCache(new MemoryLeaderEpochCheckpoint());
    other.assign(2, 6);
    other.assign(3, 8);
    other.assign(4, 11);
    other.truncateFromStart(9);
    expect(other.epochEntries).toEqual([entry(3, 9), entry(4, 11)]);
  });

  it('truncateFromStart before or at the first offset changes nothing', () => {
    assignThreeEpochs();
    cache.truncateFromStart(1);
    cache.truncateFromStart(6);
    expect(cache.epochEntries).toEqual([entry(2, 6), entry(3, 8), entry(4, 11)]);
  });

  it('truncateFromStart at or past the latest start keeps the latest epoch, moved', () => {
    assignThreeEpochs();
    cache.truncateFromStart(11);
    expect(cache.epochEntries).toEqual([entry(4, 11)]);
    cache.truncateFromStart(15);
    expect(cache.epochEntries).toEqual([entry(4, 15)]);
  });

  it('truncateFromStart between the first two boundaries moves the first entry', () => {
    cache.assign(0, 0);
    cache.assign(1, 7);
    cache.assign(2, 10);
    cache.truncateFromStart(5);
    expect(cache.epochEntries).toEqual([entry(0, 5), entry(1, 7), entry(2, 10)]);
  });

  it('UNDEFINED_EPOCH_OFFSET truncates nothing from either end', () => {
    assignThreeEpochs();
    cache.truncateFromStart(UNDEFINED_EPOCH_OFFSET);
    cache.truncateFromEnd(UNDEFINED_EPOCH_OFFSET);
    expect(cache.epochEntries).toHaveLength(3);
  });

  it('truncating an empty cache does nothing', () => {
    cache.truncateFromStart(7);
    cache.truncateFromEnd(7);
    expect(cache.epochEntries).toEqual([]);
  });

  it('clear removes every entry', () => {
    assignThreeEpochs();
    cache.clear();
    expect(cache.epochEntries).toEqual([]);
    expect(checkpoint.read()).toEqual([]);
  });

  it('every truncation is written to the checkpoint', () => {
    assignThreeEpochs();
    cache.truncateFromEnd(11);
    cache.truncateFromStart(8);
    expect(checkpoint.read()).toEqual([entry(3, 8)]);
  });
});

describe('LeaderEpochCache durability and invariants', () => {
  it('a new cache over the same checkpoint has the same entries', () => {
    cache.assign(2, 6);
    expect(new LeaderEpochCache(checkpoint).epochEntries).toEqual([entry(2, 6)]);
  });

  it('loading entries out of order keeps the ones assign would keep', () => {
    const stored = new MemoryLeaderEpochCheckpoint();
    stored.write([entry(1, 5), entry(2, 6), entry(1, 7)]);
    expect(new LeaderEpochCache(stored).epochEntries).toEqual([entry(1, 7)]);
  });

  it('a failed checkpoint write leaves the cache as it was', () => {
    cache.assign(2, 6);
    const failing = new LeaderEpochCache({
      read: () => checkpoint.read(),
      write: () => {
        throw new Error('ENOSPC');
      },
    });
    expect(() => failing.assign(3, 8)).toThrow('ENOSPC');
    expect(failing.epochEntries).toEqual([entry(2, 6)]);
    expect(() => failing.truncateFromEnd(0)).toThrow('ENOSPC');
    expect(failing.epochEntries).toEqual([entry(2, 6)]);
  });

  it('the invariant check fires on epochs that do not increase or offsets that decrease', () => {
    expect(() => assertEpochEntriesMonotonic([entry(2, 6), entry(2, 8)])).toThrow(LeaderEpochCacheInvariantError);
    expect(() => assertEpochEntriesMonotonic([entry(2, 6), entry(1, 8)])).toThrow(LeaderEpochCacheInvariantError);
    expect(() => assertEpochEntriesMonotonic([entry(2, 6), entry(3, 5)])).toThrow(LeaderEpochCacheInvariantError);
    expect(() => assertEpochEntriesMonotonic([entry(-1, 0)])).toThrow(LeaderEpochCacheInvariantError);
    expect(() => assertEpochEntriesMonotonic([entry(2, 6), entry(3, 6), entry(4, 11)])).not.toThrow();
  });
});
