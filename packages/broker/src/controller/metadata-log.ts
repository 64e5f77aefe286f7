/**
 * The controller's metadata log: records are stored as Kafka record batches in the `__cluster_metadata`
 * partition of the controller's data directory, one batch per command, so a command's records are recovered
 * all or nothing (the batch CRC covers them all). Keys are the record type, values JSON: metadata is small
 * and rare, and a readable log helps whoever debugs it.
 */
import { decodeRecordBatches, encodeRecordBatch } from '@kactor/protocol';
import type { PartitionLog } from '@kactor/storage';
import type { MetadataLog } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';

export const METADATA_TOPIC = '__cluster_metadata';
export const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
/** Upper bound on one read while replaying, so a large log is read in pieces. */
const replayReadBytes = 4 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMetadataBatch(records: readonly MetadataRecord[], timestampMs: number): Uint8Array {
  return encodeRecordBatch({
    records: records.map((record) => ({
      key: encoder.encode(record.type),
      value: encoder.encode(JSON.stringify(record)),
      headers: [],
      timestamp: timestampMs,
    })),
  });
}

/**
 * Appends one command's records; returns the offset of the first. `whenFull`: `refuse` throws
 * KafkaStorageError when they cannot be written now (what a client was promised), `defer` lets them wait for
 * space (the brokers' lifecycle; see metadata-log-writer.ts).
 */
export function appendMetadataRecords(log: MetadataLog, records: readonly MetadataRecord[], timestampMs: number, whenFull: 'refuse' | 'defer'): number {
  if (records.length === 0) return log.logEndOffset;
  const batch = encodeMetadataBatch(records, timestampMs);
  const options = { leaderEpoch: 0, recordCount: records.length };
  return (whenFull === 'refuse' ? log.append(batch, options) : log.appendOrDefer(batch, options)).baseOffset;
}

/**
 * Reads the metadata records of the log, in order, with their offsets: by default all of them, or those in
 * [fromOffset, toOffset) (a quorum replica reads up to its high watermark, the committed part). Control batches
 * (the Raft leader's LeaderChangeMessage, snapshot markers: KIP-595, KIP-630) carry the log's own bookkeeping, not
 * metadata, and are skipped as a consumer skips them.
 */
export function readMetadataRecords(
  log: Pick<PartitionLog, 'logStartOffset' | 'logEndOffset' | 'read'>,
  range: { readonly fromOffset?: number; readonly toOffset?: number } = {},
): Array<{ offset: number; record: MetadataRecord }> {
  const records: Array<{ offset: number; record: MetadataRecord }> = [];
  const end = Math.min(range.toOffset ?? log.logEndOffset, log.logEndOffset);
  let offset = Math.max(range.fromOffset ?? log.logStartOffset, log.logStartOffset);
  while (offset < end) {
    // Read whole batches up to the log end (a read bounded at `end` leaves out a batch that straddles it) and keep
    // only the records below `end`.
    const { records: bytes } = log.read(offset, replayReadBytes, log.logEndOffset);
    const before = offset;
    for (const batch of decodeRecordBatches(bytes).batches) {
      const batchEnd = batch.baseOffset + batch.lastOffsetDelta + 1;
      if (!batch.isControl) {
        for (const record of batch.records) {
          if (record.offset < offset || record.offset >= end || record.value === null) continue;
          records.push({ offset: record.offset, record: JSON.parse(decoder.decode(record.value)) as MetadataRecord });
        }
      }
      offset = Math.max(offset, Math.min(batchEnd, end));
    }
    if (offset === before) throw new Error(`metadata log made no progress reading at offset ${offset}`);
  }
  return records;
}
