/**
 * Kafka's `RecordAccumulator`: a queue of batches per partition. Records are appended to the partition's
 * last batch until it reaches batch.size; the sender asks which leaders have a batch ready and drains them.
 *
 * A partition's first batch is ready when
 * - it is full (batch.size reached, or a later batch exists behind it),
 * - it waited linger.ms since it was created, or is a retry whose backoff has passed,
 * - or the producer sends everything at once (flush(), close(), or send() waiting for buffer.memory).
 * A partition without a known leader is never ready; its topic is reported so metadata gets refreshed.
 * Nor is a batch that failed because its leader moved, until metadata newer than the failure arrived.
 * A muted partition (a batch in flight with max.in.flight.requests.per.connection = 1) is skipped, which
 * keeps its batches in order across retries.
 *
 * Draining a ready leader takes the first batch of every partition it leads (not only the ready ones:
 * Kafka fills a request while it is going anyway), up to max.request.size, starting from a different
 * partition each time so no partition starves.
 *
 * With idempotence (`sequencing`), a batch gets its sequence when first drained, draining stops where the
 * sequences say a partition must wait (no producer id yet, or a retry that must go first), and a retried batch
 * goes back into its queue in sequence order (Kafka's `insertInSequenceOrder`).
 */
import type { CompressionCodec } from '@kactor/protocol';
import type { PartitionLeader } from '../network/cluster-metadata.js';
import { ProducerBatch, type PendingRecord } from './producer-batch.js';

export interface RecordAccumulatorOptions {
  /** batch.size */
  readonly batchSizeBytes: number;
  /** linger.ms */
  readonly lingerMs: number;
  /** delivery.timeout.ms */
  readonly deliveryTimeoutMs: number;
  /** Gives buffer.memory back when a batch completes. */
  readonly releaseMemory: (bytes: number) => void;
  /** compression.type: the codec each batch is written with (default none). */
  readonly compressionType?: CompressionCodec | undefined;
  /** Told when the first batch becomes incomplete (true) and when the last one is done (false). */
  readonly onPendingChange?: ((pending: boolean) => void) | undefined;
  /** Present when the producer is idempotent. */
  readonly sequencing?: DrainSequencing | undefined;
}

/** The idempotent producer's sequence rules the accumulator follows while draining (PartitionSequences). */
export interface DrainSequencing {
  /** Whether draining this leader stops at this partition's first batch (Kafka's shouldStopDrainBatchesForPartition). */
  shouldStopDrain(first: ProducerBatch): boolean;
  /** Gives a batch drained for the first time its producer id, epoch and sequence. */
  assignSequence(batch: ProducerBatch): void;
  /** Tracks a batch that already has a sequence (the parts of a split batch). */
  addInFlightBatch(batch: ProducerBatch): void;
}

export type LeaderLookup = (topic: string, partition: number) => PartitionLeader | undefined;

export interface AppendResult {
  readonly appendedBytes: number;
  readonly newBatchCreated: boolean;
  /** Whether the partition's last batch is now full: the sticky partitioner may move on. */
  readonly lastBatchFull: boolean;
}

export interface ReadyCheck {
  /** URLs of leaders with at least one batch ready. */
  readonly readyUrls: Set<string>;
  /** When a batch that is not ready yet will be (linger or backoff), from now; Infinity when none waits. */
  readonly nextReadyCheckDelayMs: number;
  /** Topics with batches whose partition has no known leader. */
  readonly unknownLeaderTopics: Set<string>;
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly batches: ProducerBatch[];
  muted: boolean;
}

export class RecordAccumulator {
  /** Queues by topic, indexed by partition. */
  private readonly queues = new Map<string, PartitionQueue[]>();
  /** Queues holding at least one batch: what ready() and drain() walk. */
  private readonly nonEmpty = new Set<PartitionQueue>();
  /** Batches created and not yet done (queued or in flight), for flush(). */
  private readonly incomplete = new Set<ProducerBatch>();
  private readonly drainStart = new Map<string, number>();

  constructor(private readonly options: RecordAccumulatorOptions) {}

  append(topic: string, partition: number, record: PendingRecord, nowMs: number): AppendResult {
    const queue = this.queueFor(topic, partition);
    const { batchSizeBytes } = this.options;
    const last = queue.batches[queue.batches.length - 1];
    if (last !== undefined && !last.drained) {
      const appendedBytes = last.tryAppend(record, batchSizeBytes);
      if (appendedBytes > 0) return { appendedBytes, newBatchCreated: false, lastBatchFull: last.isFull(batchSizeBytes) };
    }
    const batch = this.newBatch(topic, partition, nowMs);
    const appendedBytes = batch.tryAppend(record, batchSizeBytes);
    queue.batches.push(batch);
    this.nonEmpty.add(queue);
    return { appendedBytes, newBatchCreated: true, lastBatchFull: batch.isFull(batchSizeBytes) };
  }

  /**
   * Whether the partition has no batch open for appends that is short of batch.size (Kafka's
   * `allBatchesFull`): only then may the sticky partitioner leave it without leaving a small batch behind.
   */
  allBatchesFull(topic: string, partition: number): boolean {
    const queue = this.existingQueue(topic, partition);
    const last = queue?.batches[queue.batches.length - 1];
    return last === undefined || last.drained || last.isFull(this.options.batchSizeBytes);
  }

  ready(leaderFor: LeaderLookup, nowMs: number, sendAll: boolean, metadataVersion: number): ReadyCheck {
    const readyUrls = new Set<string>();
    const unknownLeaderTopics = new Set<string>();
    let nextReadyCheckDelayMs = Number.POSITIVE_INFINITY;
    for (const queue of this.nonEmpty) {
      const first = queue.batches[0] as ProducerBatch;
      if (queue.muted) continue;
      const leader = leaderFor(queue.topic, queue.partition);
      if (leader === undefined) {
        unknownLeaderTopics.add(queue.topic);
        continue;
      }
      if (readyUrls.has(leader.url)) continue;
      if (first.awaitsMetadataAfterVersion >= metadataVersion) {
        unknownLeaderTopics.add(queue.topic); // its leader is in doubt: refresh, and the update wakes the sender
        continue;
      }
      if (first.attempts > 0 && nowMs < first.retryNotBeforeMs) {
        nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs, first.retryNotBeforeMs - nowMs);
        continue;
      }
      const full = queue.batches.length > 1 || first.isFull(this.options.batchSizeBytes);
      const waitedMs = nowMs - first.createdMs;
      const lingered = first.attempts > 0 || waitedMs >= this.options.lingerMs;
      if (full || lingered || sendAll) readyUrls.add(leader.url);
      else nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs, this.options.lingerMs - waitedMs);
    }
    return { readyUrls, nextReadyCheckDelayMs, unknownLeaderTopics };
  }

  /** Takes the first batch of each partition led by `url` (skipping muted and backing-off ones), up to `maxRequestBytes`. */
  drain(url: string, leaderFor: LeaderLookup, maxRequestBytes: number, nowMs: number, metadataVersion: number): ProducerBatch[] {
    const queues = [...this.nonEmpty].filter((queue) => !queue.muted && leaderFor(queue.topic, queue.partition)?.url === url);
    if (queues.length === 0) return [];
    const start = (this.drainStart.get(url) ?? 0) % queues.length;
    this.drainStart.set(url, start + 1);
    const drained: ProducerBatch[] = [];
    let requestBytes = 0;
    for (let step = 0; step < queues.length; step++) {
      const queue = queues[(start + step) % queues.length] as PartitionQueue;
      const first = queue.batches[0] as ProducerBatch;
      if ((first.attempts > 0 && nowMs < first.retryNotBeforeMs) || first.awaitsMetadataAfterVersion >= metadataVersion) continue;
      // A batch larger than the limit still goes, alone: it was accepted under max.request.size per record.
      if (drained.length > 0 && requestBytes + first.sizeBytes > maxRequestBytes) break;
      if (this.options.sequencing?.shouldStopDrain(first) === true) break;
      queue.batches.shift();
      if (queue.batches.length === 0) this.nonEmpty.delete(queue);
      first.drained = true;
      first.attempts += 1;
      this.options.sequencing?.assignSequence(first);
      requestBytes += first.sizeBytes;
      drained.push(first);
    }
    return drained;
  }

  /** Puts a batch that failed with a retriable error back at the head of its partition, after `backoffMs`. */
  reenqueue(batch: ProducerBatch, nowMs: number, backoffMs: number): void {
    const queue = this.queueFor(batch.topic, batch.partition);
    batch.retryNotBeforeMs = nowMs + backoffMs;
    batch.retried = true;
    if (this.options.sequencing === undefined) queue.batches.unshift(batch);
    else insertInSequenceOrder(queue.batches, batch);
    this.nonEmpty.add(queue);
  }

  /** Replaces a batch refused as too large by smaller ones (MESSAGE_TOO_LARGE), at the head of its partition. */
  splitAndReenqueue(batch: ProducerBatch, nowMs: number): number {
    const parts = batch.split(this.options.batchSizeBytes);
    const queue = this.queueFor(batch.topic, batch.partition);
    for (const part of parts) {
      this.track(part);
      part.drained = true; // closed for appends: later records go to a new batch behind these
      part.retryNotBeforeMs = nowMs;
    }
    if (this.options.sequencing === undefined) {
      queue.batches.unshift(...parts);
    } else {
      // The parts carry the big batch's sequences: tracked as in flight and queued in sequence order (Kafka's splitAndReenqueue).
      for (const part of [...parts].reverse()) {
        this.options.sequencing.addInFlightBatch(part);
        insertInSequenceOrder(queue.batches, part);
      }
    }
    this.nonEmpty.add(queue);
    return parts.length;
  }

  mute(topic: string, partition: number): void {
    this.queueFor(topic, partition).muted = true;
  }

  unmute(topic: string, partition: number): void {
    const queue = this.existingQueue(topic, partition);
    if (queue !== undefined) queue.muted = false;
  }

  /** Removes and returns queued batches whose delivery.timeout.ms has passed. */
  expire(nowMs: number): ProducerBatch[] {
    const expired: ProducerBatch[] = [];
    for (const queue of this.nonEmpty) {
      // The sender asks on every run: a queue with nothing expired is left as it is, without a new array.
      if (!queue.batches.some((batch) => batch.deliveryDeadlineMs <= nowMs)) continue;
      const kept = queue.batches.filter((batch) => {
        if (batch.deliveryDeadlineMs > nowMs) return true;
        expired.push(batch);
        return false;
      });
      if (kept.length === queue.batches.length) continue;
      queue.batches.splice(0, queue.batches.length, ...kept);
      if (kept.length === 0) this.nonEmpty.delete(queue);
    }
    return expired;
  }

  /** The earliest delivery deadline of a queued batch (each queue's head is its oldest), or Infinity. */
  earliestDeadlineMs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const queue of this.nonEmpty) earliest = Math.min(earliest, (queue.batches[0] as ProducerBatch).deliveryDeadlineMs);
    return earliest;
  }

  get hasQueuedBatches(): boolean {
    return this.nonEmpty.size > 0;
  }

  get incompleteBatchCount(): number {
    return this.incomplete.size;
  }

  /** Resolves once every batch incomplete now is done, whatever the outcome (flush()). */
  awaitIncomplete(): Promise<void> {
    const pending = [...this.incomplete];
    return Promise.all(pending.map((batch) => new Promise<void>((resolve) => batch.onDone(resolve)))).then(() => undefined);
  }

  /** Fails the queued batches never drained (Kafka's abortUndrainedBatches, abortTransaction()); retries and batches in flight stay. */
  abortUndrainedBatches(error: unknown): void {
    for (const queue of [...this.nonEmpty]) {
      const kept = queue.batches.filter((batch) => batch.drained);
      const aborted = queue.batches.filter((batch) => !batch.drained);
      queue.batches.splice(0, queue.batches.length, ...kept);
      if (kept.length === 0) this.nonEmpty.delete(queue);
      for (const batch of aborted) batch.fail(error);
    }
  }

  /** Fails every batch not yet done, queued or in flight (a forced close). */
  abortIncomplete(error: unknown): void {
    for (const queue of this.nonEmpty) queue.batches.length = 0;
    this.nonEmpty.clear();
    for (const batch of [...this.incomplete]) batch.fail(error);
  }

  private newBatch(topic: string, partition: number, nowMs: number): ProducerBatch {
    const batch = new ProducerBatch(topic, partition, nowMs, nowMs + this.options.deliveryTimeoutMs);
    batch.releaseMemory = this.options.releaseMemory;
    batch.compression = this.options.compressionType ?? 'none';
    this.track(batch);
    return batch;
  }

  private track(batch: ProducerBatch): void {
    this.incomplete.add(batch);
    if (this.incomplete.size === 1) this.options.onPendingChange?.(true);
    batch.onDone(() => {
      if (this.incomplete.delete(batch) && this.incomplete.size === 0) this.options.onPendingChange?.(false);
    });
  }

  /** The partition's queue, found by topic then partition number (no key string built per record). */
  private queueFor(topic: string, partition: number): PartitionQueue {
    let partitions = this.queues.get(topic);
    if (partitions === undefined) this.queues.set(topic, (partitions = []));
    let queue = partitions[partition];
    if (queue === undefined) {
      queue = { topic, partition, batches: [], muted: false };
      partitions[partition] = queue;
    }
    return queue;
  }

  private existingQueue(topic: string, partition: number): PartitionQueue | undefined {
    return this.queues.get(topic)?.[partition];
  }
}

/**
 * Puts a retried batch before the first queued batch with a higher sequence (Kafka's `insertInSequenceOrder`):
 * batches of one partition sent to different requests may come back out of order, and must go again in order.
 * Batches without a sequence were never drained and come after every batch that has one.
 */
function insertInSequenceOrder(batches: ProducerBatch[], batch: ProducerBatch): void {
  let index = 0;
  while (index < batches.length) {
    const queued = batches[index] as ProducerBatch;
    if (!queued.hasSequence || queued.baseSequence >= batch.baseSequence) break;
    index += 1;
  }
  batches.splice(index, 0, batch);
}
