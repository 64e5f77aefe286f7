/**
 * The one change the log makes to appended batches: their base offset and leader epoch, both outside
 * the CRC, so the producer's checksum stays valid (Kafka's in-place offset assignment). And the checks
 * of a follower append, whose batches keep the leader's offsets and epochs.
 */
import {
  RECORD_BATCH_OVERHEAD,
  readBaseOffset,
  readBatchHeader,
  readBatchSize,
  readLastOffsetDelta,
  setBaseOffset,
  setPartitionLeaderEpoch,
} from '@kactor/protocol';
import type { Clock } from '@kactor/runtime';
import { InvalidAppendError, RecordBatchTooLargeError, UnexpectedAppendOffsetError } from './errors.js';
import type { LeaderEpochCache } from './leader-epoch-cache.js';
import type { LogConfig } from './log.js';

/**
 * Walks concatenated batches, checking each is whole and has a sane last offset delta, and calls `visit`
 * with its position and delta. The one walk both appends share, so both refuse the same bad bytes alike.
 */
function forEachWholeBatch(batches: Uint8Array, visit: (position: number, lastOffsetDelta: number) => void): void {
  if (batches.length === 0) throw new InvalidAppendError('nothing to append');
  for (let position = 0; position < batches.length; ) {
    const remaining = batches.length - position;
    const size = remaining >= RECORD_BATCH_OVERHEAD ? readBatchSize(batches, position) : -1;
    if (size < RECORD_BATCH_OVERHEAD || size > remaining) {
      throw new InvalidAppendError(`the bytes at position ${position} are not a whole record batch`);
    }
    const lastOffsetDelta = readLastOffsetDelta(batches, position);
    if (lastOffsetDelta < 0) throw new InvalidAppendError(`the batch at position ${position} has lastOffsetDelta ${lastOffsetDelta}`);
    visit(position, lastOffsetDelta);
    position += size;
  }
}

/**
 * Walks the concatenated batches, checking they are whole, and stamps each with its base offset and
 * the leader epoch in place (both outside the CRC). Returns the last offset.
 */
export function stampBatches(batches: Uint8Array, baseOffset: number, leaderEpoch: number): number {
  let nextOffset = baseOffset;
  forEachWholeBatch(batches, (position, lastOffsetDelta) => {
    setBaseOffset(batches, position, nextOffset);
    setPartitionLeaderEpoch(batches, position, leaderEpoch);
    nextOffset += lastOffsetDelta + 1;
  });
  return nextOffset - 1;
}

/**
 * What every log does before it writes an append: stamps the batches, refuses an append larger than a
 * whole segment (Kafka's RECORD_LIST_TOO_LARGE), and reads the append time once.
 */
export function prepareAppend(
  batches: Uint8Array,
  baseOffset: number,
  leaderEpoch: number,
  config: LogConfig,
  clock: Clock,
): { lastOffset: number; appendTimeMs: number } {
  const lastOffset = stampBatches(batches, baseOffset, leaderEpoch);
  if (batches.length > config.segmentBytes) throw new RecordBatchTooLargeError(batches.length, config.segmentBytes);
  return { lastOffset, appendTimeMs: clock.now() };
}

/**
 * Checks a follower append (Kafka's append with the leader's offsets, `validateAndAssignOffsets = false`):
 * whole batches, the first starting at the log end offset and each right after the one before, so the
 * log keeps the leader's offsets and epochs untouched. Returns the last offset.
 */
export function checkFollowerBatches(
  batches: Uint8Array,
  logEndOffset: number,
  log: { topic: string; partition: number },
): number {
  let nextOffset = logEndOffset;
  forEachWholeBatch(batches, (position, lastOffsetDelta) => {
    const baseOffset = readBaseOffset(batches, position);
    if (baseOffset !== nextOffset) throw new UnexpectedAppendOffsetError(log.topic, log.partition, nextOffset, baseOffset);
    nextOffset += lastOffsetDelta + 1;
  });
  return nextOffset - 1;
}

/** What every log does before it writes a follower append: the checks above, the segment size limit, the time. */
export function prepareFollowerAppend(
  batches: Uint8Array,
  logEndOffset: number,
  log: { topic: string; partition: number; config: LogConfig },
  clock: Clock,
): { lastOffset: number; appendTimeMs: number } {
  const lastOffset = checkFollowerBatches(batches, logEndOffset, log);
  if (batches.length > log.config.segmentBytes) throw new RecordBatchTooLargeError(batches.length, log.config.segmentBytes);
  return { lastOffset, appendTimeMs: clock.now() };
}

/**
 * Records in the cache where each epoch of checked follower batches begins (Kafka's
 * `maybeAssignEpochStartOffset` for each batch); batches without an epoch (-1) are skipped.
 */
export function assignBatchEpochs(batches: Uint8Array, cache: LeaderEpochCache): void {
  for (let position = 0; position < batches.length; ) {
    const header = readBatchHeader(batches, position)!;
    if (header.partitionLeaderEpoch >= 0) cache.assign(header.partitionLeaderEpoch, header.baseOffset);
    position += header.sizeInBytes;
  }
}
