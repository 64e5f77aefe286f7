import { encodeRecordBatch, type RequestBody } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it, vi } from 'vitest';
import { startPartitionActor, testTopicConfig } from '../partition/partition-test-support.js';
import type { PartitionView } from '../partition/partition-reader.js';
import { FetchReadinessCheck } from './fetch-readiness.js';

/** A leader of orders-0 (broker 1); with a second replica in the ISR its high watermark waits for that follower. */
function leader(replicas: number[] = [1]) {
  const clock = new SimulatedClock();
  const log = new MemoryLogStore({ clock }).open('orders', 0, 'topic-id', testTopicConfig);
  const { actor } = startPartitionActor({ log, clock, leadership: { replicas, isr: replicas } });
  const view = (): PartitionView => {
    const snapshot = actor.getSnapshot();
    return { state: String(snapshot.value), context: snapshot.context };
  };
  let produced = 0;
  const produce = (options: { producerId?: number; transactional?: boolean } = {}) => {
    produced += 1;
    const records = encodeRecordBatch({
      records: [{ key: null, value: new Uint8Array(10), headers: [], timestamp: 0 }],
      ...(options.producerId === undefined ? {} : { producerId: options.producerId, producerEpoch: 0, baseSequence: 0, isTransactional: options.transactional ?? false }),
    });
    actor.send({ type: 'produce.append', produceId: `p${produced}`, acks: 1, timeoutMs: 1_000, records });
    return records.byteLength;
  };
  return { log, view, produce };
}

function fetchRequest(options: { minBytes?: number; fetchOffset?: number; isolationLevel?: 0 | 1; currentLeaderEpoch?: number; replicaId?: number } = {}): RequestBody<'fetch'> {
  return {
    replicaId: options.replicaId ?? -1,
    maxWaitMs: 500,
    minBytes: options.minBytes ?? 1,
    maxBytes: 1 << 20,
    isolationLevel: options.isolationLevel ?? 0,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: options.currentLeaderEpoch ?? -1, fetchOffset: options.fetchOffset ?? 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
  };
}

describe('fetch readiness (DelayedFetch.tryComplete from offsets)', () => {
  it('nothing while the high watermark is at the fetch offset; ready once a batch is below it, without reading the log', () => {
    const { log, view, produce } = leader();
    const check = new FetchReadinessCheck(fetchRequest(), () => view());
    expect(check.check()).toBe('nothing');
    const read = vi.spyOn(log, 'read');
    produce();
    expect(check.check()).toBe('ready');
    expect(read).not.toHaveBeenCalled();
  });

  it('short below a fetch.min.bytes larger than the batches there, ready once they are; each end offset counted once', () => {
    const { log, view, produce } = leader();
    const batchBytes = produce();
    const check = new FetchReadinessCheck(fetchRequest({ minBytes: batchBytes * 2 }), () => view());
    const read = vi.spyOn(log, 'read');
    expect(check.check()).toBe('short');
    expect(check.check()).toBe('short');
    expect(read).toHaveBeenCalledTimes(1);
    produce();
    expect(check.check()).toBe('ready');
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('a consumer waits for the high watermark, a follower reads to the log end', () => {
    const { view, produce } = leader([1, 2]);
    produce();
    expect(view().context.highWatermark).toBe(0);
    expect(new FetchReadinessCheck(fetchRequest(), () => view()).check()).toBe('nothing');
    const verdicts = new Map([['orders-0', { kind: 'read' as const }]]);
    expect(new FetchReadinessCheck(fetchRequest({ replicaId: 2 }), () => view(), verdicts).check()).toBe('ready');
  });

  it('read_committed waits for the last stable offset, below an open transaction', () => {
    const { view, produce } = leader();
    produce({ producerId: 7, transactional: true });
    expect(view().context.highWatermark).toBe(1);
    expect(new FetchReadinessCheck(fetchRequest({ isolationLevel: 1 }), () => view()).check()).toBe('nothing');
    expect(new FetchReadinessCheck(fetchRequest({ isolationLevel: 0 }), () => view()).check()).toBe('ready');
  });

  it('ready at once when the partition is gone, led elsewhere, fenced, or truncated below the fetch offset', () => {
    const { view } = leader();
    expect(new FetchReadinessCheck(fetchRequest(), () => 'UNKNOWN_TOPIC_OR_PARTITION').check()).toBe('ready');
    expect(new FetchReadinessCheck(fetchRequest(), () => ({ ...view(), state: 'Follower' })).check()).toBe('ready');
    expect(new FetchReadinessCheck(fetchRequest({ currentLeaderEpoch: 3 }), () => view()).check()).toBe('ready');
    expect(new FetchReadinessCheck(fetchRequest({ fetchOffset: 5 }), () => view()).check()).toBe('ready');
  });

  it("a follower's fetch is ready at once when its verdict was not `read` or the leader stepped down", () => {
    const { view } = leader([1, 2]);
    const read = new Map([['orders-0', { kind: 'read' as const }]]);
    expect(new FetchReadinessCheck(fetchRequest({ replicaId: 2 }), () => view(), read).check()).toBe('nothing');
    expect(new FetchReadinessCheck(fetchRequest({ replicaId: 2 }), () => ({ ...view(), state: 'Follower' }), read).check()).toBe('ready');
    const fenced = new Map([['orders-0', { kind: 'error' as const, error: 'FENCED_LEADER_EPOCH' as const }]]);
    expect(new FetchReadinessCheck(fetchRequest({ replicaId: 2 }), () => view(), fenced).check()).toBe('ready');
  });
});
