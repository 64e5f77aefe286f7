/**
 * Kafka RecordBatch v2 header layout (`DefaultRecordBatch.java`, KIP-98). All integers big-endian.
 *
 * ```
 * offset size field
 *  0     8    baseOffset            written by the broker; outside the CRC
 *  8     4    batchLength           bytes after this field
 * 12     4    partitionLeaderEpoch  written by the broker; outside the CRC
 * 16     1    magic = 2
 * 17     4    crc                   CRC-32C of bytes 21..end
 * 21     2    attributes            see ATTRIBUTE_* below
 * 23     4    lastOffsetDelta
 * 27     8    baseTimestamp
 * 35     8    maxTimestamp
 * 43     8    producerId
 * 51     2    producerEpoch
 * 53     4    baseSequence
 * 57     4    recordsCount
 * 61     ...  records (one compressed block when the codec is not none)
 * ```
 */
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** baseOffset + batchLength: the bytes before what `batchLength` counts (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** Size of a batch with no records (Kafka's RECORD_BATCH_OVERHEAD); no valid batch is smaller. */
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
/** The smallest legal `batchLength`. */
export const MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;
export const MAGIC_V2 = 2;

export const ATTRIBUTE_COMPRESSION_MASK = 0x07;
export const ATTRIBUTE_TIMESTAMP_TYPE = 0x08;
export const ATTRIBUTE_TRANSACTIONAL = 0x10;
export const ATTRIBUTE_CONTROL = 0x20;
/** Set by compaction once a batch's delete horizon is in baseTimestamp (KIP-534). */
export const ATTRIBUTE_DELETE_HORIZON = 0x40;

/** Kafka's "no producer id / epoch / sequence" and "no leader epoch" sentinels. */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
/** Kafka's RecordBatch.NO_TIMESTAMP. */
export const NO_TIMESTAMP = -1;

/** Compression codec ids in the low three attribute bits (`CompressionType.java`). */
export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number];

export function compressionCodecName(attributes: number): CompressionCodec | null {
  return COMPRESSION_CODECS[attributes & ATTRIBUTE_COMPRESSION_MASK] ?? null;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export function timestampTypeOf(attributes: number): TimestampType {
  return attributes & ATTRIBUTE_TIMESTAMP_TYPE ? 'LogAppendTime' : 'CreateTime';
}

/**
 * The smallest possible encoded record: length, attributes, timestampDelta, offsetDelta, keyLength,
 * valueLength and headerCount, one byte each. Bounds how many records a byte range can hold.
 */
export const MIN_RECORD_SIZE = 7;
/** The smallest possible header: a key length and a value length of one byte each. */
export const MIN_HEADER_SIZE = 2;
