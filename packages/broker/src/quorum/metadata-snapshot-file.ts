/**
 * A metadata snapshot's bytes (KIP-630; Kafka's RecordsSnapshotWriter/RecordsSnapshotReader): record batches whose
 * offsets start at 0 and whose partition leader epoch is the snapshot's epoch, a SnapshotHeader control record first
 * (version 0, the timestamp of the last record the snapshot contains), the metadata records in batches of at most
 * SNAPSHOT_RECORDS_PER_BATCH, and a SnapshotFooter control record last. Records are the metadata log's own (key the
 * record type, value its JSON: controller/metadata-log.ts), so a snapshot reads as the log reads.
 */
import {
  CONTROL_RECORD_TYPES,
  decodeControlBatch,
  decodeRecordBatches,
  decodeSnapshotHeaderRecord,
  encodeControlBatch,
  encodeRecordBatch,
  encodeSnapshotFooterRecord,
  encodeSnapshotHeaderRecord,
} from '@kactor/protocol';
import { MAX_SNAPSHOT_READ_BYTES, type SnapshotId, type SnapshotStore } from '@kactor/storage';
import type { MetadataRecord } from '../controller/metadata-records.js';

/** Records per data batch of a snapshot (Kafka's writer fills batches up to a byte size; a count keeps them small too). */
export const SNAPSHOT_RECORDS_PER_BATCH = 1_000;

/** A snapshot whose bytes break the format (no header first, no footer last, a torn or corrupt batch). */
export class MetadataSnapshotFormatError extends Error {
  override readonly name = 'MetadataSnapshotFormatError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface MetadataSnapshotContent {
  readonly id: SnapshotId;
  readonly records: readonly MetadataRecord[];
  /** The injected clock's time, the batches' timestamps. */
  readonly timestampMs: number;
  /** The append time of the last record below the snapshot's end offset (the header's LastContainedLogTimestamp). */
  readonly lastContainedLogTimestampMs: number;
}

/** The batches of a snapshot, in the order they are written. */
export function encodeMetadataSnapshot(content: MetadataSnapshotContent): Uint8Array[] {
  const epoch = content.id.epoch;
  let offset = 0;
  const header = encodeControlBatch({
    records: [{ type: 'SNAPSHOT_HEADER', value: encodeSnapshotHeaderRecord({ version: 0, lastContainedLogTimestampMs: content.lastContainedLogTimestampMs }) }],
    timestampMs: content.timestampMs,
    baseOffset: offset++,
    partitionLeaderEpoch: epoch,
  });
  const batches = [header];
  for (let start = 0; start < content.records.length; start += SNAPSHOT_RECORDS_PER_BATCH) {
    const slice = content.records.slice(start, start + SNAPSHOT_RECORDS_PER_BATCH);
    batches.push(
      encodeRecordBatch({
        baseOffset: offset,
        partitionLeaderEpoch: epoch,
        records: slice.map((record) => ({ key: encoder.encode(record.type), value: encoder.encode(JSON.stringify(record)), headers: [], timestamp: content.timestampMs })),
      }),
    );
    offset += slice.length;
  }
  batches.push(encodeControlBatch({ records: [{ type: 'SNAPSHOT_FOOTER', value: encodeSnapshotFooterRecord({ version: 0 }) }], timestampMs: content.timestampMs, baseOffset: offset, partitionLeaderEpoch: epoch }));
  return batches;
}

/** Writes a snapshot to `store` atomically (its writer's freeze); the snapshot stays absent if a write fails. */
export function writeMetadataSnapshot(store: SnapshotStore, content: MetadataSnapshotContent): number {
  const writer = store.createWriter(content.id);
  try {
    for (const batch of encodeMetadataSnapshot(content)) writer.append(batch);
    const size = writer.sizeBytes;
    writer.freeze();
    return size;
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** The metadata records of a snapshot's bytes, checking the header comes first and the footer last. */
export function decodeMetadataSnapshot(bytes: Uint8Array): { records: MetadataRecord[]; lastContainedLogTimestampMs: number } {
  const decoded = decodeRecordBatches(bytes);
  if (decoded.problem !== null || decoded.partialTrailingBytes > 0) throw new MetadataSnapshotFormatError(`a snapshot batch is torn or corrupt: ${decoded.problem?.message ?? `${decoded.partialTrailingBytes} trailing bytes`}`);
  const batches = decoded.batches;
  const first = batches[0];
  const last = batches.at(-1);
  if (first === undefined || last === undefined || batches.length < 2) throw new MetadataSnapshotFormatError('a snapshot needs a header batch and a footer batch');
  const header = first.isControl ? decodeControlBatch(first)[0] : undefined;
  if (header?.typeId !== CONTROL_RECORD_TYPES.SNAPSHOT_HEADER) throw new MetadataSnapshotFormatError('a snapshot must start with a SnapshotHeader control record');
  const footer = last.isControl ? decodeControlBatch(last).at(-1) : undefined;
  if (footer?.typeId !== CONTROL_RECORD_TYPES.SNAPSHOT_FOOTER) throw new MetadataSnapshotFormatError('a snapshot must end with a SnapshotFooter control record');
  const records: MetadataRecord[] = [];
  for (const batch of batches.slice(1, -1)) {
    if (batch.isControl) continue;
    for (const record of batch.records) {
      if (record.value !== null) records.push(JSON.parse(decoder.decode(record.value)) as MetadataRecord);
    }
  }
  return { records, lastContainedLogTimestampMs: decodeSnapshotHeaderRecord(header.value).lastContainedLogTimestampMs };
}

/** A stored snapshot's whole bytes, read in bounded pieces. */
export function readSnapshotBytes(store: SnapshotStore, id: SnapshotId): Uint8Array {
  const size = store.sizeBytes(id);
  const bytes = new Uint8Array(size);
  for (let position = 0; position < size; ) {
    const chunk = store.read(id, position, MAX_SNAPSHOT_READ_BYTES);
    if (chunk.length === 0) throw new MetadataSnapshotFormatError(`snapshot ended at ${position} of ${size} bytes`);
    bytes.set(chunk, position);
    position += chunk.length;
  }
  return bytes;
}
