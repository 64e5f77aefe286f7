/**
 * The end-transaction marker batch (KIP-98; Kafka's `EndTransactionMarker` written by
 * `MemoryRecords.withEndTransactionMarker`): what a partition leader appends when a transaction coordinator's
 * WriteTxnMarkers tells it a producer's transaction is decided. One control batch, transactional and control
 * (attributes 0x30), stamped with the transaction's producer id and epoch and no sequence (-1), holding one
 * control record:
 *
 * ```
 * key    version int16 (0), type int16 (0 ABORT, 1 COMMIT)
 * value  version int16 (0), coordinatorEpoch int32
 * ```
 *
 * Readers (the partition's producer state and LSO, a read_committed consumer) find the marker of a batch with
 * `readEndTxnMarker`, which tells a transaction marker from KRaft's control records (undefined for those).
 */
import type { RecordBatchHeader } from './batch-header.js';
import { ATTRIBUTE_TRANSACTIONAL } from './batch-layout.js';
import { decodeEndTxnMarker, encodeEndTxnMarker, END_TXN_MARKER_VERSION } from './control-messages.js';
import { ControlRecordError, decodeControlRecord, encodeControlBatch, isControlBatch } from './control-records.js';
import type { DecodedRecord } from './record-reader.js';

/** The two outcomes of a transaction, as the control record types of its marker. */
export type TxnMarkerType = 'COMMIT' | 'ABORT';

export interface EncodeEndTxnMarkerBatchOptions {
  type: TxnMarkerType;
  /** The transaction's producer id and epoch (WriteTxnMarkers' marker). */
  producerId: number;
  producerEpoch: number;
  /** The writing transaction coordinator's epoch, so a leader can refuse markers of a zombie coordinator. */
  coordinatorEpoch: number;
  /** The marker's CreateTime, milliseconds since the epoch (from the injected clock). */
  timestampMs: number;
  /** Where the leader appends it (0 until the log assigns the offset). */
  baseOffset?: number;
  /** The leader's epoch. */
  partitionLeaderEpoch?: number;
}

/** Encodes the COMMIT or ABORT marker batch of one producer's transaction. */
export function encodeEndTxnMarkerBatch(options: EncodeEndTxnMarkerBatchOptions): Uint8Array {
  if (!Number.isSafeInteger(options.producerId) || options.producerId < 0) {
    throw new RangeError(`a transaction marker needs a producer id, not ${options.producerId}`);
  }
  if (!Number.isInteger(options.producerEpoch) || options.producerEpoch < 0 || options.producerEpoch > 0x7fff) {
    throw new RangeError(`a transaction marker needs a producer epoch (int16 >= 0), not ${options.producerEpoch}`);
  }
  return encodeControlBatch({
    records: [{ type: options.type, value: encodeEndTxnMarker({ version: END_TXN_MARKER_VERSION, coordinatorEpoch: options.coordinatorEpoch }) }],
    timestampMs: options.timestampMs,
    ...(options.baseOffset === undefined ? {} : { baseOffset: options.baseOffset }),
    ...(options.partitionLeaderEpoch === undefined ? {} : { partitionLeaderEpoch: options.partitionLeaderEpoch }),
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    isTransactional: true,
  });
}

/** A transaction marker as read from the log. */
export interface EndTxnMarkerOfBatch {
  type: TxnMarkerType;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  /** The marker record's offset: the transaction's end, below which its records are decided. */
  offset: number;
}

type BatchWithRecords = Pick<RecordBatchHeader, 'attributes' | 'baseOffset' | 'producerId' | 'producerEpoch'> & {
  records: readonly DecodedRecord[];
};

/**
 * The transaction marker a decoded batch holds, or undefined when the batch is a data batch or a control batch of
 * another kind (KRaft's). A marker batch holds exactly one record, as Kafka's `EndTransactionMarker.deserialize`
 * requires; other shapes, or a marker outside a transactional batch, throw ControlRecordError (INVALID_RECORD).
 */
export function readEndTxnMarker(batch: BatchWithRecords): EndTxnMarkerOfBatch | undefined {
  if (!isControlBatch(batch)) return undefined;
  const first = batch.records[0];
  if (first === undefined) throw new ControlRecordError(`the control batch at offset ${batch.baseOffset} holds no record`);
  const record = decodeControlRecord(first);
  if (record.type !== 'COMMIT' && record.type !== 'ABORT') return undefined;
  if (batch.records.length !== 1) {
    throw new ControlRecordError(`the ${record.type} marker batch at offset ${batch.baseOffset} holds ${batch.records.length} records, not 1`);
  }
  if ((batch.attributes & ATTRIBUTE_TRANSACTIONAL) === 0) {
    throw new ControlRecordError(`the ${record.type} marker at offset ${record.offset} is in a batch that is not transactional`);
  }
  const { coordinatorEpoch } = decodeEndTxnMarker(record.value);
  return { type: record.type, producerId: batch.producerId, producerEpoch: batch.producerEpoch, coordinatorEpoch, offset: record.offset };
}
