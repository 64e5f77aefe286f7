/**
 * The partition leader's producer state (issue 13, KIP-98 idempotence): per producer id, its epoch and the metadata of
 * its last few appended batches, so that the leader can reject a batch out of sequence or from a fenced epoch and
 * answer a retried batch with the offsets it was first written at instead of writing it twice.
 *
 * Mirrors Kafka's ProducerStateEntry / ProducerAppendInfo (storage/.../internals/log) and the duplicate lookup in
 * UnifiedLog. Pure and immutable: the partition actor holds a `ProducerState` and replaces it after each append.
 * Transactions (KIP-98): a transactional batch opens its producer's transaction at its first offset, a COMMIT or ABORT
 * marker (recordMarker) closes it, and an aborted one joins the aborted-transaction index (Kafka's `.txnindex`).
 */
import { NO_PRODUCER_ID, NO_SEQUENCE, type ErrorName } from '@kactor/protocol';
import type { AbortedTransaction } from '@kactor/storage';

export type { AbortedTransaction } from '@kactor/storage';

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
  /** The coordinator epoch of its last transaction marker, -1 before any (fences zombie coordinators). */
  readonly coordinatorEpoch: number;
  /** When it last appended (a batch or a marker), for producer.id.expiration.ms. */
  readonly lastTimestampMs: number;
  /** The first offset of its open transaction, or null when none is open. */
  readonly currentTxnFirstOffset: number | null;
}

export interface ProducerState {
  readonly producers: ReadonlyMap<number, ProducerStateEntry>;
  /** The aborted transactions still in the log, oldest first (Kafka's `.txnindex` entries). */
  readonly abortedTransactions: readonly AbortedTransaction[];
  /**
   * Transactions whose marker is written but perhaps not yet below the high watermark (Kafka's unreplicatedTxns): they
   * hold the LSO back until it is, so that a read_committed consumer never reads a transaction a leader change could
   * still reopen. Not in snapshots: a log opens with its high watermark at or below its end.
   */
  readonly unreplicatedTransactions?: ReadonlyArray<{ readonly firstOffset: number; readonly lastOffset: number }>;
}

/** The producer fields of a batch header (kafka-wire-protocol.md section 5). */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  /** A transactional batch opens its producer's transaction when none is open. */
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
  | { readonly kind: 'error'; readonly errorName: Extract<ErrorName, 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' | 'INVALID_TXN_STATE'>; readonly message: string };

/** Thrown when a producer's retained batches stop being in offset order or in sequence: a bug, never bad input. */
export class ProducerStateInvariantError extends Error {
  override readonly name = 'ProducerStateInvariantError';
}

export function emptyProducerState(): ProducerState {
  return { producers: new Map(), abortedTransactions: [] };
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
  // Kafka accepts any first sequence from a producer it has no state for: the state may have expired
  // (producer.id.expiration.ms) while the producer stayed idle and kept its sequence.
  if (entry === undefined) return APPEND;
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
  if (entry.currentTxnFirstOffset !== null && batch.isTransactional !== true) {
    // ProducerAppendInfo.checkProducerEpoch's sibling check: an open transaction takes only transactional writes.
    return { kind: 'error', errorName: 'INVALID_TXN_STATE', message: `producer ${batch.producerId} has an open transaction and sent a batch that is not transactional` };
  }
  // Same epoch: the batch must follow the last one. With no batch kept (only an end marker left), it starts at 0.
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
 * (their sequences are no longer comparable); past NUM_BATCHES_TO_RETAIN the oldest batch is forgotten. A replicated
 * batch that does not follow the kept ones (the leader expired the producer and took a new start) replaces them.
 */
export function recordAppend(state: ProducerState, batch: ProducerBatch, firstOffset: number, lastOffset: number, timestampMs: number): ProducerState {
  if (batch.producerId === NO_PRODUCER_ID) return state;
  const producers = new Map(state.producers);
  producers.set(batch.producerId, entryAfterAppend(state.producers.get(batch.producerId), batch, firstOffset, lastOffset, timestampMs));
  return { ...state, producers };
}

/**
 * The producer's entry once `batch` is appended at `firstOffset`..`lastOffset` after `previous` (undefined for a producer
 * new here). Callers that apply many batches set it into one copy of the producers map instead of one copy per batch.
 */
export function entryAfterAppend(previous: ProducerStateEntry | undefined, batch: ProducerBatch, firstOffset: number, lastOffset: number, timestampMs: number): ProducerStateEntry {
  const sameEpoch = previous !== undefined && previous.producerEpoch === batch.producerEpoch;
  const lastKept = sameEpoch ? previous.batches.at(-1) : undefined;
  // A coordinator's transactional write carries no sequence (Kafka's AppendOrigin.COORDINATOR): nothing to retain.
  const sequenced = batch.baseSequence !== NO_SEQUENCE;
  const follows = lastKept === undefined || !sequenced || batch.baseSequence === nextSequence(lastKept.lastSequence);
  const kept = sameEpoch && follows ? previous.batches : [];
  const added: RetainedBatch[] = sequenced ? [{ firstSequence: batch.baseSequence, lastSequence: batch.lastSequence, firstOffset, lastOffset, timestampMs }] : [];
  // An open transaction stays open across an epoch bump: only its marker closes it (the LSO must not pass it).
  const openTxn = previous?.currentTxnFirstOffset ?? null;
  const entry: ProducerStateEntry = {
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    batches: [...kept, ...added].slice(-NUM_BATCHES_TO_RETAIN),
    coordinatorEpoch: previous?.coordinatorEpoch ?? -1,
    lastTimestampMs: timestampMs,
    currentTxnFirstOffset: openTxn ?? (batch.isTransactional === true ? firstOffset : null),
  };
  assertEntryInvariants(entry);
  return entry;
}

/**
 * A write of a coordinator on its own partition (Kafka's AppendOrigin.COORDINATOR: a group coordinator's transactional
 * offsets, or a marker it writes): only the producer's epoch is checked, never a sequence.
 */
export function checkCoordinatorAppend(state: ProducerState, batch: ProducerBatch): AppendCheck {
  const entry = state.producers.get(batch.producerId);
  if (batch.producerId === NO_PRODUCER_ID || entry === undefined || batch.producerEpoch >= entry.producerEpoch) return APPEND;
  return refuse('INVALID_PRODUCER_EPOCH', `epoch ${batch.producerEpoch} of producer ${batch.producerId} is older than its last seen epoch ${entry.producerEpoch}`);
}

/** A COMMIT or ABORT marker of one producer's transaction (WriteTxnMarkers, or read back from the log). */
export interface TxnMarker {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly result: 'COMMIT' | 'ABORT';
}

export type MarkerCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'error'; readonly errorName: Extract<ErrorName, 'INVALID_PRODUCER_EPOCH' | 'TRANSACTION_COORDINATOR_FENCED'>; readonly message: string };

/**
 * Whether the leader may write `marker` (ProducerAppendInfo.appendEndTxnMarker's checks): a marker of an older producer
 * epoch than this partition knows is INVALID_PRODUCER_EPOCH, one from a coordinator epoch older than the producer's last
 * marker TRANSACTION_COORDINATOR_FENCED (a zombie coordinator). A producer unknown here takes any marker.
 */
export function checkMarker(state: ProducerState, marker: TxnMarker): MarkerCheck {
  const entry = state.producers.get(marker.producerId);
  if (entry === undefined) return { kind: 'append' };
  if (marker.producerEpoch < entry.producerEpoch) {
    return { kind: 'error', errorName: 'INVALID_PRODUCER_EPOCH', message: `a ${marker.result} marker of epoch ${marker.producerEpoch} for producer ${marker.producerId}, whose epoch here is ${entry.producerEpoch}` };
  }
  if (marker.coordinatorEpoch < entry.coordinatorEpoch) {
    return {
      kind: 'error',
      errorName: 'TRANSACTION_COORDINATOR_FENCED',
      message: `a ${marker.result} marker for producer ${marker.producerId} from coordinator epoch ${marker.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`,
    };
  }
  return { kind: 'append' };
}

/** The transaction a marker closed, as Kafka's CompletedTxn. */
export interface CompletedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/**
 * The state after `marker` was written at `offset`: the producer's transaction is closed, a newer epoch replaces its
 * batches (their sequences belong to the old epoch), and an aborted transaction joins the aborted index with the last
 * stable offset once it is closed (the first offset of the oldest transaction still open, else the marker's offset + 1).
 * A marker for a producer with no open transaction closes nothing (a retried WriteTxnMarkers).
 */
export function recordMarker(
  state: ProducerState,
  marker: TxnMarker,
  offset: number,
  timestampMs: number,
  highWatermark = 0,
): { state: ProducerState; completed: CompletedTransaction | undefined } {
  const previous = state.producers.get(marker.producerId);
  const sameEpoch = previous !== undefined && previous.producerEpoch === marker.producerEpoch;
  const entry: ProducerStateEntry = {
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    batches: sameEpoch ? previous.batches : [],
    coordinatorEpoch: marker.coordinatorEpoch,
    lastTimestampMs: timestampMs,
    currentTxnFirstOffset: null,
  };
  const producers = new Map(state.producers);
  producers.set(marker.producerId, entry);
  const firstOffset = previous?.currentTxnFirstOffset ?? null;
  if (firstOffset === null) return { state: { ...state, producers }, completed: undefined };
  const completed: CompletedTransaction = { producerId: marker.producerId, firstOffset, lastOffset: offset, isAborted: marker.result === 'ABORT' };
  const unreplicatedTransactions = [...(state.unreplicatedTransactions ?? []).filter((txn) => txn.lastOffset >= highWatermark), { firstOffset, lastOffset: offset }];
  if (!completed.isAborted) return { state: { ...state, producers, unreplicatedTransactions }, completed };
  const lastStableOffset = firstUnstableOffset(producers) ?? offset + 1;
  const aborted: AbortedTransaction = { producerId: marker.producerId, firstOffset, lastOffset: offset, lastStableOffset };
  return { state: { producers, abortedTransactions: [...state.abortedTransactions, aborted], unreplicatedTransactions }, completed };
}

/** The first offset of the oldest open transaction (Kafka's firstUndecidedOffset), or undefined when none is open. */
export function firstUnstableOffset(producers: ProducerState['producers']): number | undefined {
  let first: number | undefined;
  for (const entry of producers.values()) {
    if (entry.currentTxnFirstOffset !== null && (first === undefined || entry.currentTxnFirstOffset < first)) first = entry.currentTxnFirstOffset;
  }
  return first;
}

/**
 * Kafka's last stable offset: the first offset of the oldest transaction still open, or closed by a marker the high
 * watermark has not passed yet; the high watermark when there is none, never above it.
 */
export function lastStableOffset(state: ProducerState, highWatermark: number): number {
  let lso = Math.min(firstUnstableOffset(state.producers) ?? highWatermark, highWatermark);
  for (const txn of state.unreplicatedTransactions ?? []) if (txn.lastOffset >= highWatermark && txn.firstOffset < lso) lso = txn.firstOffset;
  return lso;
}

/**
 * The aborted transactions a read_committed fetch of [fetchOffset, upperBoundOffset) must list (Kafka's
 * collectAbortedTransactions): those ending at or after the fetch offset and starting before the upper bound.
 */
export function abortedTransactionsOverlapping(state: ProducerState, fetchOffset: number, upperBoundOffset: number): AbortedTransaction[] {
  return state.abortedTransactions.filter((txn) => txn.lastOffset >= fetchOffset && txn.firstOffset < upperBoundOffset);
}

/**
 * Kafka's removeExpiredProducers: producers with no open transaction that have not appended for `expirationMs` are
 * forgotten (their next batch is then taken at any sequence). Returns the same state when nothing expired.
 */
export function removeExpiredProducers(state: ProducerState, nowMs: number, expirationMs: number): ProducerState {
  const expired = [...state.producers.values()].filter((entry) => entry.currentTxnFirstOffset === null && nowMs - entry.lastTimestampMs >= expirationMs);
  if (expired.length === 0) return state;
  const producers = new Map(state.producers);
  for (const entry of expired) producers.delete(entry.producerId);
  return { ...state, producers };
}

/** Aborted transactions wholly below the log start are of no use to any reader (Kafka deletes their `.txnindex` with the segment). */
export function trimAbortedTransactions(state: ProducerState, logStartOffset: number): ProducerState {
  const kept = state.abortedTransactions.filter((txn) => txn.lastOffset >= logStartOffset);
  return kept.length === state.abortedTransactions.length ? state : { ...state, abortedTransactions: kept };
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
