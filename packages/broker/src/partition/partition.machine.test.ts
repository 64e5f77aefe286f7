import { encodeRecordBatch } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { type PartitionLeadership, type ProduceCompleted } from './partition.machine.js';
import { startPartitionActor, testTopicConfig } from './partition-test-support.js';

const value = (text: string) => new TextEncoder().encode(text);
const batch = (count: number, bytes = 10) =>
  encodeRecordBatch({ records: Array.from({ length: count }, () => ({ key: null, value: new Uint8Array(bytes), headers: [], timestamp: 0 })) });

function startPartition(leadership: Partial<PartitionLeadership> = {}, config: { maxMessageBytes?: number; minInsyncReplicas?: number } = {}) {
  const clock = new SimulatedClock();
  const store = new MemoryLogStore({ clock });
  const log = store.open('orders', 0, 'topic-id', testTopicConfig);
  const { actor, emitted } = startPartitionActor({
    log,
    clock,
    leadership,
    config: { ...(config.maxMessageBytes !== undefined ? { maxMessageBytes: config.maxMessageBytes } : {}), ...(config.minInsyncReplicas !== undefined ? { minInsyncReplicas: config.minInsyncReplicas } : {}) },
  });
  const produced = () => emitted.filter((event): event is ProduceCompleted => event.type === 'produce.completed');
  return { clock, actor, log, store, emitted, produced };
}

describe('partition machine', () => {
  it('Initializing -> Leader when the metadata names this broker', () => {
    expect(startPartition().actor.getSnapshot().value).toBe('Leader');
  });

  it('Initializing -> Follower when another broker leads', () => {
    expect(startPartition({ leader: 2, replicas: [1, 2], isr: [1, 2] }).actor.getSnapshot().value).toBe('Follower');
  });

  it('Initializing -> Offline when no replica leads', () => {
    expect(startPartition({ leader: -1 }).actor.getSnapshot().value).toBe('Offline');
  });

  it('Leader: produce.append assigns contiguous offsets and advances the high watermark', () => {
    const { actor, produced, emitted } = startPartition();
    actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 1_000, records: batch(3) });
    actor.send({ type: 'produce.append', produceId: 'b', acks: -1, timeoutMs: 1_000, records: batch(2) });
    expect(produced().map((event) => [event.produceId, event.errorName, event.baseOffset])).toEqual([
      ['a', 'NONE', 0],
      ['b', 'NONE', 3],
    ]);
    expect(actor.getSnapshot().context.highWatermark).toBe(5);
    expect(emitted.filter((event) => event.type === 'partition.highWatermarkAdvanced').map((event) => 'highWatermark' in event && event.highWatermark)).toEqual([3, 5]);
  });

  it('Leader: a batch over max.message.bytes gets MESSAGE_TOO_LARGE and nothing is appended', () => {
    const { actor, produced, log } = startPartition({}, { maxMessageBytes: 200 });
    actor.send({ type: 'produce.append', produceId: 'big', acks: 1, timeoutMs: 1_000, records: batch(1, 500) });
    expect(produced()[0]?.errorName).toBe('MESSAGE_TOO_LARGE');
    expect(log.logEndOffset).toBe(0);
  });

  it('Leader: bytes that are not a record batch get CORRUPT_MESSAGE or INVALID_RECORD', () => {
    const { actor, produced } = startPartition();
    actor.send({ type: 'produce.append', produceId: 'junk', acks: 1, timeoutMs: 1_000, records: value('not a batch at all, not even close to one.........................') });
    expect(['CORRUPT_MESSAGE', 'INVALID_RECORD']).toContain(produced()[0]?.errorName);
  });

  it('Leader: acks=all with fewer in-sync replicas than min.insync.replicas gets NOT_ENOUGH_REPLICAS', () => {
    const { actor, produced, log } = startPartition({ replicas: [1, 2], isr: [1] }, { minInsyncReplicas: 2 });
    actor.send({ type: 'produce.append', produceId: 'x', acks: -1, timeoutMs: 1_000, records: batch(1) });
    expect(produced()[0]?.errorName).toBe('NOT_ENOUGH_REPLICAS');
    expect(log.logEndOffset).toBe(0);
  });

  it('Leader: acks=all waits for the high watermark and times out with REQUEST_TIMED_OUT when a follower never catches up', async () => {
    const { actor, produced, clock, log } = startPartition({ replicas: [1, 2], isr: [1, 2] });
    actor.send({ type: 'produce.append', produceId: 'w', acks: -1, timeoutMs: 1_500, records: batch(1) });
    expect(produced()).toEqual([]);
    expect(log.logEndOffset).toBe(1);
    await clock.advanceByAsync(1_499);
    expect(produced()).toEqual([]);
    await clock.advanceByAsync(1);
    expect(produced()[0]).toMatchObject({ produceId: 'w', errorName: 'REQUEST_TIMED_OUT' });
  });

  it('Leader -> Follower on partition.leadershipChanged to another broker; produce then gets NOT_LEADER_OR_FOLLOWER', () => {
    const { actor, produced } = startPartition({ replicas: [1, 2], isr: [1, 2] });
    actor.send({ type: 'produce.append', produceId: 'waiting', acks: -1, timeoutMs: 10_000, records: batch(1) });
    actor.send({ type: 'partition.leadershipChanged', leader: 2, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2], isr: [1, 2] });
    expect(actor.getSnapshot().value).toBe('Follower');
    actor.send({ type: 'produce.append', produceId: 'late', acks: 1, timeoutMs: 1_000, records: batch(1) });
    expect(produced().map((event) => [event.produceId, event.errorName])).toEqual([
      ['waiting', 'NOT_LEADER_OR_FOLLOWER'],
      ['late', 'NOT_LEADER_OR_FOLLOWER'],
    ]);
  });

  it('Offline -> Leader on partition.leadershipChanged to this broker, with the new leader epoch stamped in batches', () => {
    const { actor, produced } = startPartition({ leader: -1 });
    actor.send({ type: 'partition.leadershipChanged', leader: 1, leaderEpoch: 4, partitionEpoch: 4, replicas: [1], isr: [1] });
    expect(actor.getSnapshot().value).toBe('Leader');
    expect(actor.getSnapshot().context.leaderEpoch).toBe(4);
    actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 1_000, records: batch(1) });
    expect(produced()[0]?.errorName).toBe('NONE');
  });

  it('Leader -> Stopped on partition.stop with deleteLog removes the log', () => {
    const { actor, store } = startPartition();
    actor.send({ type: 'partition.stop', deleteLog: true });
    expect(actor.getSnapshot().status).toBe('done');
    expect(store.listLogs()).toEqual([]);
  });
});
