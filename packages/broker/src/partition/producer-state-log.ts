/**
 * The producer state and the log (KIP-98): reading the producer fields of stored batches, rebuilding the state when a
 * log opens or is truncated (the latest snapshot at or below the log end, then the batch headers after it, as Kafka's
 * UnifiedLog.rebuildProducerState), and writing snapshots (`<offset>.snapshot`, the two newest kept).
 *
 * Only batch headers are read: the one record of a control batch is decoded, to tell a COMMIT marker from an ABORT
 * marker (and from KRaft's control records); data records never are.
 */
import { ATTRIBUTE_TRANSACTIONAL, ControlRecordError, decodeRecordBatches, isControlBatch, readBatchHeader, readEndTxnMarker, type RecordBatchHeader } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import type { PartitionLog, ProducerStateSnapshot } from '@kactor/storage';
import {
  emptyProducerState,
  entryAfterAppend,
  MAX_SEQUENCE,
  recordMarker,
  trimAbortedTransactions,
  type ProducerBatch,
  type ProducerState,
  type ProducerStateEntry,
  type TxnMarker,
} from './producer-state.js';

/** Snapshots kept beside a log: any one at or below the log end is a start, the older one covers a lost tail. */
export const PRODUCER_SNAPSHOTS_RETAINED = 2;

/** Bytes read from the log per step while replaying batch headers. */
const replayReadBytes = 1024 * 1024;

/** What the producer state needs of one stored batch. */
export interface StoredBatch extends ProducerBatch {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly isControl: boolean;
  /** The COMMIT or ABORT marker this control batch holds. */
  readonly marker?: TxnMarker;
}

/** A batch's last sequence: its base sequence plus its last offset delta, wrapping at Int32 max (Kafka's DefaultRecordBatch.lastSequence). */
function lastSequenceOf(header: RecordBatchHeader): number {
  if (header.baseSequence < 0) return header.baseSequence;
  return (header.baseSequence + header.lastOffsetDelta) % (MAX_SEQUENCE + 1);
}

/** The producer fields of a batch header. */
export function producerFieldsOf(header: RecordBatchHeader): ProducerBatch {
  return {
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    lastSequence: lastSequenceOf(header),
    isTransactional: (header.attributes & ATTRIBUTE_TRANSACTIONAL) !== 0,
  };
}

/** The transaction marker of the control batch at `position`, or undefined for a KRaft control batch. */
function markerAt(bytes: Uint8Array, position: number, header: RecordBatchHeader): TxnMarker | undefined {
  const { batches } = decodeRecordBatches(bytes.subarray(position, position + header.sizeInBytes), { verifyCrc: false });
  const batch = batches[0];
  if (batch === undefined) return undefined;
  let marker;
  try {
    marker = readEndTxnMarker(batch);
  } catch (error) {
    // Only a coordinator or a leader writes control batches, so a malformed one is a bug elsewhere: it closes no
    // transaction rather than stopping the partition (Kafka would fail the append; here the batch is already stored).
    if (error instanceof ControlRecordError) return undefined;
    throw error;
  }
  return marker === undefined ? undefined : { producerId: marker.producerId, producerEpoch: marker.producerEpoch, coordinatorEpoch: marker.coordinatorEpoch, result: marker.type };
}

/** What the producer state needs of the batch whose header was read at `position` of `bytes`. */
function storedBatchAt(bytes: Uint8Array, position: number, header: RecordBatchHeader): StoredBatch {
  const isControl = isControlBatch(header);
  // Built field by field, one shape for every batch: spreading the producer fields and an optional marker in made
  // this a slow dictionary-mode copy per batch.
  const batch: { -readonly [Field in keyof StoredBatch]: StoredBatch[Field] } = {
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    lastSequence: lastSequenceOf(header),
    isTransactional: (header.attributes & ATTRIBUTE_TRANSACTIONAL) !== 0,
    isControl,
    firstOffset: header.baseOffset,
    lastOffset: header.lastOffset,
    maxTimestamp: header.maxTimestamp,
  };
  const marker = isControl && header.producerId >= 0 ? markerAt(bytes, position, header) : undefined;
  if (marker !== undefined) batch.marker = marker;
  return batch;
}

/** The producer fields of each whole batch in `bytes` (stored batches: their offsets are the log's). */
export function storedBatches(bytes: Uint8Array): StoredBatch[] {
  const result: StoredBatch[] = [];
  let position = 0;
  for (;;) {
    const header = readBatchHeader(bytes, position);
    if (header === null || position + header.sizeInBytes > bytes.length) return result;
    result.push(storedBatchAt(bytes, position, header));
    position += header.sizeInBytes;
  }
}

/**
 * The same from the headers validateRecordBatches already read, one per batch in order: a produce's headers are read
 * once, as Kafka's leader reads a batch's header once while it validates and assigns offsets.
 */
export function storedBatchesFromHeaders(bytes: Uint8Array, headers: readonly RecordBatchHeader[]): StoredBatch[] {
  const result: StoredBatch[] = [];
  let position = 0;
  for (const header of headers) {
    result.push(storedBatchAt(bytes, position, header));
    position += header.sizeInBytes;
  }
  return result;
}

/**
 * The state after stored batches (a follower's copy of the leader's, or a replay of the log): no client checks (Kafka's
 * AppendOrigin.REPLICATION), each producer's time taken from its batch unless `timestampMs` is given. Markers at or
 * above `highWatermark` keep their transaction unstable until the high watermark passes them.
 */
export function applyStoredBatches(state: ProducerState, batches: readonly StoredBatch[], timestampMs?: number, highWatermark = Number.MAX_SAFE_INTEGER): ProducerState {
  if (!batches.some((batch) => batch.producerId >= 0)) return state;
  // One copy of the producers map for all the batches (a follower's fetch brings many), not one per batch: the copy is
  // this function's own until it returns. A marker's recordMarker returns a fresh map of its own, used the same way.
  let next: ProducerState = Object.assign({}, state, { producers: new Map(state.producers) });
  for (const batch of batches) {
    if (batch.producerId < 0) continue;
    const time = timestampMs ?? batch.maxTimestamp;
    if (batch.marker !== undefined) next = recordMarker(next, batch.marker, batch.lastOffset, time, highWatermark).state;
    // A control batch that is not a transaction marker (KRaft's) leaves the producer state alone.
    else if (!batch.isControl) (next.producers as Map<number, ProducerStateEntry>).set(batch.producerId, entryAfterAppend(next.producers.get(batch.producerId), batch, batch.firstOffset, batch.lastOffset, time));
  }
  return next;
}

export function snapshotOf(state: ProducerState, offset: number): ProducerStateSnapshot {
  return { offset, producers: [...state.producers.values()], abortedTransactions: state.abortedTransactions };
}

function stateOf(snapshot: ProducerStateSnapshot): ProducerState {
  return { producers: new Map(snapshot.producers.map((entry) => [entry.producerId, entry])), abortedTransactions: snapshot.abortedTransactions };
}

/**
 * The producer state of `log` as it is now (UnifiedLog.rebuildProducerState): snapshots above the log end are deleted
 * (a crash or a truncation took their batches), the newest readable one at or below it is the start (else the log
 * start with an empty state), and the batch headers from there to the log end are replayed (their producers seen at
 * `nowMs`).
 */
export function loadProducerState(log: PartitionLog, nowMs: number, logger?: Logger): ProducerState {
  const store = log.producerSnapshots;
  let state = emptyProducerState();
  let from = log.logStartOffset;
  for (const offset of store.offsets().reverse()) {
    if (offset > log.logEndOffset) {
      store.delete(offset);
      continue;
    }
    const snapshot = store.read(offset);
    if (snapshot === undefined) {
      logger?.warn({ offset }, 'a producer snapshot is corrupt: deleting it and rebuilding from an older one or the log');
      store.delete(offset);
      continue;
    }
    // A snapshot below the log start still holds the producers; the batches between it and the start are gone.
    state = stateOf(snapshot);
    from = Math.max(offset, log.logStartOffset);
    break;
  }
  state = trimAbortedTransactions(state, log.logStartOffset);
  while (from < log.logEndOffset) {
    const { records } = log.read(from, replayReadBytes, log.logEndOffset);
    const batches = storedBatches(records).filter((batch) => batch.lastOffset >= from);
    const last = batches.at(-1);
    if (last === undefined) break;
    // Replayed producers count as seen now: a batch's own timestamp is its producer's clock (CreateTime), which may be
    // far behind this broker's, and would expire a live producer at the first check after a restart.
    state = applyStoredBatches(state, batches, nowMs);
    from = last.lastOffset + 1;
  }
  // A log opens with its high watermark at most its end, and a leader's first HW is its own: nothing is unreplicated yet.
  return { ...state, unreplicatedTransactions: [] };
}

/** Writes the state as of the log end (a segment rolled, or the log closes cleanly) and keeps the newest two. */
export function writeProducerSnapshot(log: PartitionLog, state: ProducerState): void {
  const store = log.producerSnapshots;
  store.write(snapshotOf(state, log.logEndOffset));
  const offsets = store.offsets();
  for (const offset of offsets.slice(0, Math.max(0, offsets.length - PRODUCER_SNAPSHOTS_RETAINED))) store.delete(offset);
}
