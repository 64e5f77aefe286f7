/**
 * The behaviour every `PartitionLog` must show, as one vitest suite that each implementation's test
 * file registers with its own factory (as js-libp2p runs one compliance suite per transport). Test
 * support only: not exported from the package.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecordBatches, readBatchHeader, verifyBatchCrc } from '@kactor/protocol';
import { InvalidAppendError, LogClosedError, RecordBatchTooLargeError } from './errors.js';
import { OffsetOutOfRangeError, type LogConfig, type PartitionLog } from './log.js';
import { leaderBatch, producerBatch, sizedBatch, testLogConfig } from './test-support.js';
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
