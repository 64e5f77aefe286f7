/**
 * The records a group coordinator writes to its `__consumer_offsets` partition (their types and Kafka byte
 * layout live in @kactor/protocol). Replaying a partition's records in order rebuilds its groups and
 * committed offsets (group-replay.ts); the coordinator runtime reads and writes them as record batches.
 */
import type { GroupRecord } from '@kactor/protocol';
import { encodeCoordinatorBatch } from '../coordinator-runtime/coordinator-loader.js';
import { groupRecordSerde } from './group-record-serde.js';

export type { GroupMetadataMember, GroupMetadataValue, GroupRecord } from '@kactor/protocol';
export { LOAD_READ_BYTES } from '../coordinator-runtime/coordinator-loader.js';
export { groupRecordSerde } from './group-record-serde.js';

/** One command's records as one batch, so they are recovered together or not at all. */
export function encodeGroupRecordBatch(records: readonly GroupRecord[], timestampMs: number): Uint8Array {
  return encodeCoordinatorBatch(groupRecordSerde, records, timestampMs);
}
