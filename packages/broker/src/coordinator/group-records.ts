/**
 * The records a group coordinator writes to its `__consumer_offsets` partition (their types and Kafka byte
 * layout live in @kactor/protocol). Replaying a partition's records in order rebuilds its groups and
 * committed offsets (group-replay.ts); this module reads and writes them as record batches.
 */
import type { GroupRecord } from '@kactor/protocol';
import { decodeGroupRecord, decodeRecordBatches, encodeGroupRecordKey, encodeGroupRecordValue, encodeRecordBatch } from '@kactor/protocol';
import type { PartitionLog } from '@kactor/storage';

export type { GroupMetadataMember, GroupMetadataValue, GroupRecord } from '@kactor/protocol';

/** Upper bound on one read while loading, so a large partition is read in pieces (one per turn of the clock). */
export const LOAD_READ_BYTES = 4 * 1024 * 1024;

/** One command's records as one batch, so they are recovered together or not at all. */
export function encodeGroupRecordBatch(records: readonly GroupRecord[], timestampMs: number): Uint8Array {
  return encodeRecordBatch({
    records: records.map((record) => ({ key: encodeGroupRecordKey(record), value: encodeGroupRecordValue(record), headers: [], timestamp: timestampMs })),
  });
}

export interface GroupRecordChunk {
  records: GroupRecord[];
  /** Where the next chunk starts. */
  nextOffset: number;
  /** Whether `endOffset` was reached (or the log holds nothing more to read below it). */
  done: boolean;
}

/**
 * One read of at most `LOAD_READ_BYTES` from `fromOffset` towards `endOffset`: a coordinator loads its partition chunk by
 * chunk (Kafka's CoordinatorLoaderImpl reads `loadBufferSize` at a time), so a large partition does not hold up the node.
 */
export function readGroupRecordChunk(log: PartitionLog, fromOffset: number, endOffset: number): GroupRecordChunk {
  const records: GroupRecord[] = [];
  let offset = Math.max(fromOffset, log.logStartOffset);
  if (offset >= endOffset) return { records, nextOffset: offset, done: true };
  const { records: bytes } = log.read(offset, LOAD_READ_BYTES, endOffset);
  const before = offset;
  for (const batch of decodeRecordBatches(bytes).batches) {
    for (const record of batch.records) {
      if (record.offset < offset || record.key === null) continue;
      const decoded = decodeGroupRecord(record.key, record.value);
      if (decoded.ok) records.push(decoded.record);
      offset = record.offset + 1;
    }
    offset = Math.max(offset, batch.lastOffset + 1);
  }
  return { records, nextOffset: offset, done: offset >= endOffset || offset === before };
}
