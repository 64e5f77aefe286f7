/**
 * Replicas diverging below the high watermark: every replica of a partition must hold the same records
 * (offset, leader epoch, key, value) below the HW, whatever each holds above it (a follower may lag, a
 * deposed leader may keep a tail it will truncate). Reads through the public log interface
 * (`PartitionLog.read`), from the highest log start of the replicas up to the HW, so it works on any log
 * store. With one replica it compares the partition with itself, which holds trivially.
 */
import { decodeRecordBatches } from '@kactor/protocol';
import type { PartitionLog } from '@kactor/storage';

export interface ReplicaLog {
  brokerId: number;
  log: Pick<PartitionLog, 'logStartOffset' | 'logEndOffset' | 'read'>;
}

export interface ReplicaDivergence {
  /** The replica compared with the first one. */
  brokerId: number;
  referenceBrokerId: number;
  /** The first offset below the HW where they differ. */
  offset: number;
  reason: string;
}

interface ReplicaRecord {
  offset: number;
  leaderEpoch: number;
  key: string;
  value: string;
}

const READ_CHUNK_BYTES = 1 << 20;
const hex = (bytes: Uint8Array | null): string => (bytes === null ? 'null' : Buffer.from(bytes).toString('hex'));

function recordsBelow(replica: ReplicaLog, fromOffset: number, highWatermark: number): ReplicaRecord[] {
  const records: ReplicaRecord[] = [];
  let next = fromOffset;
  while (next < highWatermark && next < replica.log.logEndOffset) {
    const { records: bytes } = replica.log.read(next, READ_CHUNK_BYTES, highWatermark);
    const batches = decodeRecordBatches(bytes).batches;
    if (batches.length === 0) break;
    for (const batch of batches) {
      for (const record of batch.records) {
        if (record.offset >= next && record.offset < highWatermark) records.push({ offset: record.offset, leaderEpoch: batch.partitionLeaderEpoch, key: hex(record.key), value: hex(record.value) });
      }
      next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1);
    }
  }
  return records;
}

/** Where each replica differs from the first below `highWatermark` (at most one finding per replica). */
export function findReplicaDivergence(replicas: readonly ReplicaLog[], highWatermark: number): ReplicaDivergence[] {
  const [reference, ...others] = replicas;
  if (reference === undefined) return [];
  const fromOffset = Math.max(...replicas.map((replica) => replica.log.logStartOffset));
  const expected = recordsBelow(reference, fromOffset, highWatermark);
  const findings: ReplicaDivergence[] = [];
  for (const replica of others) {
    const actual = recordsBelow(replica, fromOffset, highWatermark);
    const length = Math.max(expected.length, actual.length);
    for (let index = 0; index < length; index += 1) {
      const want = expected[index];
      const got = actual[index];
      if (want !== undefined && got !== undefined && JSON.stringify(want) === JSON.stringify(got)) continue;
      const offset = Math.min(want?.offset ?? Infinity, got?.offset ?? Infinity);
      const reason = got === undefined ? 'missing below the HW' : want === undefined ? 'an extra record below the HW' : `differs (${JSON.stringify(got)} vs ${JSON.stringify(want)})`;
      findings.push({ brokerId: replica.brokerId, referenceBrokerId: reference.brokerId, offset, reason });
      break;
    }
  }
  return findings;
}
