/**
 * A test fixture, not shipped API: the fake cluster's idempotence, as far as a producer sees it. Any broker answers
 * InitProducerId without a transactional id with a fresh id (epoch 0); each partition keeps, per producer id, its
 * epoch and its last 5 batches' sequences and offsets, and checks a produced batch as Kafka's leader does
 * (ProducerAppendInfo): an older epoch is INVALID_PRODUCER_EPOCH, a new epoch must start at sequence 0, a batch must
 * follow the last one, and a retry of a retained batch is answered with its first offsets (or, when
 * `answerDuplicatesWithError`, DUPLICATE_SEQUENCE_NUMBER as brokers before Kafka 2.x did).
 */
import type { ErrorName } from '@kactor/protocol';

const RETAINED_BATCHES = 5;

interface RetainedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
}

interface FakeProducerEntry {
  epoch: number;
  readonly batches: RetainedBatch[];
}

export type FakeSequenceCheck = { kind: 'append' } | { kind: 'duplicate'; firstOffset: number } | { kind: 'error'; error: ErrorName; message: string };

/** One partition's producer state. */
export class FakePartitionProducers {
  private readonly producers = new Map<number, FakeProducerEntry>();

  check(producerId: number, epoch: number, firstSequence: number, lastSequence: number): FakeSequenceCheck {
    if (producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(producerId);
    if (entry === undefined) return { kind: 'append' };
    if (epoch < entry.epoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH', message: `fake: epoch ${epoch} is older than ${entry.epoch}` };
    if (epoch > entry.epoch) {
      return firstSequence === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: `fake: new epoch ${epoch} starts at ${firstSequence}` };
    }
    const duplicate = entry.batches.find((batch) => batch.firstSequence === firstSequence && batch.lastSequence === lastSequence);
    if (duplicate !== undefined) return { kind: 'duplicate', firstOffset: duplicate.firstOffset };
    const last = entry.batches.at(-1);
    const expected = last === undefined ? 0 : last.lastSequence + 1;
    if (firstSequence !== expected) return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: `fake: expected sequence ${expected}, got ${firstSequence}` };
    return { kind: 'append' };
  }

  record(producerId: number, epoch: number, firstSequence: number, lastSequence: number, firstOffset: number): void {
    if (producerId < 0) return;
    let entry = this.producers.get(producerId);
    if (entry === undefined || entry.epoch !== epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push({ firstSequence, lastSequence, firstOffset });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
  }

  /** The leader lost this producer's state (a new leader without it, or retention): Kafka then answers UNKNOWN_PRODUCER_ID or accepts. */
  forget(producerId: number): void {
    this.producers.delete(producerId);
  }

  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }
}

/** The cluster's InitProducerId: ids handed out in order, and errors to answer first (one per request). */
export class FakeProducerIds {
  nextProducerId = 1_000;
  /** Errors the next InitProducerId answers carry, one per answer. */
  readonly injected: ErrorName[] = [];
  readonly partitions = new Map<object, FakePartitionProducers>();

  answer(): { errorCode: ErrorName | null; producerId: number; producerEpoch: number } {
    const error = this.injected.shift();
    if (error !== undefined) return { errorCode: error, producerId: -1, producerEpoch: -1 };
    const producerId = this.nextProducerId;
    this.nextProducerId += 1;
    return { errorCode: null, producerId, producerEpoch: 0 };
  }

  of(partition: object): FakePartitionProducers {
    let producers = this.partitions.get(partition);
    if (producers === undefined) this.partitions.set(partition, (producers = new FakePartitionProducers()));
    return producers;
  }
}
