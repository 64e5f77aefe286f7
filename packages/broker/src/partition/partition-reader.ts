/**
 * Reads from a partition for Fetch and ListOffsets. Reads change no state, so they query the partition
 * actor's snapshot (its state, leader epoch, high watermark) and its log directly instead of sending it an
 * event, as Kafka's `Partition.fetchRecords` is a call rather than a message.
 */
import type { ErrorName } from '@kactor/protocol';
import { decodeRecordBatches, isolationLevels, readBatchHeader, wireLimits } from '@kactor/protocol';
import { OffsetOutOfRangeError } from '@kactor/storage';
import type { PartitionContext } from './partition.machine.js';
import { abortedTransactionsOverlapping, lastStableOffset } from './producer-state.js';

export interface PartitionView {
  /** The partition machine's top-level state. */
  state: string;
  context: PartitionContext;
}

export interface PartitionFetchRequest {
  fetchOffset: number;
  maxBytes: number;
  currentLeaderEpoch: number;
  /** 0 read_uncommitted (up to the high watermark, the default), 1 read_committed (up to the last stable offset). */
  isolationLevel?: 0 | 1;
}

/** An aborted transaction a read_committed consumer must drop (FetchResponse's AbortedTransactions). */
export interface FetchedAbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface PartitionFetchResult {
  errorName: ErrorName;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  records: Uint8Array;
  /** read_committed: the aborted transactions overlapping the returned records (empty when none); null otherwise. */
  abortedTransactions: FetchedAbortedTransaction[] | null;
}

/** The LSO of a partition as its snapshot shows it (KIP-98): never above the high watermark. */
export function partitionLastStableOffset(context: PartitionContext): number {
  return lastStableOffset(context.producerState, context.highWatermark);
}

/** One past the last offset of the whole batches in `records` (`fallback` when there are none). */
function endOfRecords(records: Uint8Array, fallback: number): number {
  let end = fallback;
  let position = 0;
  for (let header = readBatchHeader(records, 0); header !== null; header = readBatchHeader(records, position)) {
    end = header.lastOffset + 1;
    position += header.sizeInBytes;
  }
  return end;
}

const empty = new Uint8Array(0);

/** KIP-320: a client with an older epoch is fenced; one with a newer epoch knows more than this broker does. */
export function leaderEpochProblem(view: PartitionView, currentLeaderEpoch: number): ErrorName | undefined {
  if (view.state !== 'Leader') return 'NOT_LEADER_OR_FOLLOWER';
  if (currentLeaderEpoch === -1 || currentLeaderEpoch === view.context.leaderEpoch) return undefined;
  return currentLeaderEpoch < view.context.leaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
}

/**
 * Results are built field by field (fetchResult) rather than as a spread of a base with fields changed: one is built
 * per partition of every fetch, and on the V8 this runs on a spread with extra fields costs tens of times a literal.
 */
export function fetchFromPartition(view: PartitionView, request: PartitionFetchRequest): PartitionFetchResult {
  const readCommitted = request.isolationLevel === isolationLevels.readCommitted;
  const noneAborted = readCommitted ? [] : null;
  const epochProblem = leaderEpochProblem(view, request.currentLeaderEpoch);
  if (epochProblem !== undefined) return fetchResult(epochProblem, -1, -1, -1, empty, noneAborted);
  const { log } = view.context.ports;
  const highWatermark = view.context.highWatermark;
  const lso = partitionLastStableOffset(view.context);
  const logStartOffset = log.logStartOffset;
  if (request.fetchOffset < logStartOffset || request.fetchOffset > log.logEndOffset) return fetchResult('OFFSET_OUT_OF_RANGE', highWatermark, lso, logStartOffset, empty, noneAborted);
  // Between the high watermark (read_committed: the last stable offset) and the log end there is data consumers may
  // not see yet: answer empty.
  const maxOffset = readCommitted ? lso : highWatermark;
  if (request.fetchOffset >= maxOffset || request.maxBytes <= 0) return fetchResult('NONE', highWatermark, lso, logStartOffset, empty, noneAborted);
  try {
    if (!readCommitted) return fetchResult('NONE', highWatermark, lso, logStartOffset, log.read(request.fetchOffset, request.maxBytes, maxOffset).records, null);
    const { records, abortedTransactions } = readCommittedRecords(view.context, request, maxOffset);
    return fetchResult('NONE', highWatermark, lso, logStartOffset, records, abortedTransactions);
  } catch (error) {
    if (error instanceof OffsetOutOfRangeError) return fetchResult('OFFSET_OUT_OF_RANGE', highWatermark, lso, logStartOffset, empty, noneAborted);
    throw error;
  }
}

function fetchResult(
  errorName: ErrorName,
  highWatermark: number,
  lastStableOffset: number,
  logStartOffset: number,
  records: Uint8Array,
  abortedTransactions: FetchedAbortedTransaction[] | null,
): PartitionFetchResult {
  return { errorName, highWatermark, lastStableOffset, logStartOffset, records, abortedTransactions };
}

/**
 * A read_committed read (Kafka's UnifiedLog.read with FetchTxnCommitted, then collectAbortedTransactions): records up to
 * the LSO, with the aborted transactions that overlap them, so the consumer drops their records. The list is bounded
 * (wireLimits.maxAbortedTransactionsPerPartition): past it the read stops before the first transaction left out, so
 * every returned record's transaction is listed.
 */
function readCommittedRecords(context: PartitionContext, request: PartitionFetchRequest, lastStable: number): { records: Uint8Array; abortedTransactions: FetchedAbortedTransaction[] } {
  const { log } = context.ports;
  const limit = wireLimits.maxAbortedTransactionsPerPartition;
  const read = (maxOffset: number) => {
    const records = log.read(request.fetchOffset, request.maxBytes, maxOffset).records;
    const aborted = abortedTransactionsOverlapping(context.producerState, request.fetchOffset, endOfRecords(records, request.fetchOffset));
    return { records, aborted: aborted.map(({ producerId, firstOffset }) => ({ producerId, firstOffset })).sort((a, b) => a.firstOffset - b.firstOffset) };
  };
  let result = read(lastStable);
  const firstLeftOut = result.aborted[limit]?.firstOffset;
  // Never below the fetch offset, or the consumer would make no progress (the batch holding it comes whole).
  if (firstLeftOut !== undefined) result = read(Math.max(firstLeftOut, request.fetchOffset + 1));
  return { records: result.records, abortedTransactions: result.aborted.slice(0, limit) };
}

export interface ListOffsetResult {
  errorName: ErrorName;
  timestamp: number;
  offset: number;
  leaderEpoch: number;
}

/** Bytes read per step while searching by timestamp. */
const timestampSearchReadBytes = 1024 * 1024;

/**
 * -1 (latest) is the high watermark (the last stable offset with read_committed, KIP-98), -2 (earliest) the log start offset. A real timestamp finds the first
 * record at or after it by scanning batch headers up to the high watermark; kactor has no time index yet,
 * so this costs a scan of the log.
 */
export function listOffsetForPartition(view: PartitionView, timestamp: number, currentLeaderEpoch: number, isolationLevel: 0 | 1 = 0): ListOffsetResult {
  const epochProblem = leaderEpochProblem(view, currentLeaderEpoch);
  if (epochProblem !== undefined) return { errorName: epochProblem, timestamp: -1, offset: -1, leaderEpoch: -1 };
  const { log } = view.context.ports;
  const leaderEpoch = view.context.leaderEpoch;
  if (timestamp === -1) return { errorName: 'NONE', timestamp: -1, offset: isolationLevel === isolationLevels.readCommitted ? partitionLastStableOffset(view.context) : view.context.highWatermark, leaderEpoch };
  if (timestamp === -2) return { errorName: 'NONE', timestamp: -1, offset: log.logStartOffset, leaderEpoch };
  if (timestamp < 0) return { errorName: 'UNSUPPORTED_VERSION', timestamp: -1, offset: -1, leaderEpoch };
  let position = log.logStartOffset;
  while (position < view.context.highWatermark) {
    const { records } = log.read(position, timestampSearchReadBytes, view.context.highWatermark);
    let advanced = false;
    for (const batch of decodeRecordBatches(records).batches) {
      for (const record of batch.records) {
        if (record.offset < position) continue;
        if (record.timestamp >= timestamp) return { errorName: 'NONE', timestamp: record.timestamp, offset: record.offset, leaderEpoch };
      }
      position = batch.lastOffset + 1;
      advanced = true;
    }
    if (!advanced) break;
  }
  return { errorName: 'NONE', timestamp: -1, offset: -1, leaderEpoch };
}
