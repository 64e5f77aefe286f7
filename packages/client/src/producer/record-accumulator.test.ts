import { decodeRecordBatches, RECORD_BATCH_OVERHEAD, type CompressionCodec, type RecordInput } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import type { PartitionLeader } from '../network/cluster-metadata.js';
import type { PendingRecord, RecordCompletion } from './producer-batch.js';
import type { RecordMetadata } from './producer-types.js';
import { RecordAccumulator, type LeaderLookup } from './record-accumulator.js';
import { recordFixedBytes, recordSizeUpperBound } from './record-size.js';

const leaders: Record<string, PartitionLeader> = {
  't-0': { nodeId: 0, url: 'memory://broker-0:9092', leaderEpoch: 0 },
  't-1': { nodeId: 1, url: 'memory://broker-1:9092', leaderEpoch: 0 },
  't-2': { nodeId: 0, url: 'memory://broker-0:9092', leaderEpoch: 0 },
};
const leaderFor: LeaderLookup = (topic, partition) => leaders[`${topic}-${partition}`];
const broker0 = 'memory://broker-0:9092';

interface Outcome {
  metadata?: RecordMetadata;
  error?: unknown;
}

function record(valueBytes: number, timestamp = 1_000): { pending: PendingRecord; outcome: Outcome } {
  const outcome: Outcome = {};
  const completion: RecordCompletion = { resolve: (metadata) => (outcome.metadata = metadata), reject: (error) => (outcome.error = error) };
  const input: RecordInput = { key: null, value: new Uint8Array(valueBytes).fill(7), headers: [], timestamp };
  return { pending: { input, fixedBytes: recordFixedBytes(null, input.value, []), completion }, outcome };
}

function accumulator(options: { batchSizeBytes?: number; lingerMs?: number; deliveryTimeoutMs?: number; compressionType?: CompressionCodec } = {}) {
  const released: number[] = [];
  const acc = new RecordAccumulator({
    batchSizeBytes: options.batchSizeBytes ?? 1_000,
    lingerMs: options.lingerMs ?? 5,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
    releaseMemory: (bytes) => released.push(bytes),
    compressionType: options.compressionType,
  });
  return { acc, released };
}

describe('RecordAccumulator', () => {
  it('holds a batch for linger.ms and says when to look again', () => {
    const { acc } = accumulator({ lingerMs: 5 });
    acc.append('t', 0, record(10).pending, 1_000);
    const early = acc.ready(leaderFor, 1_003, false, 0);
    expect(early.readyUrls.size).toBe(0);
    expect(early.nextReadyCheckDelayMs).toBe(2);
    expect([...acc.ready(leaderFor, 1_005, false, 0).readyUrls]).toEqual([broker0]);
  });

  it('sends a batch at once when it reaches batch.size', () => {
    // 61 bytes of batch header and 109 bytes per record: two records fill 279 bytes exactly.
    const { acc } = accumulator({ batchSizeBytes: 279, lingerMs: 1_000 });
    expect(acc.allBatchesFull('t', 0)).toBe(true);
    const first = acc.append('t', 0, record(100).pending, 1_000);
    expect(acc.allBatchesFull('t', 0)).toBe(false);
    expect(first).toMatchObject({ newBatchCreated: true, lastBatchFull: false });
    const second = acc.append('t', 0, record(100).pending, 1_000);
    expect(second).toMatchObject({ newBatchCreated: false, lastBatchFull: true, appendedBytes: 109 });
    expect(acc.allBatchesFull('t', 0)).toBe(true);
    expect([...acc.ready(leaderFor, 1_000, false, 0).readyUrls]).toEqual([broker0]);
  });

  it('starts a new batch when a record does not fit, which makes the first one ready', () => {
    const { acc } = accumulator({ batchSizeBytes: 250, lingerMs: 1_000 });
    acc.append('t', 0, record(100).pending, 1_000);
    const result = acc.append('t', 0, record(100).pending, 1_000);
    expect(result.newBatchCreated).toBe(true);
    expect(acc.ready(leaderFor, 1_000, false, 0).readyUrls.has(broker0)).toBe(true);
    const drained = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    expect(drained.map((batch) => batch.recordCount)).toEqual([1]);
  });

  it('writes each batch with compression.type (gzip, snappy, lz4), smaller than uncompressed and read back whole', () => {
    for (const compressionType of ['gzip', 'snappy', 'lz4'] as const) {
      const { acc } = accumulator({ compressionType, batchSizeBytes: 100_000 });
      for (let i = 0; i < 5; i++) acc.append('t', 0, record(1_000).pending, 1_000);
      const [batch] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
      const bytes = batch!.encode();
      expect(bytes.length, compressionType).toBeLessThan(batch!.sizeBytes / 10);
      const decoded = decodeRecordBatches(bytes);
      expect(decoded.problem).toBeNull();
      expect(decoded.batches[0]!.compression).toBe(compressionType);
      expect(decoded.batches[0]!.records.map((each) => each.value?.length)).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
    }
  });

  it('puts a record larger than batch.size in a batch of its own', () => {
    const { acc } = accumulator({ batchSizeBytes: 100 });
    acc.append('t', 0, record(500).pending, 1_000);
    const [batch] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    expect(batch?.recordCount).toBe(1);
    expect(batch?.sizeBytes).toBeGreaterThan(500);
  });

  it('sends everything when asked to (flush, close), ignoring linger.ms', () => {
    const { acc } = accumulator({ lingerMs: 60_000 });
    acc.append('t', 0, record(10).pending, 1_000);
    acc.append('t', 1, record(10).pending, 1_000);
    expect(acc.ready(leaderFor, 1_000, true, 0).readyUrls.size).toBe(2);
  });

  it('drains the first batch of every partition the leader has, within max.request.size', () => {
    const { acc } = accumulator({ lingerMs: 0 });
    acc.append('t', 0, record(100).pending, 1_000);
    acc.append('t', 2, record(100).pending, 1_000);
    acc.append('t', 1, record(100).pending, 1_000);
    const drained = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    expect(drained.map((batch) => batch.partition).sort()).toEqual([0, 2]);
    expect(drained.every((batch) => batch.drained && batch.attempts === 1)).toBe(true);
    const oneBatchBytes = drained[0]!.sizeBytes;
    acc.append('t', 0, record(100).pending, 1_000);
    acc.append('t', 2, record(100).pending, 1_000);
    expect(acc.drain(broker0, leaderFor, oneBatchBytes + 10, 1_000, 0)).toHaveLength(1);
  });

  it('reports topics whose partitions have no leader instead of sending them', () => {
    const { acc } = accumulator({ lingerMs: 0 });
    acc.append('other', 0, record(10).pending, 1_000);
    const ready = acc.ready(leaderFor, 1_000, false, 0);
    expect(ready.readyUrls.size).toBe(0);
    expect([...ready.unknownLeaderTopics]).toEqual(['other']);
  });

  it('holds a retried batch for its backoff and puts it before newer batches', () => {
    const { acc } = accumulator({ lingerMs: 0 });
    acc.append('t', 0, record(10).pending, 1_000);
    const [failed] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    acc.append('t', 0, record(10).pending, 1_001);
    acc.reenqueue(failed!, 1_002, 100);
    const waiting = acc.ready(leaderFor, 1_050, false, 0);
    expect(waiting.readyUrls.size).toBe(0);
    expect(waiting.nextReadyCheckDelayMs).toBe(52);
    expect(acc.ready(leaderFor, 1_102, false, 0).readyUrls.has(broker0)).toBe(true);
    const [retried] = acc.drain(broker0, leaderFor, 1_048_576, 1_102, 0);
    expect(retried).toBe(failed);
    expect(retried?.attempts).toBe(2);
  });

  it('holds a batch whose leader moved until newer metadata arrived', () => {
    const { acc } = accumulator({ lingerMs: 0 });
    acc.append('t', 0, record(10).pending, 1_000);
    const [failed] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 3);
    failed!.awaitsMetadataAfterVersion = 3;
    acc.reenqueue(failed!, 1_000, 0);
    const stale = acc.ready(leaderFor, 2_000, true, 3);
    expect(stale.readyUrls.size).toBe(0);
    expect([...stale.unknownLeaderTopics]).toEqual(['t']);
    expect(acc.drain(broker0, leaderFor, 1_048_576, 2_000, 3)).toEqual([]);
    expect(acc.ready(leaderFor, 2_000, false, 4).readyUrls.has(broker0)).toBe(true);
  });

  it('halves a refused batch that is already within batch.size, so repeated refusals end', () => {
    const { acc } = accumulator({ batchSizeBytes: 16_384, lingerMs: 0 });
    for (let index = 0; index < 4; index++) acc.append('t', 0, record(100).pending, 1_000);
    const [batch] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    expect(acc.splitAndReenqueue(batch!, 1_000)).toBe(2);
  });

  it('skips muted partitions so a partition has one batch in flight at a time', () => {
    const { acc } = accumulator({ lingerMs: 0 });
    acc.append('t', 0, record(10).pending, 1_000);
    acc.mute('t', 0);
    expect(acc.ready(leaderFor, 1_000, false, 0).readyUrls.size).toBe(0);
    expect(acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0)).toEqual([]);
    acc.unmute('t', 0);
    expect(acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0)).toHaveLength(1);
  });

  it('expires queued batches at delivery.timeout.ms', () => {
    const { acc } = accumulator({ deliveryTimeoutMs: 1_000, lingerMs: 10_000 });
    acc.append('t', 0, record(10).pending, 1_000);
    expect(acc.earliestDeadlineMs()).toBe(2_000);
    expect(acc.expire(1_999)).toEqual([]);
    const expired = acc.expire(2_000);
    expect(expired.map((batch) => batch.partition)).toEqual([0]);
    expect(acc.hasQueuedBatches).toBe(false);
  });

  it('completes each record with its own offset and gives its memory back', async () => {
    const { acc, released } = accumulator({ lingerMs: 0 });
    const first = record(10, 5_000);
    const second = record(20, 5_003);
    acc.append('t', 0, first.pending, 5_000);
    acc.append('t', 0, second.pending, 5_003);
    const [batch] = acc.drain(broker0, leaderFor, 1_048_576, 5_003, 0);
    const decoded = decodeRecordBatches(batch!.encode());
    expect(decoded.batches[0]?.records.map((r) => r.value?.length)).toEqual([10, 20]);
    expect(batch!.sizeBytes).toBe(batch!.encode().length);
    const flushed = acc.awaitIncomplete();
    batch!.complete(40, -1);
    await flushed;
    expect(first.outcome.metadata).toEqual({ topic: 't', partition: 0, offset: 40, timestamp: 5_000 });
    expect(second.outcome.metadata).toEqual({ topic: 't', partition: 0, offset: 41, timestamp: 5_003 });
    const expectedMemory = recordSizeUpperBound(first.pending.fixedBytes) + recordSizeUpperBound(second.pending.fixedBytes);
    expect(released).toEqual([expectedMemory]);
    expect(acc.incompleteBatchCount).toBe(0);
  });

  it('splits a batch refused as too large into batch.size parts that keep record order', () => {
    const { acc } = accumulator({ batchSizeBytes: 10_000, lingerMs: 0 });
    const records = Array.from({ length: 6 }, () => record(100));
    for (const { pending } of records) acc.append('t', 0, pending, 1_000);
    const [batch] = acc.drain(broker0, leaderFor, 1_048_576, 1_000, 0);
    // Shrink batch.size to force small parts: re-create the accumulator view with a smaller limit.
    const small = new RecordAccumulator({ batchSizeBytes: RECORD_BATCH_OVERHEAD + 250, lingerMs: 0, deliveryTimeoutMs: 120_000, releaseMemory: () => undefined });
    expect(small.splitAndReenqueue(batch!, 1_000)).toBe(3);
    const parts: number[] = [];
    for (let round = 0; round < 3; round++) {
      const [part] = small.drain(broker0, leaderFor, 1, 1_000, 0);
      parts.push(part!.recordCount);
      part!.complete(round * 2, -1);
    }
    expect(parts).toEqual([2, 2, 2]);
    expect(records.map(({ outcome }) => outcome.metadata?.offset)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
