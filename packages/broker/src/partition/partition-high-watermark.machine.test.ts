/**
 * The high watermark a replica opens with (Kafka's replication-offset-checkpoint): the last checkpointed one, never
 * its log end. Found by the replication fault simulation (KRaft seed 26) once the producer became idempotent: a leader
 * killed and restarted before its session ran out came back as leader of the same epoch, took its unreplicated tail
 * for committed, and answered a producer's retries of that tail as committed duplicates; the next leader, which never
 * had the tail, then cut it from every replica: acknowledged records lost.
 */
import { encodeRecordBatch } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, type PartitionLog } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { fetchFromPartition } from './partition-reader.js';
import { type PartitionLeadership } from './partition.machine.js';
import { startPartitionActor, testTopicConfig } from './partition-test-support.js';

const checkpointIntervalMs = 5_000;
const batch = (count: number) => encodeRecordBatch({ records: Array.from({ length: count }, () => ({ key: null, value: new Uint8Array(8), headers: [], timestamp: 0 })) });

function openLog() {
  const clock = new SimulatedClock();
  const store = new MemoryLogStore({ clock });
  const config = testTopicConfig;
  return { clock, log: store.open('orders', 0, 'topic-id', config) };
}

function startPartition(clock: SimulatedClock, log: PartitionLog, leadership: Partial<PartitionLeadership>) {
  const { actor, emitted } = startPartitionActor({ log, clock, leadership, config: { replicaHighWatermarkCheckpointIntervalMs: checkpointIntervalMs } });
  const highWatermark = () => actor.getSnapshot().context.highWatermark;
  return { actor, emitted, highWatermark };
}

/** A log holding 5 records of which only the first 2 were known committed when the replica last checkpointed. */
function logWithUnreplicatedTail() {
  const opened = openLog();
  opened.log.append(batch(2), { leaderEpoch: 0, recordCount: 2 });
  opened.log.checkpointHighWatermark(2);
  opened.log.append(batch(3), { leaderEpoch: 0, recordCount: 3 });
  return opened;
}

describe('partition high watermark across restarts', () => {
  it('Initializing -> Leader with followers: opens with the checkpointed high watermark, not its log end, and shows nothing past it', () => {
    const { clock, log } = logWithUnreplicatedTail();
    const { actor, highWatermark } = startPartition(clock, log, { replicas: [1, 2], isr: [1, 2] });
    expect(actor.getSnapshot().value).toBe('Leader');
    expect(log.logEndOffset).toBe(5);
    expect(highWatermark()).toBe(2);
    const read = fetchFromPartition({ state: 'Leader', context: actor.getSnapshot().context }, { fetchOffset: 2, maxBytes: 1_000_000, currentLeaderEpoch: 0, isolationLevel: 0 });
    expect(read.records.length).toBe(0);
  });

  it('Leader: the checkpointed high watermark moves on only as the follower fetches the tail', () => {
    const { clock, log } = logWithUnreplicatedTail();
    const { actor, highWatermark } = startPartition(clock, log, { replicas: [1, 2], isr: [1, 2] });
    actor.send({ type: 'replica.fetch', fetchId: 1, replicaId: 2, brokerEpoch: undefined, currentLeaderEpoch: 0, fetchOffset: 2, lastFetchedEpoch: 0, logStartOffset: 0 });
    expect(highWatermark()).toBe(2);
    actor.send({ type: 'replica.fetch', fetchId: 2, replicaId: 2, brokerEpoch: undefined, currentLeaderEpoch: 0, fetchOffset: 5, lastFetchedEpoch: 0, logStartOffset: 0 });
    expect(highWatermark()).toBe(5);
  });

  it('Initializing -> Leader alone in the ISR: the whole log is committed at once', () => {
    const { clock, log } = logWithUnreplicatedTail();
    const { highWatermark, emitted } = startPartition(clock, log, {});
    expect(highWatermark()).toBe(5);
    expect(emitted).toContainEqual({ type: 'partition.highWatermarkAdvanced', topic: 'orders', partition: 0, highWatermark: 5 });
  });

  it('Initializing -> Follower: opens with the checkpointed high watermark, or the log start when none was written', () => {
    const withCheckpoint = logWithUnreplicatedTail();
    expect(startPartition(withCheckpoint.clock, withCheckpoint.log, { leader: 2, replicas: [1, 2], isr: [1, 2] }).highWatermark()).toBe(2);
    const without = openLog();
    without.log.append(batch(4), { leaderEpoch: 0, recordCount: 4 });
    expect(startPartition(without.clock, without.log, { leader: 2, replicas: [1, 2], isr: [1, 2] }).highWatermark()).toBe(0);
  });

  it('timer.highWatermarkCheckpoint writes the high watermark every replica.high.watermark.checkpoint.interval.ms', async () => {
    const { clock, log } = openLog();
    const { actor } = startPartition(clock, log, {});
    actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 1_000, records: batch(3) });
    expect(log.checkpointedHighWatermark).toBeNull();
    await clock.advanceByAsync(checkpointIntervalMs);
    expect(log.checkpointedHighWatermark).toBe(3);
    actor.send({ type: 'produce.append', produceId: 'b', acks: 1, timeoutMs: 1_000, records: batch(2) });
    await clock.advanceByAsync(checkpointIntervalMs);
    expect(log.checkpointedHighWatermark).toBe(5);
  });

  it('Leader -> Stopped on partition.stop: a clean close checkpoints the high watermark', () => {
    const { clock, log } = openLog();
    const { actor } = startPartition(clock, log, {});
    actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 1_000, records: batch(4) });
    actor.send({ type: 'partition.stop', deleteLog: false });
    expect(log.checkpointedHighWatermark).toBe(4);
  });
});
