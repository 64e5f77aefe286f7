/**
 * Encodes one Kafka RecordBatch v2 (layout in `batch-layout.ts`, records in `record-reader.ts`), byte
 * for byte what Kafka's `MemoryRecordsBuilder` produces for the same input (see the golden test).
 * Uncompressed batches are sized first and written into one allocation; the CRC is computed last.
 */
import {
  ATTRIBUTE_CONTROL,
  ATTRIBUTE_TRANSACTIONAL,
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MAX_TIMESTAMP_OFFSET,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
} from './batch-layout.js';
import { writeInt16BE, writeInt32BE, writeInt64BE, writeInt8 } from './bytes.js';
import { compressRecords } from './compression.js';
import { COMPRESSION_CODECS, type CompressionCodec } from './batch-layout.js';
import { crc32c } from './crc32c.js';
import { utf8Length, writeUtf8 } from './utf8.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeaderInput {
  key: string;
  value: Uint8Array | null;
}

export interface RecordInput {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: readonly RecordHeaderInput[];
  /** CreateTime, milliseconds since the epoch. */
  timestamp: number;
}

export interface EncodeRecordBatchOptions {
  records: readonly RecordInput[];
  /** 0 from producers: the partition leader assigns the real offset. */
  baseOffset?: number;
  /** -1 from producers: the partition leader stamps its epoch. */
  partitionLeaderEpoch?: number;
  /** -1 unless idempotent (KIP-98). */
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  /**
   * Sets the control bit (attribute bit 5): the records are control records (transaction markers, KRaft's
   * LeaderChangeMessage and friends), which consumers skip. Use `encodeControlBatch` rather than this directly.
   */
  isControl?: boolean;
  /** The records block's codec (Kafka's compression.type); `zstd` needs a Node whose zlib has zstd (22.15 and later). */
  compression?: CompressionCodec;
}

const INT32_MAX = 0x7fff_ffff;

function sizeOfNullableBytes(value: Uint8Array | null): number {
  return value === null ? sizeOfVarint(-1) : sizeOfVarint(value.length) + value.length;
}

function writeNullableBytes(bytes: Uint8Array, position: number, value: Uint8Array | null): number {
  if (value === null) return writeVarint(bytes, position, -1);
  const p = writeVarint(bytes, position, value.length);
  bytes.set(value, p);
  return p + value.length;
}

/** Size of a record's body (everything after its length varint). */
function sizeOfRecordBody(record: RecordInput, offsetDelta: number, timestampDelta: number): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  size += sizeOfNullableBytes(record.key) + sizeOfNullableBytes(record.value);
  const headers = record.headers ?? [];
  size += sizeOfVarint(headers.length);
  for (const header of headers) {
    const keyLength = utf8Length(header.key);
    size += sizeOfVarint(keyLength) + keyLength + sizeOfNullableBytes(header.value);
  }
  return size;
}

function writeRecord(
  bytes: Uint8Array,
  position: number,
  record: RecordInput,
  bodySize: number,
  offsetDelta: number,
  timestampDelta: number,
): number {
  let p = writeVarint(bytes, position, bodySize);
  bytes[p++] = 0; // record attributes: unused in v2
  p = writeVarlong(bytes, p, timestampDelta);
  p = writeVarint(bytes, p, offsetDelta);
  p = writeNullableBytes(bytes, p, record.key);
  p = writeNullableBytes(bytes, p, record.value);
  const headers = record.headers ?? [];
  p = writeVarint(bytes, p, headers.length);
  for (const header of headers) {
    p = writeVarint(bytes, p, utf8Length(header.key));
    p = writeUtf8(bytes, p, header.key);
    p = writeNullableBytes(bytes, p, header.value);
  }
  return p;
}

function checkOptions(options: EncodeRecordBatchOptions): void {
  const count = options.records.length;
  if (count === 0) throw new RangeError('a record batch needs at least one record');
  if (count > INT32_MAX) throw new RangeError(`a record batch holds at most ${INT32_MAX} records`);
  for (const record of options.records) {
    if (!Number.isSafeInteger(record.timestamp)) throw new RangeError(`record timestamp ${record.timestamp} is not an integer`);
  }
}

/**
 * Encodes `records` as one RecordBatch v2 with CreateTime timestamps. The batch's baseTimestamp is the
 * first record's timestamp and maxTimestamp the largest (deltas may be negative), as in Kafka.
 */
export function encodeRecordBatch(options: EncodeRecordBatchOptions): Uint8Array {
  checkOptions(options);
  const { records } = options;
  const baseTimestamp = records[0]!.timestamp;
  let maxTimestamp = baseTimestamp;
  const bodySizes = new Int32Array(records.length);
  let recordsSize = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp;
    const bodySize = sizeOfRecordBody(record, i, record.timestamp - baseTimestamp);
    bodySizes[i] = bodySize;
    recordsSize += sizeOfVarint(bodySize) + bodySize;
  }
  const compression = options.compression ?? 'none';
  const recordsBlock = compression === 'none' ? null : new Uint8Array(recordsSize);
  const batch = new Uint8Array(RECORD_BATCH_OVERHEAD + (recordsBlock === null ? recordsSize : 0));
  const target = recordsBlock ?? batch;
  let p = recordsBlock === null ? RECORD_BATCH_OVERHEAD : 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    p = writeRecord(target, p, record, bodySizes[i]!, i, record.timestamp - baseTimestamp);
  }
  const bytes = recordsBlock === null || compression === 'none' ? batch : withRecordsBlock(compressRecords(compression, recordsBlock));
  writeHeader(bytes, options, {
    attributes: COMPRESSION_CODECS.indexOf(compression) | (options.isTransactional ? ATTRIBUTE_TRANSACTIONAL : 0) |
      (options.isControl ? ATTRIBUTE_CONTROL : 0),
    lastOffsetDelta: records.length - 1,
    baseTimestamp,
    maxTimestamp,
  });
  return bytes;
}

function withRecordsBlock(block: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(RECORD_BATCH_OVERHEAD + block.length);
  bytes.set(block, RECORD_BATCH_OVERHEAD);
  return bytes;
}

function writeHeader(
  bytes: Uint8Array,
  options: EncodeRecordBatchOptions,
  computed: { attributes: number; lastOffsetDelta: number; baseTimestamp: number; maxTimestamp: number },
): void {
  writeInt64BE(bytes, 0, options.baseOffset ?? 0);
  writeInt32BE(bytes, BATCH_LENGTH_OFFSET, bytes.length - LOG_OVERHEAD);
  writeInt32BE(bytes, PARTITION_LEADER_EPOCH_OFFSET, options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH);
  writeInt8(bytes, MAGIC_OFFSET, MAGIC_V2);
  writeInt16BE(bytes, ATTRIBUTES_OFFSET, computed.attributes);
  writeInt32BE(bytes, LAST_OFFSET_DELTA_OFFSET, computed.lastOffsetDelta);
  writeInt64BE(bytes, BASE_TIMESTAMP_OFFSET, computed.baseTimestamp);
  writeInt64BE(bytes, MAX_TIMESTAMP_OFFSET, computed.maxTimestamp);
  writeInt64BE(bytes, PRODUCER_ID_OFFSET, options.producerId ?? NO_PRODUCER_ID);
  writeInt16BE(bytes, PRODUCER_EPOCH_OFFSET, options.producerEpoch ?? NO_PRODUCER_EPOCH);
  writeInt32BE(bytes, BASE_SEQUENCE_OFFSET, options.baseSequence ?? NO_SEQUENCE);
  writeInt32BE(bytes, RECORDS_COUNT_OFFSET, options.records.length);
  writeInt32BE(bytes, CRC_OFFSET, crc32c(bytes, ATTRIBUTES_OFFSET, bytes.length));
}
