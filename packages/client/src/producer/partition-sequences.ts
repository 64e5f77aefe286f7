/**
 * The idempotent producer's sequence bookkeeping per partition (Kafka's `TxnPartitionMap` / `TxnPartitionEntry`
 * and the sequence rules of `TransactionManager`, KIP-98 and KIP-360), as pure data: which sequence the next new
 * batch of a partition gets, which batches have a sequence and are not done yet ("in flight": sent, or back in the
 * queue for a retry), the last sequence the leader acknowledged, and which partitions need their sequences
 * rewritten by an epoch bump.
 *
 * The rules it keeps (mirrored from Kafka's sources, clients/.../producer/internals):
 * - a batch gets the partition's next sequence when first drained, and keeps it (and its bytes) across retries;
 * - while a partition has a batch being retried, only the batch whose sequence is the first in flight is drained
 *   (`shouldStopDrain`), so retries go in sequence order even with 5 requests in flight;
 * - OUT_OF_ORDER_SEQUENCE_NUMBER for a batch whose predecessor is still unresolved is retried; when it is the next
 *   sequence after the last acknowledged one (nothing earlier can still land), the sequence cannot be resolved and
 *   the epoch is bumped (`canRetry`);
 * - UNKNOWN_PRODUCER_ID (the leader lost the producer's state) bumps the epoch and retries;
 * - a batch that expired after being retried leaves its partition "unresolved" until the batches before it are done;
 *   if the sequence after the last acknowledged one is then not the next to send, the epoch is bumped
 *   (`maybeResolveSequences`);
 * - an epoch bump restarts the partitions that asked for it at sequence 0, rewriting the sequences of their batches
 *   still in flight in order; other partitions move to the new epoch once their in-flight batches are done.
 *
 * What state the producer is in, and whether to bump now, is the TransactionManager statechart's decision; this
 * class answers questions about sequences and records what happened to batches.
 */
import type { ErrorName } from '@kactor/protocol';
import { NO_SEQUENCE } from '@kactor/protocol';
import { topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import { incrementSequence, NO_PRODUCER_ID_AND_EPOCH, type ProducerBatch, type ProducerIdAndEpoch } from './producer-batch.js';

/** Kafka's TxnPartitionEntry.NO_LAST_ACKED_SEQUENCE_NUMBER. */
const NO_LAST_ACKED_SEQUENCE = -1;

/** The producer epoch is an Int16: at its maximum an idempotent producer gets a new id instead of a bump. */
export const MAX_PRODUCER_EPOCH = 32_767;

/** Thrown when the bookkeeping would break its own invariants (a negative sequence, an untracked retry): a bug. */
export class SequenceInvariantError extends Error {
  override readonly name = 'SequenceInvariantError';
}

interface PartitionEntry {
  readonly topic: string;
  readonly partition: number;
  /** The id and epoch this partition's sequences belong to. */
  producer: ProducerIdAndEpoch;
  nextSequence: number;
  lastAckedSequence: number;
  lastAckedOffset: number;
  /** Batches with a sequence that are not done, ordered by (producer id, epoch, base sequence). */
  inFlight: ProducerBatch[];
}

export interface PartitionSequencesOptions {
  /** Whether the producer has a transactional.id (transactional rules differ from idempotent ones). */
  readonly transactional: boolean;
  /** The producer's current id and epoch, as the TransactionManager statechart holds them. */
  readonly currentProducer: () => ProducerIdAndEpoch;
  /** A transactional producer drains a partition only once it was added to the transaction (Kafka's isSendToPartitionAllowed). */
  readonly isSendToPartitionAllowed?: ((tp: TopicPartition) => boolean) | undefined;
}

/** What a failed batch asks of the producer (Kafka's `handleFailedBatch`), for the statechart to decide on. */
export interface FailedBatchOutcome {
  /** The error is one Kafka treats as fatal for the producer (fenced, not authorized, unsupported). */
  readonly fatal: boolean;
}

const FATAL_BATCH_ERRORS: ReadonlySet<ErrorName> = new Set<ErrorName>(['CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'PRODUCER_FENCED', 'UNSUPPORTED_VERSION']);

/**
 * Kafka's `maybeTransitionToErrorState`: errors after which the producer can send nothing more. INVALID_PRODUCER_EPOCH
 * on a produce is not one of them (KIP-588): an idempotent producer bumps its epoch, a transactional one aborts.
 */
export function isFatalProducerError(errorName: ErrorName): boolean {
  return FATAL_BATCH_ERRORS.has(errorName);
}

export class PartitionSequences {
  private readonly entries = new Map<string, PartitionEntry>();
  /** Partitions whose next sequence is in doubt, with the sequence that would follow their last batch. */
  private readonly unresolved = new Map<string, { entry: PartitionEntry; nextSequence: number }>();
  /** Partitions that asked for an epoch bump: their sequences restart at 0 with the new epoch. */
  private readonly toRewrite = new Map<string, PartitionEntry>();
  /** Kafka's `epochBumpRequired`: set by the rules above, acted on by the statechart before the next drain. */
  epochBumpRequired = false;

  constructor(private readonly options: PartitionSequencesOptions) {}

  // ---- drain -------------------------------------------------------------------------------------------------

  /**
   * Whether draining stops at this partition's first queued batch (Kafka's `shouldStopDrainBatchesForPartition`):
   * no producer id yet; a new batch while older batches of another epoch are in flight, or while the partition's
   * sequence is unresolved; or a retried batch that is not the first in flight.
   */
  shouldStopDrain(first: ProducerBatch): boolean {
    if (this.options.isSendToPartitionAllowed !== undefined && !this.options.isSendToPartitionAllowed(first)) return true;
    if (!isValid(this.options.currentProducer())) return true;
    const entry = this.entryFor(first);
    if (!first.hasSequence) {
      if (entry.inFlight.length > 0 && this.hasStaleProducer(entry)) return true;
      if (this.unresolved.has(this.keyOf(entry))) return true;
    }
    const firstInFlight = this.firstInFlightSequence(first);
    return firstInFlight !== NO_SEQUENCE && first.hasSequence && first.baseSequence !== firstInFlight;
  }

  /**
   * Stamps a batch drained for the first time with the producer's id, epoch and the partition's next sequence, and
   * tracks it as in flight. A batch that already has a sequence keeps it: its earlier attempt may have been
   * written, and a new sequence would write it twice.
   */
  assignSequence(batch: ProducerBatch): void {
    if (batch.hasSequence) return;
    const producer = this.options.currentProducer();
    const entry = this.entryFor(batch);
    // Kafka's maybeUpdateProducerIdAndEpoch: a partition moves to a new id or epoch once its in-flight batches are done.
    if (this.hasStaleProducer(entry) && entry.inFlight.length === 0) this.startAtBeginning(entry, producer);
    batch.setProducerState(producer, entry.nextSequence, this.options.transactional);
    entry.nextSequence = incrementSequence(entry.nextSequence, batch.recordCount);
    this.addInFlightBatch(batch);
  }

  addInFlightBatch(batch: ProducerBatch): void {
    if (!batch.hasSequence) throw new SequenceInvariantError(`a batch for ${batch.topic}-${batch.partition} is tracked without a sequence`);
    const entry = this.entryFor(batch);
    // Batches are numbered in drain order, so a new one almost always goes last; a split's parts are placed by sequence.
    let index = entry.inFlight.length;
    while (index > 0 && compareBySequence(entry.inFlight[index - 1] as ProducerBatch, batch) > 0) index -= 1;
    if (entry.inFlight[index - 1] !== batch) entry.inFlight.splice(index, 0, batch);
  }

  removeInFlightBatch(batch: ProducerBatch): void {
    const entry = this.entries.get(topicPartitionKey(batch.topic, batch.partition));
    if (entry === undefined) return;
    const index = entry.inFlight.indexOf(batch);
    if (index >= 0) entry.inFlight.splice(index, 1);
  }

  /** The base sequence of the partition's first batch in flight, or NO_SEQUENCE (Kafka's `firstInFlightSequence`). */
  firstInFlightSequence(tp: TopicPartition): number {
    return this.entries.get(topicPartitionKey(tp.topic, tp.partition))?.inFlight[0]?.baseSequence ?? NO_SEQUENCE;
  }

  /** The sequence the partition's next new batch gets. */
  nextSequence(tp: TopicPartition): number {
    return this.entries.get(topicPartitionKey(tp.topic, tp.partition))?.nextSequence ?? 0;
  }

  hasUnresolvedSequence(tp: TopicPartition): boolean {
    return this.unresolved.has(topicPartitionKey(tp.topic, tp.partition));
  }

  // ---- answers -----------------------------------------------------------------------------------------------

  /** A batch the leader acknowledged (or answered as a duplicate): Kafka's `handleCompletedBatch`. */
  handleCompletedBatch(batch: ProducerBatch, baseOffset: number): void {
    const entry = this.entries.get(topicPartitionKey(batch.topic, batch.partition));
    if (entry !== undefined) {
      if (batch.lastSequence > entry.lastAckedSequence) entry.lastAckedSequence = batch.lastSequence;
      if (baseOffset >= 0) entry.lastAckedOffset = Math.max(entry.lastAckedOffset, baseOffset + batch.recordCount - 1);
    }
    this.removeInFlightBatch(batch);
  }

  /**
   * Whether an idempotence error may be retried (Kafka's `TransactionManager.canRetry`), and whether it needs an
   * epoch bump first. Other errors retry when they are retriable, as without idempotence.
   */
  canRetry(errorName: ErrorName, retriable: boolean, logStartOffset: number, batch: ProducerBatch): boolean {
    const entry = this.entryFor(batch);
    if (errorName === 'UNKNOWN_PRODUCER_ID') {
      // No log start offset: an old broker that cannot say why; the batch is retried as it is.
      if (logStartOffset === -1) return true;
      if (batch.sequenceHasBeenReset) return true;
      if (entry.lastAckedOffset < logStartOffset) {
        // Retention removed every record of this producer, so the leader forgot it: start over at sequence 0.
        if (this.options.transactional) this.startAtBeginning(entry, this.options.currentProducer());
        else this.requestEpochBump(entry);
        return true;
      }
      if (!this.options.transactional) {
        this.requestEpochBump(entry);
        return true;
      }
    } else if (errorName === 'OUT_OF_ORDER_SEQUENCE_NUMBER') {
      const unresolved = this.unresolved.get(this.keyOf(entry));
      if (unresolved === undefined && (batch.sequenceHasBeenReset || !this.isNextSequence(entry, batch.baseSequence))) {
        // An earlier batch is still in flight or being retried: once it lands this one is in sequence again.
        return true;
      }
      if (!this.options.transactional) {
        if (unresolved === undefined || batch.baseSequence === unresolved.nextSequence) this.requestEpochBump(entry);
        return true;
      }
    }
    return retriable;
  }

  /**
   * A batch that failed for good (Kafka's `handleFailedBatch`, sequence part). `adjustSequenceNumbers` is true when
   * the batch could still have been retried by count but its error was not retriable: its sequences are lost, so an
   * idempotent producer bumps the epoch (a transactional one shifts the later batches' sequences down).
   */
  handleFailedBatch(batch: ProducerBatch, errorName: ErrorName | undefined, adjustSequenceNumbers: boolean): FailedBatchOutcome {
    this.removeInFlightBatch(batch);
    const fatal = errorName !== undefined && isFatalProducerError(errorName);
    if (fatal || !batch.hasSequence) return { fatal };
    const entry = this.entryFor(batch);
    if (errorName === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && !this.options.transactional) {
      this.requestEpochBump(entry);
    } else if (errorName === 'UNKNOWN_PRODUCER_ID') {
      this.forgetPartition(entry);
    } else if (adjustSequenceNumbers) {
      if (!this.options.transactional) this.requestEpochBump(entry);
      else this.shiftSequencesDown(entry, batch);
    }
    return { fatal };
  }

  /** A batch that expired after being sent at least once: its partition's next sequence is in doubt (Kafka's `markSequenceUnresolved`). */
  markSequenceUnresolved(batch: ProducerBatch): void {
    if (!batch.hasSequence) return;
    const entry = this.entryFor(batch);
    const key = this.keyOf(entry);
    const nextSequence = incrementSequence(batch.lastSequence, 1);
    const known = this.unresolved.get(key);
    this.unresolved.set(key, { entry, nextSequence: known === undefined ? nextSequence : Math.max(known.nextSequence, nextSequence) });
  }

  /**
   * Settles unresolved partitions once nothing of theirs is in flight (Kafka's `maybeResolveSequences`): resolved
   * when the leader acknowledged everything before the partition's next sequence; otherwise the expired batches
   * were lost and the idempotent producer bumps its epoch. Returns the partitions a transactional producer can no
   * longer continue in this transaction.
   */
  maybeResolveSequences(): TopicPartition[] {
    const lost: TopicPartition[] = [];
    for (const [key, { entry }] of [...this.unresolved]) {
      if (entry.inFlight.length > 0) continue;
      this.unresolved.delete(key);
      if (this.isNextSequence(entry, entry.nextSequence)) continue;
      if (this.options.transactional) lost.push({ topic: entry.topic, partition: entry.partition });
      else this.requestEpochBump(entry);
    }
    return lost;
  }

  // ---- epochs ------------------------------------------------------------------------------------------------

  /**
   * After the statechart bumped the idempotent producer's epoch (KIP-360), the partitions that asked for the bump
   * restart at sequence 0 with the new epoch, their in-flight batches renumbered in order (Kafka's
   * `bumpIdempotentProducerEpoch`). Others move to the new epoch when their in-flight batches are done.
   */
  rewriteSequencesAfterBump(producer: ProducerIdAndEpoch): void {
    for (const entry of this.toRewrite.values()) {
      this.startAtBeginning(entry, producer);
      this.unresolved.delete(this.keyOf(entry));
    }
    this.toRewrite.clear();
    this.epochBumpRequired = false;
  }

  /** Forgets every partition's sequences (Kafka's `resetSequenceNumbers`): a new producer id or an InitProducerId epoch bump. */
  reset(): void {
    this.entries.clear();
    this.unresolved.clear();
    this.toRewrite.clear();
    this.epochBumpRequired = false;
  }

  private requestEpochBump(entry: PartitionEntry): void {
    this.epochBumpRequired = true;
    this.toRewrite.set(this.keyOf(entry), entry);
  }

  private isNextSequence(entry: PartitionEntry, sequence: number): boolean {
    return sequence - entry.lastAckedSequence === 1;
  }

  private hasStaleProducer(entry: PartitionEntry): boolean {
    const producer = this.options.currentProducer();
    return entry.producer.producerId !== producer.producerId || entry.producer.epoch !== producer.epoch;
  }

  /** Kafka's `startSequencesAtBeginning`: in-flight batches renumbered from 0 in order, the next sequence after them. */
  private startAtBeginning(entry: PartitionEntry, producer: ProducerIdAndEpoch): void {
    let sequence = 0;
    for (const batch of entry.inFlight) {
      batch.resetProducerState(producer, sequence);
      sequence = incrementSequence(sequence, batch.recordCount);
    }
    entry.inFlight.sort(compareBySequence);
    entry.producer = producer;
    entry.nextSequence = sequence;
    entry.lastAckedSequence = NO_LAST_ACKED_SEQUENCE;
  }

  /** Kafka's `adjustSequencesDueToFailedBatch` (transactional): later batches take the failed batch's sequences. */
  private shiftSequencesDown(entry: PartitionEntry, failed: ProducerBatch): void {
    const count = failed.recordCount;
    if (entry.nextSequence - count < 0) throw new SequenceInvariantError(`the next sequence of ${entry.topic}-${entry.partition} would become negative`);
    entry.nextSequence -= count;
    for (const batch of entry.inFlight) {
      if (batch.baseSequence < failed.baseSequence) continue;
      const sequence = batch.baseSequence - count;
      if (sequence < 0) throw new SequenceInvariantError(`the sequence of a batch of ${entry.topic}-${entry.partition} would become negative`);
      batch.resetProducerState({ producerId: batch.producerId, epoch: batch.producerEpoch }, sequence);
    }
    entry.inFlight.sort(compareBySequence);
  }

  private forgetPartition(entry: PartitionEntry): void {
    const key = this.keyOf(entry);
    this.entries.delete(key);
    this.unresolved.delete(key);
  }

  private entryFor(tp: TopicPartition): PartitionEntry {
    const key = topicPartitionKey(tp.topic, tp.partition);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { topic: tp.topic, partition: tp.partition, producer: NO_PRODUCER_ID_AND_EPOCH, nextSequence: 0, lastAckedSequence: NO_LAST_ACKED_SEQUENCE, lastAckedOffset: -1, inFlight: [] };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private keyOf(entry: PartitionEntry): string {
    return topicPartitionKey(entry.topic, entry.partition);
  }
}

function isValid(producer: ProducerIdAndEpoch): boolean {
  return producer.producerId >= 0 && producer.epoch >= 0;
}

function compareBySequence(a: ProducerBatch, b: ProducerBatch): number {
  return a.producerId - b.producerId || a.producerEpoch - b.producerEpoch || a.baseSequence - b.baseSequence;
}
