/**
 * Reading and patching a stored batch's header in place. The broker and the log use these: they
 * never decode records, only stamp `baseOffset` and `partitionLeaderEpoch` (both outside the CRC, so
 * the producer's CRC stays valid) and walk batches by their lengths.
 */
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  MIN_BATCH_LENGTH,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
} from './batch-layout.js';
import { readInt16BE, readInt32BE, readInt64BE, readInt8, readUInt32BE, writeInt32BE, writeInt64BE } from './bytes.js';
import { crc32c } from './crc32c.js';

export interface RecordBatchHeader {
  baseOffset: number;
  /** Bytes after the length field. */
  batchLength: number;
  /** The whole batch: `batchLength + 12`. */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** The stored CRC-32C (unsigned). */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  /** `baseOffset + lastOffsetDelta`. */
  lastOffset: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/**
 * Reads the fixed header of the batch at `position`. Returns null when fewer than 61 bytes remain;
 * it does not check that the rest of the batch is present or valid (see `verifyBatchCrc`).
 */
export function readBatchHeader(bytes: Uint8Array, position = 0): RecordBatchHeader | null {
  if (position < 0 || position + RECORD_BATCH_OVERHEAD > bytes.length) return null;
  const baseOffset = readInt64BE(bytes, position + BASE_OFFSET_OFFSET);
  const batchLength = readInt32BE(bytes, position + BATCH_LENGTH_OFFSET);
  const lastOffsetDelta = readInt32BE(bytes, position + LAST_OFFSET_DELTA_OFFSET);
  return {
    baseOffset,
    batchLength,
    sizeInBytes: batchLength + LOG_OVERHEAD,
    partitionLeaderEpoch: readInt32BE(bytes, position + PARTITION_LEADER_EPOCH_OFFSET),
    magic: readInt8(bytes, position + MAGIC_OFFSET),
    crc: readUInt32BE(bytes, position + CRC_OFFSET),
    attributes: readInt16BE(bytes, position + ATTRIBUTES_OFFSET) & 0xffff,
    lastOffsetDelta,
    lastOffset: baseOffset + lastOffsetDelta,
    baseTimestamp: readInt64BE(bytes, position + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: readInt64BE(bytes, position + MAX_TIMESTAMP_OFFSET),
    producerId: readInt64BE(bytes, position + PRODUCER_ID_OFFSET),
    producerEpoch: readInt16BE(bytes, position + PRODUCER_EPOCH_OFFSET),
    baseSequence: readInt32BE(bytes, position + BASE_SEQUENCE_OFFSET),
    recordsCount: readInt32BE(bytes, position + RECORDS_COUNT_OFFSET),
  };
}

/** `batchLength + 12` of the batch at `position` (the caller checks 12 bytes are there). */
export function readBatchSize(bytes: Uint8Array, position: number): number {
  return readInt32BE(bytes, position + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
}

export function readBaseOffset(bytes: Uint8Array, position: number): number {
  return readInt64BE(bytes, position + BASE_OFFSET_OFFSET);
}

/** lastOffsetDelta of the batch at `position` (the caller checks 27 bytes are there). */
export function readLastOffsetDelta(bytes: Uint8Array, position: number): number {
  return readInt32BE(bytes, position + LAST_OFFSET_DELTA_OFFSET);
}

/** Overwrites the batch's baseOffset; outside the CRC, so the batch stays valid. */
export function setBaseOffset(bytes: Uint8Array, position: number, offset: number): void {
  writeInt64BE(bytes, position + BASE_OFFSET_OFFSET, offset);
}

/** Overwrites the batch's partitionLeaderEpoch; outside the CRC, so the batch stays valid. */
export function setPartitionLeaderEpoch(bytes: Uint8Array, position: number, epoch: number): void {
  writeInt32BE(bytes, position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
}

/** CRC-32C over attributes..end of a batch of `sizeInBytes` at `position`. */
export function computeBatchCrc(bytes: Uint8Array, position: number, sizeInBytes: number): number {
  return crc32c(bytes, position + ATTRIBUTES_OFFSET, position + sizeInBytes);
}

/**
 * Whether the batch at `position` is whole within `bytes`, has a plausible length, and its stored CRC
 * matches its content. False (never an exception) for anything else.
 */
export function verifyBatchCrc(bytes: Uint8Array, position: number): boolean {
  if (position < 0 || position + RECORD_BATCH_OVERHEAD > bytes.length) return false;
  const batchLength = readInt32BE(bytes, position + BATCH_LENGTH_OFFSET);
  if (batchLength < MIN_BATCH_LENGTH || position + LOG_OVERHEAD + batchLength > bytes.length) return false;
  const stored = readUInt32BE(bytes, position + CRC_OFFSET);
  return stored === computeBatchCrc(bytes, position, batchLength + LOG_OVERHEAD);
}
