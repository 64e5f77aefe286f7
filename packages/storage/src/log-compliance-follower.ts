/**
 * The follower side every `PartitionLog` must show (appends that keep the leader's offsets and epochs,
 * truncation of a diverged tail, the leader-epoch cache that follows both), as one vitest suite that each
 * implementation's test file registers beside `describeLogCompliance`. Test support only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setBaseOffset } from '@kactor/protocol';
import { InvalidAppendError, RecordBatchTooLargeError, TruncateBelowLogStartError, UnexpectedAppendOffsetError } from './errors.js';
import { OffsetOutOfRangeError } from './log.js';
import { epochsOf, offsetsOf, readAll, valuesOf, type LogFactory } from './log-compliance.js';
import { concatBatches, leaderBatch, producerBatch, sizedBatch, testLogConfig } from './test-support.js';

export function describeFollowerLogCompliance(name: string, factory: LogFactory): void {
  describe(`${name} (PartitionLog follower compliance)`, () => {
    afterEach(() => factory.cleanup());

    it('a follower append keeps the leader\'s offsets, epochs and bytes', () => {
      const { log } = factory.create(testLogConfig());
      const fetched = concatBatches(leaderBatch(['a', 'b'], 0, 3), leaderBatch(['c'], 2, 5));
      expect(log.appendAsFollower(fetched.slice(), { recordCount: 3 })).toMatchObject({ baseOffset: 0, lastOffset: 2 });
      expect(log.appendAsFollower(leaderBatch(['d'], 3, 5), { recordCount: 1 })).toMatchObject({ baseOffset: 3, lastOffset: 3 });
      expect(log.logEndOffset).toBe(4);
      const { records } = log.read(0, 1_000_000, 4);
      expect(Buffer.from(records.subarray(0, fetched.length))).toEqual(Buffer.from(fetched));
      expect(epochsOf(records)).toEqual([3, 5, 5]);
      expect(valuesOf(records)).toEqual(['a', 'b', 'c', 'd']);
      // A leader append after follower appends continues at the log end.
      expect(log.append(producerBatch(['e']), { leaderEpoch: 6, recordCount: 1 })).toMatchObject({ baseOffset: 4 });
    });

    it('a follower append that leaves a gap or overlaps is refused whole with UnexpectedAppendOffsetError', () => {
      const { log } = factory.create(testLogConfig());
      log.appendAsFollower(leaderBatch(['a', 'b', 'c'], 0, 1), { recordCount: 3 });
      expect(() => log.appendAsFollower(leaderBatch(['x'], 4, 1), { recordCount: 1 })).toThrow(UnexpectedAppendOffsetError);
      expect(() => log.appendAsFollower(leaderBatch(['x'], 2, 1), { recordCount: 1 })).toThrow(/starts at 2, expected 3 \(an overlap\)/);
      const gapInside = concatBatches(leaderBatch(['d'], 3, 1), leaderBatch(['f'], 5, 1));
      expect(() => log.appendAsFollower(gapInside, { recordCount: 2 })).toThrow(/starts at 5, expected 4 \(a gap\)/);
      expect(() => log.appendAsFollower(new Uint8Array(0), { recordCount: 0 })).toThrow(InvalidAppendError);
      expect(log.logEndOffset).toBe(3);
      expect(readAll(log)).toEqual(['a', 'b', 'c']);
    });

    it('a follower append rolls segments as a leader append does', () => {
      const batchBytes = leaderBatch(['v0'], 0, 0).length;
      const { log } = factory.create(testLogConfig({ segmentBytes: batchBytes * 2 }));
      for (let i = 0; i < 5; i++) log.appendAsFollower(leaderBatch([`v${i}`], i, 0), { recordCount: 1 });
      expect(log.segmentCount).toBe(3);
      expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
      const tooLarge = sizedBatch(1, batchBytes * 2);
      setBaseOffset(tooLarge, 0, 5);
      expect(() => log.appendAsFollower(tooLarge, { recordCount: 1 })).toThrow(RecordBatchTooLargeError);
      expect(log.logEndOffset).toBe(5);
    });

    it('truncateTo a batch boundary removes the tail, and appends continue from there', () => {
      const { log } = factory.create(testLogConfig());
      for (const values of [['a', 'b'], ['c', 'd'], ['e', 'f']]) log.append(producerBatch(values), { leaderEpoch: 0, recordCount: 2 });
      const sizeOfTwo = log.read(0, 1_000_000, 4).records.length;
      expect(log.truncateTo(4)).toBe(true);
      expect([log.logEndOffset, log.sizeBytes, log.unflushedMessages]).toEqual([4, sizeOfTwo, 0]);
      expect(readAll(log)).toEqual(['a', 'b', 'c', 'd']);
      expect(() => log.read(5, 1000, 10)).toThrow(OffsetOutOfRangeError);
      expect(log.append(producerBatch(['g']), { leaderEpoch: 1, recordCount: 1 })).toMatchObject({ baseOffset: 4, lastOffset: 4 });
      expect(readAll(log)).toEqual(['a', 'b', 'c', 'd', 'g']);
    });

    it('truncateTo inside a batch removes that batch whole', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
      log.append(producerBatch(['c', 'd', 'e']), { leaderEpoch: 0, recordCount: 3 });
      expect(log.truncateTo(3)).toBe(true);
      expect(log.logEndOffset).toBe(2);
      expect(readAll(log)).toEqual(['a', 'b']);
    });

    it('truncateTo at or past the log end changes nothing; below the log start it is refused', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
      expect(log.truncateTo(2)).toBe(false);
      expect(log.truncateTo(10)).toBe(false);
      expect(log.logEndOffset).toBe(2);
      expect(() => log.truncateTo(-1)).toThrow(TruncateBelowLogStartError);
      expect(log.logEndOffset).toBe(2);
      expect(log.truncateTo(0)).toBe(true);
      expect([log.logEndOffset, log.sizeBytes, log.segmentCount]).toEqual([0, 0, 1]);
      expect(log.append(producerBatch(['c']), { leaderEpoch: 0, recordCount: 1 })).toMatchObject({ baseOffset: 0 });
    });

    it('truncateTo at the log end still drops an epoch that starts there (a leader deposed before its first append, as Kafka\'s UnifiedLog.truncateTo)', () => {
      const { log } = factory.create(testLogConfig());
      log.appendAsFollower(leaderBatch(['a', 'b'], 0, 3), { recordCount: 2 });
      // Became leader in epoch 5 at its log end, then lost leadership before appending anything.
      log.leaderEpochCache.assign(5, 2);
      expect(log.truncateTo(2)).toBe(false);
      expect(log.leaderEpochCache.epochEntries).toEqual([{ epoch: 3, startOffset: 0 }]);
      expect([log.logEndOffset, readAll(log)]).toEqual([2, ['a', 'b']]);
    });

    it('truncateTo across segments deletes the later ones and cuts the one holding the offset', () => {
      const batchBytes = producerBatch(['v0']).length;
      const { log } = factory.create(testLogConfig({ segmentBytes: batchBytes * 3 }));
      for (let i = 0; i < 7; i++) log.append(producerBatch([`v${i}`]), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(3);
      log.truncateTo(4);
      expect([log.segmentCount, log.logEndOffset, log.sizeBytes]).toEqual([2, 4, batchBytes * 4]);
      expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3']);
      log.truncateTo(3);
      expect([log.segmentCount, log.logEndOffset, log.sizeBytes]).toEqual([2, 3, batchBytes * 3]);
      for (let i = 3; i < 7; i++) log.append(producerBatch([`w${i}`]), { leaderEpoch: 1, recordCount: 1 });
      expect(log.segmentCount).toBe(3);
      expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'w3', 'w4', 'w5', 'w6']);
      log.truncateTo(1);
      expect([log.segmentCount, log.logEndOffset]).toEqual([1, 1]);
      expect(readAll(log)).toEqual(['v0']);
    });

    it('finds every offset through the sparse index after a truncation and more appends', () => {
      const { log } = factory.create(testLogConfig({ indexIntervalBytes: 150 }));
      for (let i = 0; i < 40; i++) log.append(producerBatch([`a${i}`, `b${i}`]), { leaderEpoch: 0, recordCount: 2 });
      log.truncateTo(41);
      expect(log.logEndOffset).toBe(40);
      for (let i = 20; i < 40; i++) log.append(producerBatch([`c${i}`, `d${i}`]), { leaderEpoch: 1, recordCount: 2 });
      for (let offset = 0; offset < 80; offset++) {
        const { records } = log.read(offset, 1, 80);
        expect(offsetsOf(records)).toEqual([offset - (offset % 2), offset - (offset % 2) + 1]);
        expect(valuesOf(records)[0]).toBe(offset < 40 ? `a${offset >> 1}` : `c${offset >> 1}`);
      }
    });

    it('a diverged follower truncates to the leader\'s epoch boundary and takes the leader\'s batch (testDivergingEpochs)', () => {
      // Follower epochs [0, 2, 4], leader [0, 2, 5]: the follower truncates to 2 and copies the epoch-5 batch.
      const { log } = factory.create(testLogConfig());
      log.appendAsFollower(concatBatches(leaderBatch(['a'], 0, 0), leaderBatch(['b'], 1, 2), leaderBatch(['x'], 2, 4)), { recordCount: 3 });
      log.truncateTo(2);
      log.appendAsFollower(leaderBatch(['c'], 2, 5), { recordCount: 1 });
      const { records } = log.read(0, 1_000_000, 3);
      expect(epochsOf(records)).toEqual([0, 2, 5]);
      expect(valuesOf(records)).toEqual(['a', 'b', 'c']);
    });

    it('follower appends record their epochs in the leader-epoch cache, and truncateTo drops the cut ones', () => {
      const { log } = factory.create(testLogConfig());
      expect(log.leaderEpochCache.epochEntries).toEqual([]);
      log.appendAsFollower(concatBatches(leaderBatch(['a'], 0, 0), leaderBatch(['b'], 1, 2), leaderBatch(['x', 'y'], 2, 4)), { recordCount: 4 });
      log.appendAsFollower(leaderBatch(['z'], 4, 4), { recordCount: 1 });
      expect(log.leaderEpochCache.epochEntries).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 1 }, { epoch: 4, startOffset: 2 }]);
      // The leader (epochs [0, 2, 5]) asks where epoch 4 ends on this replica: at the log end.
      expect(log.leaderEpochCache.endOffsetFor(4, log.logEndOffset)).toEqual({ epoch: 4, endOffset: 5 });
      expect(log.leaderEpochCache.endOffsetFor(3, log.logEndOffset)).toEqual({ epoch: 2, endOffset: 2 });
      log.truncateTo(2);
      expect(log.leaderEpochCache.epochEntries).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 1 }]);
      log.appendAsFollower(leaderBatch(['c'], 2, 5), { recordCount: 1 });
      expect(log.leaderEpochCache.latestEpoch).toBe(5);
      // A refused follower append records no epoch; leader appends do not touch the cache.
      expect(() => log.appendAsFollower(leaderBatch(['q'], 9, 6), { recordCount: 1 })).toThrow(UnexpectedAppendOffsetError);
      log.append(producerBatch(['d']), { leaderEpoch: 7, recordCount: 1 });
      expect(log.leaderEpochCache.latestEpoch).toBe(5);
    });
  });
}
