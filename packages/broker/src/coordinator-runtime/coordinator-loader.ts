/**
 * Reads a coordinator's partition for loading (Kafka's CoordinatorLoaderImpl): chunk by chunk from the log start to the
 * end it had when loading began, data records decoded by the coordinator's serde with the producer of their batch, and
 * transaction markers (COMMIT/ABORT control records) in their place in the log, since pending transactional records
 * are resolved by them. Other control records (none are written to these topics today) are skipped.
 */
import { decodeRecordBatches, encodeEndTxnMarkerBatch, encodeRecordBatch, readEndTxnMarker } from '@kactor/protocol';
import type { PartitionLog } from '@kactor/storage';
import type { CoordinatorRecordSerde, RecordOrigin, TransactionalWrite, TransactionMarker } from './coordinator-shard.js';

/** Upper bound on one read while loading, so a large partition is read in pieces (one per turn of the clock). */
export const LOAD_READ_BYTES = 4 * 1024 * 1024;

export type LoadedEntry<R> = { kind: 'record'; record: R; origin: RecordOrigin } | { kind: 'marker'; marker: TransactionMarker; offset: number };

export interface CoordinatorChunk<R> {
  entries: Array<LoadedEntry<R>>;
  /** Where the next chunk starts. */
  nextOffset: number;
  /** Whether `endOffset` was reached (or the log holds nothing more to read below it). */
  done: boolean;
}

/** One read of at most `LOAD_READ_BYTES` from `fromOffset` towards `endOffset`. */
export function readCoordinatorChunk<R>(log: PartitionLog, serde: CoordinatorRecordSerde<R>, fromOffset: number, endOffset: number): CoordinatorChunk<R> {
  const entries: Array<LoadedEntry<R>> = [];
  let offset = Math.max(fromOffset, log.logStartOffset);
  if (offset >= endOffset) return { entries, nextOffset: offset, done: true };
  const { records: bytes } = log.read(offset, LOAD_READ_BYTES, endOffset);
  const before = offset;
  for (const batch of decodeRecordBatches(bytes).batches) {
    if (batch.isControl) {
      // A transaction marker decides the producer's pending records; other control records (none today) are skipped.
      const marker = batch.lastOffset >= offset ? readEndTxnMarker(batch) : undefined;
      if (marker !== undefined) entries.push({ kind: 'marker', offset: marker.offset, marker: { producerId: marker.producerId, producerEpoch: marker.producerEpoch, result: marker.type, coordinatorEpoch: marker.coordinatorEpoch } });
      offset = Math.max(offset, batch.lastOffset + 1);
      continue;
    }
    for (const record of batch.records) {
      if (record.offset < offset) continue;
      offset = record.offset + 1;
      if (record.key === null) continue;
      const decoded = serde.decode(record.key, record.value);
      if (decoded === undefined) continue;
      entries.push({ kind: 'record', record: decoded, origin: { offset: record.offset, producerId: batch.producerId, producerEpoch: batch.producerEpoch, isTransactional: batch.isTransactional } });
    }
    offset = Math.max(offset, batch.lastOffset + 1);
  }
  return { entries, nextOffset: offset, done: offset >= endOffset || offset === before };
}

/** Coordinator records carry no headers. */
const noHeaders: readonly [] = [];

/** One command's records as one batch, so they are recovered together or not at all; transactional ones carry their producer. */
export function encodeCoordinatorBatch<R>(serde: CoordinatorRecordSerde<R>, records: readonly R[], timestampMs: number, transactional?: TransactionalWrite): Uint8Array {
  return encodeRecordBatch({
    // Built field by field: spreading the serde's answer into a new object costs more than the batch's encoding.
    records: records.map((record) => {
      const { key, value } = serde.encode(record);
      return { key, value, headers: noHeaders, timestamp: timestampMs };
    }),
    ...(transactional === undefined
      ? {}
      : // Kafka's coordinators write transactional records without a sequence (their appends are not a client's: the
        // partition checks the producer's epoch, not its sequence).
        { producerId: transactional.producerId, producerEpoch: transactional.producerEpoch, isTransactional: true }),
  });
}

/** A COMMIT or ABORT marker as the control batch a transaction coordinator's WriteTxnMarkers has written (KIP-98). */
export function encodeTransactionMarkerBatch(marker: TransactionMarker, timestampMs: number): Uint8Array {
  return encodeEndTxnMarkerBatch({ type: marker.result, producerId: marker.producerId, producerEpoch: marker.producerEpoch, coordinatorEpoch: marker.coordinatorEpoch, timestampMs });
}
