/**
 * The idempotent producer's sequence bookkeeping, after Kafka's TransactionManagerTest / RecordAccumulatorTest cases
 * on sequences: assignment at first drain, the drain gate while a retry is pending, canRetry for the sequence
 * errors, unresolved sequences after expiry, and the renumbering of an epoch bump.
 */
import { describe, expect, it } from 'vitest';
import { PartitionSequences } from './partition-sequences.js';
import { ProducerBatch, type ProducerIdAndEpoch } from './producer-batch.js';

const noop = { resolve: () => undefined, reject: () => undefined };

function batchOf(records: number, partition = 0): ProducerBatch {
  const batch = new ProducerBatch('t', partition, 0, 120_000);
  for (let index = 0; index < records; index++) batch.tryAppend({ input: { key: null, value: new Uint8Array([index]), headers: [], timestamp: 0 }, fixedBytes: 10, completion: noop }, 1_000_000);
  return batch;
}

function setUp(transactional = false) {
  let producer: ProducerIdAndEpoch = { producerId: 7, epoch: 0 };
  const sequences = new PartitionSequences({ transactional, currentProducer: () => producer });
  return { sequences, setProducer: (next: ProducerIdAndEpoch) => (producer = next) };
}

describe('PartitionSequences', () => {
  it('numbers batches per partition at first drain and keeps a batch\'s sequence when drained again', () => {
    const { sequences } = setUp();
    const [a, b, other] = [batchOf(3), batchOf(2), batchOf(1, 1)];
    for (const batch of [a, b, other]) sequences.assignSequence(batch);
    expect([a.baseSequence, b.baseSequence, other.baseSequence]).toEqual([0, 3, 0]);
    expect([a.producerId, a.producerEpoch]).toEqual([7, 0]);
    sequences.assignSequence(a);
    expect(a.baseSequence).toBe(0);
    expect(sequences.nextSequence({ topic: 't', partition: 0 })).toBe(5);
    expect(sequences.firstInFlightSequence({ topic: 't', partition: 0 })).toBe(0);
  });

  it('stops draining without a producer id', () => {
    const { sequences, setProducer } = setUp();
    setProducer({ producerId: -1, epoch: -1 });
    expect(sequences.shouldStopDrain(batchOf(1))).toBe(true);
  });

  it('drains only the first batch in flight while a retry is pending (Kafka\'s shouldStopDrainBatchesForPartition)', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    expect(sequences.shouldStopDrain(b)).toBe(true);
    expect(sequences.shouldStopDrain(a)).toBe(false);
    sequences.handleCompletedBatch(a, 0);
    expect(sequences.shouldStopDrain(b)).toBe(false);
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER while an earlier batch is unacknowledged, without an epoch bump', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    expect(sequences.canRetry('OUT_OF_ORDER_SEQUENCE_NUMBER', false, 0, b)).toBe(true);
    expect(sequences.epochBumpRequired).toBe(false);
  });

  it('bumps the epoch for OUT_OF_ORDER_SEQUENCE_NUMBER on the next sequence after the last acknowledged one', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    sequences.handleCompletedBatch(a, 10);
    expect(sequences.canRetry('OUT_OF_ORDER_SEQUENCE_NUMBER', false, 0, b)).toBe(true);
    expect(sequences.epochBumpRequired).toBe(true);
  });

  it('refuses to retry OUT_OF_ORDER_SEQUENCE_NUMBER on the next sequence for a transactional producer', () => {
    const { sequences } = setUp(true);
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    sequences.handleCompletedBatch(a, 10);
    expect(sequences.canRetry('OUT_OF_ORDER_SEQUENCE_NUMBER', false, 0, b)).toBe(false);
  });

  it('bumps the epoch for UNKNOWN_PRODUCER_ID once retention removed the acknowledged records, and retries', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    sequences.handleCompletedBatch(a, 10);
    expect(sequences.canRetry('UNKNOWN_PRODUCER_ID', false, 50, b)).toBe(true);
    expect(sequences.epochBumpRequired).toBe(true);
  });

  it('renumbers the partitions that asked for the bump from sequence 0 with the new epoch, in order', () => {
    const { sequences, setProducer } = setUp();
    const [a, b, c] = [batchOf(2), batchOf(3), batchOf(1)];
    for (const batch of [a, b, c]) sequences.assignSequence(batch);
    sequences.handleCompletedBatch(a, 0);
    sequences.canRetry('OUT_OF_ORDER_SEQUENCE_NUMBER', false, 0, b);
    const bumped = { producerId: 7, epoch: 1 };
    setProducer(bumped);
    sequences.rewriteSequencesAfterBump(bumped);
    expect([b.baseSequence, b.producerEpoch, b.sequenceHasBeenReset]).toEqual([0, 1, true]);
    expect([c.baseSequence, c.producerEpoch]).toEqual([3, 1]);
    expect(sequences.nextSequence({ topic: 't', partition: 0 })).toBe(4);
    expect(sequences.epochBumpRequired).toBe(false);
  });

  it('moves a partition that did not ask for the bump to the new epoch only once its batches in flight are done', () => {
    const { sequences, setProducer } = setUp();
    const old = batchOf(1, 1);
    sequences.assignSequence(old);
    setProducer({ producerId: 7, epoch: 1 });
    const next = batchOf(1, 1);
    expect(sequences.shouldStopDrain(next)).toBe(true);
    sequences.handleCompletedBatch(old, 0);
    expect(sequences.shouldStopDrain(next)).toBe(false);
    sequences.assignSequence(next);
    expect([next.producerEpoch, next.baseSequence]).toEqual([1, 0]);
  });

  it('leaves a partition unresolved after a retried batch expired, and bumps the epoch when its sequence is lost', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    // a expired after a retry; b, behind it, is still in flight.
    sequences.handleFailedBatch(a, 'REQUEST_TIMED_OUT', false);
    sequences.markSequenceUnresolved(a);
    expect(sequences.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(true);
    expect(sequences.shouldStopDrain(batchOf(1))).toBe(true);
    sequences.maybeResolveSequences();
    expect(sequences.epochBumpRequired).toBe(false);
    sequences.handleFailedBatch(b, 'REQUEST_TIMED_OUT', false);
    sequences.maybeResolveSequences();
    expect(sequences.epochBumpRequired).toBe(true);
    expect(sequences.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(false);
  });

  it('resolves an unresolved partition without a bump when the leader acknowledged everything before the next sequence', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    sequences.handleFailedBatch(a, 'REQUEST_TIMED_OUT', false);
    sequences.markSequenceUnresolved(a);
    // b's answer says the leader has b, so it had a too.
    sequences.handleCompletedBatch(b, 1);
    sequences.maybeResolveSequences();
    expect(sequences.epochBumpRequired).toBe(false);
    expect(sequences.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(false);
  });

  it('reports fatal batch errors and bumps the epoch for a batch whose sequences are lost with retries left', () => {
    const { sequences } = setUp();
    const [a, b] = [batchOf(1), batchOf(1)];
    sequences.assignSequence(a);
    sequences.assignSequence(b);
    expect(sequences.handleFailedBatch(a, 'PRODUCER_FENCED', true)).toEqual({ fatal: true });
    expect(sequences.handleFailedBatch(b, 'INVALID_PRODUCER_EPOCH', true)).toEqual({ fatal: false });
    expect(sequences.epochBumpRequired).toBe(true);
  });

  it('shifts later sequences down over a failed batch for a transactional producer (adjustSequencesDueToFailedBatch)', () => {
    const { sequences } = setUp(true);
    const [a, b, c] = [batchOf(2), batchOf(3), batchOf(1)];
    for (const batch of [a, b, c]) sequences.assignSequence(batch);
    sequences.handleFailedBatch(b, 'CORRUPT_MESSAGE', true);
    expect([a.baseSequence, c.baseSequence]).toEqual([0, 2]);
    expect(sequences.nextSequence({ topic: 't', partition: 0 })).toBe(3);
  });
});
