/**
 * Kafka's RecordBatch v2 format (KIP-98): encode, decode, validate, and patch stored batches in place.
 *
 * ```ts
 * const bytes = encodeRecordBatch({ records: [{ key: null, value: utf8('hi'), timestamp: clock.now() }] });
 * const check = validateRecordBatches(bytes, { maxBatchBytes: 1_048_588 });
 * if (!check.ok) return { errorCode: check.error };
 * setBaseOffset(bytes, 0, logEndOffset); // outside the CRC: the batch stays valid
 * for (const batch of decodeRecordBatches(fetched).batches) for (const record of batch.records) use(record);
 * ```
 */
export { crc32c, updateCrc32c } from './crc32c.js';
export { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';
export type { ByteCursor } from './varint.js';
export {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORDS_COUNT_OFFSET,
  RECORDS_OFFSET,
  ATTRIBUTE_COMPRESSION_MASK,
  ATTRIBUTE_CONTROL,
  ATTRIBUTE_DELETE_HORIZON,
  ATTRIBUTE_TIMESTAMP_TYPE,
  ATTRIBUTE_TRANSACTIONAL,
  COMPRESSION_CODECS,
  LOG_OVERHEAD,
  MAGIC_V2,
  MIN_BATCH_LENGTH,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  compressionCodecName,
  timestampTypeOf,
} from './batch-layout.js';
export type { CompressionCodec, TimestampType } from './batch-layout.js';
export {
  computeBatchCrc,
  readBaseOffset,
  readBatchHeader,
  readBatchSize,
  readLastOffsetDelta,
  setBaseOffset,
  setPartitionLeaderEpoch,
  verifyBatchCrc,
} from './batch-header.js';
export type { RecordBatchHeader } from './batch-header.js';
export { encodeRecordBatch } from './record-batch.js';
export type { EncodeRecordBatchOptions, RecordHeaderInput, RecordInput } from './record-batch.js';
export { decodeRecordBatches } from './decode-record-batches.js';
export type {
  DecodeRecordBatchesOptions,
  DecodeRecordBatchesResult,
  DecodedRecordBatch,
} from './decode-record-batches.js';
export type { DecodedHeader, DecodedRecord } from './record-reader.js';
export { validateRecordBatches } from './validate-record-batches.js';
export type {
  RejectedRecordBatches,
  ValidateRecordBatchesOptions,
  ValidateRecordBatchesResult,
  ValidatedRecordBatches,
} from './validate-record-batches.js';
export { MAX_DECOMPRESSED_BATCH_BYTES } from './compression.js';
export type { RecordBatchErrorName, RecordBatchProblem } from './record-errors.js';
export {
  CONTROL_RECORD_KEY_SIZE,
  CONTROL_RECORD_KEY_VERSION,
  CONTROL_RECORD_TYPES,
  ControlRecordError,
  decodeControlBatch,
  decodeControlRecord,
  decodeControlRecordKey,
  encodeControlBatch,
  encodeControlRecordKey,
  isControlBatch,
} from './control-records.js';
export type {
  ControlRecordInput,
  ControlRecordKey,
  ControlRecordTypeName,
  DecodedControlRecord,
  EncodeControlBatchOptions,
} from './control-records.js';
export {
  LEADER_CHANGE_MESSAGE_VERSION,
  decodeLeaderChangeMessage,
  encodeLeaderChangeBatch,
  encodeLeaderChangeMessage,
} from './leader-change-message.js';
export type { EncodeLeaderChangeBatchOptions, LeaderChangeMessage, LeaderChangeVoter } from './leader-change-message.js';
export {
  END_TXN_MARKER_VERSION,
  decodeEndTxnMarker,
  decodeKRaftVersionRecord,
  decodeSnapshotFooterRecord,
  decodeSnapshotHeaderRecord,
  encodeEndTxnMarker,
  encodeKRaftVersionRecord,
  encodeSnapshotFooterRecord,
  encodeSnapshotHeaderRecord,
} from './control-messages.js';
export type { EndTxnMarker, KRaftVersionRecord, SnapshotFooterRecord, SnapshotHeaderRecord } from './control-messages.js';
export { encodeEndTxnMarkerBatch, readEndTxnMarker } from './end-txn-marker-batch.js';
export type { EncodeEndTxnMarkerBatchOptions, EndTxnMarkerOfBatch, TxnMarkerType } from './end-txn-marker-batch.js';
