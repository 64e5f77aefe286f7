/**
 * Reads from a partition for Fetch and ListOffsets. Reads change no state, so they query the partition
 * actor's snapshot (its state, leader epoch, high watermark) and its log directly instead of sending it an
 * event, as Kafka's `Partition.fetchRecords` is a call rather than a message.
 */
import type { ErrorName } from '@kactor/protocol';
import { decodeRecordBatches } from '@kactor/protocol';
import { OffsetOutOfRangeError } from '@kactor/storage';
import type { PartitionContext } from './partition.machine.js';

export interface PartitionView {
  /** The partition machine's top-level state. */
  state: string;
  context: PartitionContext;
}

export interface PartitionFetchRequest {
  fetchOffset: number;
  maxBytes: number;
  currentLeaderEpoch: number;
}

export interface PartitionFetchResult {
  errorName: ErrorName;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  records: Uint8Array;
}

const empty = new Uint8Array(0);

/** KIP-320: a client with an older epoch is fenced; one with a newer epoch knows more than this broker does. */
export function leaderEpochProblem(view: PartitionView, currentLeaderEpoch: number): ErrorName | undefined {
  if (view.state !== 'Leader') return 'NOT_LEADER_OR_FOLLOWER';
  if (currentLeaderEpoch === -1 || currentLeaderEpoch === view.context.leaderEpoch) return undefined;
  return currentLeaderEpoch < view.context.leaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
}

export function fetchFromPartition(view: PartitionView, request: PartitionFetchRequest): PartitionFetchResult {
  const { log } = view.context.ports;
  const highWatermark = view.context.highWatermark;
  const base = { highWatermark, lastStableOffset: highWatermark, logStartOffset: log.logStartOffset, records: empty };
  const epochProblem = leaderEpochProblem(view, request.currentLeaderEpoch);
  if (epochProblem !== undefined) return { ...base, errorName: epochProblem, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1 };
  if (request.fetchOffset < log.logStartOffset || request.fetchOffset > log.logEndOffset) return { ...base, errorName: 'OFFSET_OUT_OF_RANGE' };
  // Between the high watermark and the log end there is data consumers may not see yet: answer empty.
  if (request.fetchOffset >= highWatermark || request.maxBytes <= 0) return { ...base, errorName: 'NONE' };
  try {
    return { ...base, errorName: 'NONE', records: log.read(request.fetchOffset, request.maxBytes, highWatermark).records };
  } catch (error) {
    if (error instanceof OffsetOutOfRangeError) return { ...base, errorName: 'OFFSET_OUT_OF_RANGE' };
    throw error;
  }
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
 * -1 (latest) is the high watermark, -2 (earliest) the log start offset. A real timestamp finds the first
 * record at or after it by scanning batch headers up to the high watermark; kactor has no time index yet,
 * so this costs a scan of the log.
 */
export function listOffsetForPartition(view: PartitionView, timestamp: number, currentLeaderEpoch: number): ListOffsetResult {
  const epochProblem = leaderEpochProblem(view, currentLeaderEpoch);
  if (epochProblem !== undefined) return { errorName: epochProblem, timestamp: -1, offset: -1, leaderEpoch: -1 };
  const { log } = view.context.ports;
  const leaderEpoch = view.context.leaderEpoch;
  if (timestamp === -1) return { errorName: 'NONE', timestamp: -1, offset: view.context.highWatermark, leaderEpoch };
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
