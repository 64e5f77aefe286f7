/**
 * The behaviour every `PartitionLog` must show, as one vitest suite that each implementation's test
 * file registers with its own factory (as js-libp2p runs one compliance suite per transport). Test
 * support only: not exported from the package.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecordBatches, readBatchHeader, setBaseOffset, verifyBatchCrc } from '@kactor/protocol';
import { InvalidAppendError, LogClosedError, RecordBatchTooLargeError, TruncateBelowLogStartError, UnexpectedAppendOffsetError } from './errors.js';
import { OffsetOutOfRangeError, type LogConfig, type PartitionLog } from './log.js';
import { concatBatches, leaderBatch, producerBatch, sizedBatch, testLogConfig } from './test-support.js';
import type { SimulatedClock } from '@kactor/runtime';

export interface LogUnderTest {
  log: PartitionLog;
  clock: SimulatedClock;
}

export interface LogFactory {
  /** A new, empty log of `orders-0` with `config`, on a fresh SimulatedClock. */
  create(config: LogConfig): LogUnderTest;
  /** Releases what `create` made (temporary directories). */
  cleanup(): void;
}

const decoder = new TextDecoder();

/** Values of the records in `bytes`, in order. */
export function valuesOf(bytes: Uint8Array): string[] {
  const result = decodeRecordBatches(bytes);
  expect(result.problem).toBeNull();
  return result.batches.flatMap((batch) => batch.records.map((record) => decoder.decode(record.value ?? new Uint8Array())));
}

/** The leader epoch of each batch in `bytes`, in order. */
export function epochsOf(bytes: Uint8Array): number[] {
  const epochs: number[] = [];
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)!;
    epochs.push(header.partitionLeaderEpoch);
    position += header.sizeInBytes;
  }
  return epochs;
}

/** Offsets of the records in `bytes`, in order. */
export function offsetsOf(bytes: Uint8Array): number[] {
  return decodeRecordBatches(bytes).batches.flatMap((batch) => batch.records.map((record) => record.offset));
}

/** Reads the whole log from `from` with repeated reads, as a consumer does across segment ends. */
export function readAll(log: PartitionLog, from = log.logStartOffset, maxBytes = 1024 * 1024): string[] {
  const values: string[] = [];
  let offset = from;
  // Each read returns at least one batch while offset < LEO, so this ends within LEO - from reads.
  for (let reads = 0; offset < log.logEndOffset && reads <= log.logEndOffset - from; reads++) {
    const { records } = log.read(offset, maxBytes, Number.MAX_SAFE_INTEGER);
    const batches = decodeRecordBatches(records).batches;
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) for (const record of batch.records) if (record.offset >= offset) values.push(decoder.decode(record.value ?? new Uint8Array()));
    offset = batches.at(-1)!.lastOffset + 1;
  }
  return values;
}

export function describeLogCompliance(name: string, factory: LogFactory): void {
  describe(`${name} (PartitionLog compliance)`, () => {
    afterEach(() => factory.cleanup());

    it('starts empty at offset 0 with one segment', () => {
      const { log } = factory.create(testLogConfig());
      expect([log.logStartOffset, log.logEndOffset, log.sizeBytes, log.segmentCount]).toEqual([0, 0, 0, 1]);
      expect(log.read(0, 1000, 0).records).toHaveLength(0);
      expect(log.toJSON()).toEqual({ topic: 'orders', partition: 0, logStartOffset: 0, logEndOffset: 0, sizeBytes: 0 });
    });

    it('assigns contiguous offsets and stamps base offset and leader epoch, keeping the CRC valid', () => {
      const { log, clock } = factory.create(testLogConfig());
      const first = log.append(producerBatch(['a', 'b', 'c']), { leaderEpoch: 4, recordCount: 3 });
      const second = log.append(producerBatch(['d']), { leaderEpoch: 5, recordCount: 1 });
      expect(first).toEqual({ baseOffset: 0, lastOffset: 2, appendTimeMs: clock.now() });
      expect(second).toMatchObject({ baseOffset: 3, lastOffset: 3 });
      expect(log.logEndOffset).toBe(4);
      const { records } = log.read(0, 1_000_000, 4);
      expect(offsetsOf(records)).toEqual([0, 1, 2, 3]);
      const secondBatchPosition = readBatchHeader(records, 0)!.sizeInBytes;
      expect(readBatchHeader(records, 0)).toMatchObject({ baseOffset: 0, partitionLeaderEpoch: 4 });
      expect(readBatchHeader(records, secondBatchPosition)).toMatchObject({ baseOffset: 3, partitionLeaderEpoch: 5 });
      expect(verifyBatchCrc(records, 0) && verifyBatchCrc(records, secondBatchPosition)).toBe(true);
      expect(log.sizeBytes).toBe(records.length);
    });

    it('appends several concatenated batches in one call', () => {
      const { log } = factory.create(testLogConfig());
      const a = producerBatch(['a', 'b']);
      const b = producerBatch(['c']);
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a, 0);
      joined.set(b, a.length);
      expect(log.append(joined, { leaderEpoch: 0, recordCount: 3 })).toMatchObject({ baseOffset: 0, lastOffset: 2 });
      expect(valuesOf(log.read(0, 10_000, 3).records)).toEqual(['a', 'b', 'c']);
    });

    it('returns the whole batch containing a fetch offset in its middle', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a', 'b', 'c']), { leaderEpoch: 0, recordCount: 3 });
      log.append(producerBatch(['d', 'e']), { leaderEpoch: 0, recordCount: 2 });
      expect(offsetsOf(log.read(1, 10_000, 5).records)).toEqual([0, 1, 2, 3, 4]);
      expect(offsetsOf(log.read(4, 10_000, 5).records)).toEqual([3, 4]);
    });

    it('returns whole batches up to maxBytes, and the first batch whole even when larger', () => {
      const { log } = factory.create(testLogConfig());
      const batchBytes = sizedBatch(1, 100).length;
      for (let i = 0; i < 5; i++) log.append(sizedBatch(1, 100, i), { leaderEpoch: 0, recordCount: 1 });
      expect(log.read(0, batchBytes * 2, 5).records.length).toBe(batchBytes * 2);
      expect(log.read(0, batchBytes * 2 + batchBytes - 1, 5).records.length).toBe(batchBytes * 2);
      expect(log.read(1, 1, 5).records.length).toBe(batchBytes);
      expect(offsetsOf(log.read(1, 1, 5).records)).toEqual([1]);
    });

    it('never returns a batch reaching maxOffsetExclusive (the high watermark)', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
      log.append(producerBatch(['c', 'd']), { leaderEpoch: 0, recordCount: 2 });
      expect(offsetsOf(log.read(0, 10_000, 2).records)).toEqual([0, 1]);
      expect(offsetsOf(log.read(0, 10_000, 3).records)).toEqual([0, 1]);
      expect(log.read(0, 10_000, 1).records).toHaveLength(0);
      expect(log.read(2, 10_000, 2).records).toHaveLength(0);
      expect(offsetsOf(log.read(2, 10_000, 4).records)).toEqual([2, 3]);
    });

    it('reports the log bounds with every read, empty at the log end, and refuses offsets out of range', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
      expect(log.read(1, 10_000, 1)).toMatchObject({ logStartOffset: 0, logEndOffset: 1 });
      expect(log.read(1, 10_000, 1).records).toHaveLength(0);
      expect(() => log.read(2, 10_000, 1)).toThrow(OffsetOutOfRangeError);
      expect(() => log.read(-1, 10_000, 1)).toThrow(OffsetOutOfRangeError);
    });

    it('rolls a segment when the next append would exceed segment.bytes, and reads across segments', () => {
      const batchBytes = sizedBatch(1, 100).length;
      const { log } = factory.create(testLogConfig({ segmentBytes: batchBytes * 3 }));
      for (let i = 0; i < 7; i++) log.append(producerBatch([`v${i}`.padEnd(100 - 0, '.')]), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(3);
      expect(log.logEndOffset).toBe(7);
      expect(readAll(log).map((v) => v.slice(0, 2))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
      // A read stops at the end of its segment.
      expect(offsetsOf(log.read(1, 1_000_000, 7).records)).toEqual([1, 2]);
      expect(offsetsOf(log.read(3, 1_000_000, 7).records)).toEqual([3, 4, 5]);
    });

    it('puts an append larger than the free space alone in an empty segment rather than rolling empty ones', () => {
      const { log } = factory.create(testLogConfig({ segmentBytes: sizedBatch(1, 300).length }));
      log.append(sizedBatch(1, 10), { leaderEpoch: 0, recordCount: 1 });
      log.append(sizedBatch(1, 300), { leaderEpoch: 0, recordCount: 1 });
      log.append(sizedBatch(1, 10), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(3);
    });

    it('refuses an append larger than segment.bytes and bytes that are not whole batches', () => {
      const { log } = factory.create(testLogConfig({ segmentBytes: 200 }));
      expect(() => log.append(sizedBatch(1, 300), { leaderEpoch: 0, recordCount: 1 })).toThrow(RecordBatchTooLargeError);
      expect(() => log.append(new Uint8Array(0), { leaderEpoch: 0, recordCount: 0 })).toThrow(InvalidAppendError);
      const whole = producerBatch(['a']);
      expect(() => log.append(whole.subarray(0, whole.length - 1), { leaderEpoch: 0, recordCount: 1 })).toThrow(InvalidAppendError);
      expect(log.logEndOffset).toBe(0);
    });

    it('rolls a non-empty segment older than segment.ms on the next append', () => {
      const { log, clock } = factory.create(testLogConfig({ segmentMs: 1000 }));
      clock.advanceBy(5000);
      log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(1);
      clock.advanceBy(1000);
      log.append(producerBatch(['b']), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(1);
      clock.advanceBy(1);
      log.append(producerBatch(['c']), { leaderEpoch: 0, recordCount: 1 });
      expect(log.segmentCount).toBe(2);
      expect(readAll(log)).toEqual(['a', 'b', 'c']);
    });

    it('rolls when the offset index is full', () => {
      // Two index entries fit; one entry per batch once more than 1 byte was written since the last.
      const { log } = factory.create(testLogConfig({ segmentIndexBytes: 16, indexIntervalBytes: 1 }));
      for (let i = 0; i < 4; i++) log.append(producerBatch([`v${i}`]), { leaderEpoch: 0, recordCount: 1 });
      // Batch 0 gets no entry, batches 1 and 2 fill the index, batch 3 rolls.
      expect(log.segmentCount).toBe(2);
      expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3']);
    });

    it('finds every offset through the sparse index', () => {
      const { log } = factory.create(testLogConfig({ indexIntervalBytes: 150 }));
      for (let i = 0; i < 40; i++) log.append(producerBatch([`a${i}`, `b${i}`]), { leaderEpoch: 0, recordCount: 2 });
      for (let offset = 0; offset < 80; offset++) {
        const first = offsetsOf(log.read(offset, 1, 80).records);
        expect(first).toEqual([offset - (offset % 2), offset - (offset % 2) + 1]);
      }
    });

    it('counts unflushed messages and flushes when flush.messages is reached', () => {
      const { log, clock } = factory.create(testLogConfig({ flushMessages: 5 }));
      const openedAt = log.lastFlushTimeMs;
      log.append(producerBatch(['a', 'b', 'c']), { leaderEpoch: 0, recordCount: 3 });
      expect(log.unflushedMessages).toBe(3);
      clock.advanceBy(10);
      log.append(producerBatch(['d', 'e']), { leaderEpoch: 0, recordCount: 2 });
      expect(log.unflushedMessages).toBe(0);
      expect(log.lastFlushTimeMs).toBe(openedAt + 10);
      log.append(producerBatch(['f']), { leaderEpoch: 0, recordCount: 1 });
      log.flush();
      expect(log.unflushedMessages).toBe(0);
    });

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

    it('refuses every operation once closed', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
      log.close();
      expect(() => log.append(producerBatch(['b']), { leaderEpoch: 0, recordCount: 1 })).toThrow(LogClosedError);
      expect(() => log.read(0, 100, 1)).toThrow(LogClosedError);
      expect(() => log.flush()).toThrow(LogClosedError);
      expect(() => log.truncateTo(0)).toThrow(LogClosedError);
      expect(() => log.appendAsFollower(leaderBatch(['b'], 1, 0), { recordCount: 1 })).toThrow(LogClosedError);
      log.close();
    });

    it('refuses every operation once deleted', () => {
      const { log } = factory.create(testLogConfig());
      log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
      log.delete();
      expect(() => log.read(0, 100, 1)).toThrow(LogClosedError);
    });
  });
}
