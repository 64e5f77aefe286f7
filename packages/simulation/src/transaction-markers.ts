/**
 * How many transactions a partition's log closed with a COMMIT and with an ABORT marker (KIP-98 control batches), read
 * from one replica's log: the figures of a transactional run, counting the transactions coordinators aborted for dead or
 * fenced producers as well as those their producers aborted.
 */
import type { PartitionLog } from '@kactor/storage';
import { decodeRecordBatches, readEndTxnMarker } from '@kactor/protocol';

const READ_CHUNK_BYTES = 1 << 20;

export interface TransactionMarkerCounts {
  commits: number;
  aborts: number;
}

export function countTransactionMarkers(log: Pick<PartitionLog, 'logStartOffset' | 'logEndOffset' | 'read'>): TransactionMarkerCounts {
  const counts: TransactionMarkerCounts = { commits: 0, aborts: 0 };
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const batches = decodeRecordBatches(log.read(next, READ_CHUNK_BYTES, log.logEndOffset).records).batches;
    if (batches.length === 0) break;
    for (const batch of batches) {
      const marker = readEndTxnMarker(batch);
      if (marker?.type === 'COMMIT') counts.commits += 1;
      if (marker?.type === 'ABORT') counts.aborts += 1;
      next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1);
    }
  }
  return counts;
}
