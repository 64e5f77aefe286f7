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

/** Reads every record of the log, in order, with its offset. */
export function readMetadataRecords(log: Pick<PartitionLog, 'logStartOffset' | 'logEndOffset' | 'read'>): Array<{ offset: number; record: MetadataRecord }> {
  const records: Array<{ offset: number; record: MetadataRecord }> = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records: bytes } = log.read(offset, replayReadBytes, log.logEndOffset);
    const before = offset;
    for (const batch of decodeRecordBatches(bytes).batches) {
      for (const record of batch.records) {
        if (record.offset < offset || record.value === null) continue;
        records.push({ offset: record.offset, record: JSON.parse(decoder.decode(record.value)) as MetadataRecord });
        offset = record.offset + 1;
      }
    }
    if (offset === before) throw new Error(`metadata log made no progress reading at offset ${offset}`);
  }
  return records;
}
