/**
 * The partition leader's producer state (issue 13, KIP-98 idempotence): per producer id, its epoch and the metadata of
 * its last few appended batches, so that the leader can reject a batch out of sequence or from a fenced epoch and
 * answer a retried batch with the offsets it was first written at instead of writing it twice.
 *
 * Mirrors Kafka's ProducerStateEntry / ProducerAppendInfo (storage/.../internals/log) and the duplicate lookup in
 * UnifiedLog. Pure and immutable: the partition actor will hold a `ProducerState` and replace it after each append.
 * Transactions (the coordinator epoch, the current transaction's first offset, markers) come later in issue 13.
 */
import { NO_PRODUCER_ID, NO_SEQUENCE, type ErrorName } from '@kactor/protocol';

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: as many as a producer may have in flight (max.in.flight ≤ 5). */
export const NUM_BATCHES_TO_RETAIN = 5;

/** Sequences are Int32 and wrap from Int32 max back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export const MAX_SEQUENCE = 2_147_483_647;

/** What is kept of one appended batch: enough to recognise a retry and answer with the original offsets. */
export interface RetainedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly timestampMs: number;
}

/** One producer id's state. `batches` is oldest first, at most NUM_BATCHES_TO_RETAIN, all of `producerEpoch`. */
export interface ProducerStateEntry {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly batches: readonly RetainedBatch[];
}

export interface ProducerState {
  readonly producers: ReadonlyMap<number, ProducerStateEntry>;
}

/** The producer fields of a batch header (kafka-wire-protocol.md section 5). */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  /** Not used yet: the transaction's first offset is tracked once transactions land. */
  readonly isTransactional?: boolean;
}

/**
 * Who is appending: a client's Produce (fully checked) or a follower copying the leader's log, which also covers
 * rebuilding the state from the log (Kafka's AppendOrigin.REPLICATION: the leader already checked these batches).
 */
export type AppendOrigin = 'client' | 'replication';

export type AppendCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly firstOffset: number; readonly lastOffset: number }
  | { readonly kind: 'error'; readonly errorName: Extract<ErrorName, 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH'>; readonly message: string };

/** Thrown when a producer's retained batches stop being in offset order or in sequence: a bug, never bad input. */
export class ProducerStateInvariantError extends Error {
  override readonly name = 'ProducerStateInvariantError';
}

export function emptyProducerState(): ProducerState {
  return { producers: new Map() };
}

export function producerEntry(state: ProducerState, producerId: number): ProducerStateEntry | undefined {
  return state.producers.get(producerId);
}

/** The sequence after `sequence`, wrapping at Int32 max (Kafka: nextSequence(Integer.MAX_VALUE) = 0). */
export function nextSequence(sequence: number): number {
  return sequence === MAX_SEQUENCE ? 0 : sequence + 1;
}

const APPEND: AppendCheck = { kind: 'append' };

/**
 * Whether the leader may append `batch`, must answer it as a duplicate of a retained batch, or must refuse it.
 * Replicated batches are always appended: the leader checked them, and a follower refusing its leader's log would
 * diverge from it (Kafka only logs a warning there).
 */
export function checkAppend(state: ProducerState, batch: ProducerBatch, origin: AppendOrigin): AppendCheck {
  if (batch.producerId === NO_PRODUCER_ID || origin === 'replication') return APPEND;
  const entry = state.producers.get(batch.producerId);
  if (entry === undefined) return checkFirstBatchOfProducer(batch);
  const duplicate = findDuplicateBatch(entry, batch);
  if (duplicate !== undefined) return { kind: 'duplicate', firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset };
  if (batch.producerEpoch < entry.producerEpoch) {
    // Kafka answers INVALID_PRODUCER_EPOCH (not PRODUCER_FENCED) on Produce since 2.7 (KIP-588), so that a
    // transactional producer can abort and retry; PRODUCER_FENCED is for InitProducerId/EndTxn of a transactional id.
    return refuse('INVALID_PRODUCER_EPOCH', `epoch ${batch.producerEpoch} of producer ${batch.producerId} is older than its last seen epoch ${entry.producerEpoch}`);
  }
  if (batch.producerEpoch > entry.producerEpoch) {
    // A bumped epoch (InitProducerId again, or the client's epoch bump of KIP-360) restarts the sequence.
    return batch.baseSequence === 0
      ? APPEND
      : refuse('OUT_OF_ORDER_SEQUENCE_NUMBER', `new epoch ${batch.producerEpoch} of producer ${batch.producerId} starts at sequence ${batch.baseSequence}, not 0`);
  }
  // Same epoch: the batch must follow the last one. With no batch kept (only an end marker left, later), it starts at 0.
  const last = entry.batches.at(-1);
  const expected = last === undefined ? 0 : nextSequence(last.lastSequence);
  return batch.baseSequence === expected
    ? APPEND
    : refuse(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `producer ${batch.producerId} sent sequence ${batch.baseSequence} but the next expected is ${expected} (last sequence ${last?.lastSequence ?? NO_SEQUENCE})`,
      );
}

/**
 * The state after `batch` was written at [firstOffset, lastOffset]. A new epoch drops the batches of the old one
 * (their sequences are no longer comparable); past NUM_BATCHES_TO_RETAIN the oldest batch is forgotten.
 */
export function recordAppend(state: ProducerState, batch: ProducerBatch, firstOffset: number, lastOffset: number, timestampMs: number): ProducerState {
  if (batch.producerId === NO_PRODUCER_ID) return state;
  const previous = state.producers.get(batch.producerId);
  const kept = previous !== undefined && previous.producerEpoch === batch.producerEpoch ? previous.batches : [];
  const added: RetainedBatch = { firstSequence: batch.baseSequence, lastSequence: batch.lastSequence, firstOffset, lastOffset, timestampMs };
  const entry: ProducerStateEntry = {
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    batches: [...kept, added].slice(-NUM_BATCHES_TO_RETAIN),
  };
  assertEntryInvariants(entry);
  const producers = new Map(state.producers);
  producers.set(batch.producerId, entry);
  return { producers };
}

/** Rule 8: a producer's retained batches are in offset order and their sequences follow each other (mod wrap). */
export function assertEntryInvariants(entry: ProducerStateEntry): void {
  if (entry.batches.length > NUM_BATCHES_TO_RETAIN) {
    throw new ProducerStateInvariantError(`producer ${entry.producerId} retains ${entry.batches.length} batches, more than ${NUM_BATCHES_TO_RETAIN}`);
  }
  entry.batches.forEach((batch, index) => {
    if (batch.firstOffset > batch.lastOffset) {
      throw new ProducerStateInvariantError(`producer ${entry.producerId} has a batch whose first offset ${batch.firstOffset} is after its last ${batch.lastOffset}`);
    }
    if (!isSequence(batch.firstSequence) || !isSequence(batch.lastSequence)) {
      throw new ProducerStateInvariantError(`producer ${entry.producerId} has a batch with sequences ${batch.firstSequence}..${batch.lastSequence} outside 0..${MAX_SEQUENCE}`);
    }
    const before = entry.batches[index - 1];
    if (before === undefined) return;
    if (batch.firstOffset <= before.lastOffset) {
      throw new ProducerStateInvariantError(`producer ${entry.producerId} appended at offset ${batch.firstOffset}, not after its previous batch ending at ${before.lastOffset}`);
    }
    if (batch.firstSequence !== nextSequence(before.lastSequence)) {
      throw new ProducerStateInvariantError(`producer ${entry.producerId} appended sequence ${batch.firstSequence} after ${before.lastSequence}: not contiguous`);
    }
  });
}

/**
 * A producer this partition has no state for must start at sequence 0, as Kafka checks for a verified transactions-v2
 * producer. Kafka's older rule accepts any first sequence, because the state may have been dropped by retention,
 * DeleteRecords or producer.id.expiration.ms while the producer kept counting; kactor drops producer state in none of
 * those ways yet, so a non-zero start can only be a producer out of step. Revisit when the expiry lands.
 */
function checkFirstBatchOfProducer(batch: ProducerBatch): AppendCheck {
  return batch.baseSequence === 0
    ? APPEND
    : refuse('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${batch.producerId} is unknown here and must start at sequence 0, not ${batch.baseSequence}`);
}

/** A retry carries the same epoch and exactly the same sequence range as a retained batch (ProducerStateEntry.findDuplicateBatch). */
function findDuplicateBatch(entry: ProducerStateEntry, batch: ProducerBatch): RetainedBatch | undefined {
  if (batch.producerEpoch !== entry.producerEpoch) return undefined;
  return entry.batches.find((kept) => kept.firstSequence === batch.baseSequence && kept.lastSequence === batch.lastSequence);
}

function isSequence(sequence: number): boolean {
  return Number.isInteger(sequence) && sequence >= 0 && sequence <= MAX_SEQUENCE;
}

function refuse(errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH', message: string): AppendCheck {
  return { kind: 'error', errorName, message };
}
