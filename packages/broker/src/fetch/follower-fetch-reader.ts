/**
 * A follower's Fetch at the leader, answered from the partitions' verdicts (the partition actor checked each one and
 * recorded the follower's position, see leader-steps.ts) and their logs. Followers read up to the log end, not the
 * high watermark: that is how records reach them before they are committed. A divergent log gets `DivergingEpoch`
 * and no records; OFFSET_OUT_OF_RANGE carries the leader's log start and HW so the follower can act on it.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { OffsetOutOfRangeError } from '@kactor/storage';
import type { FollowerFetchVerdict } from '../partition/partition-types.js';
import type { FetchReadOutcome, PartitionLookup } from './fetch-reader.js';

type FetchPartitionResponse = ResponseBody<'fetch'>['responses'][number]['partitions'][number];

/** Each requested partition's verdict, or why this broker could not even ask its actor. */
export type FollowerFetchVerdicts = ReadonlyMap<string, FollowerFetchVerdict | ErrorName>;

const empty = new Uint8Array(0);
export const verdictKey = (topic: string, partition: number) => `${topic}-${partition}`;

function errorResponse(partitionIndex: number, errorName: ErrorName, highWatermark = -1, logStartOffset = -1): FetchPartitionResponse {
  return { partitionIndex, errorCode: errorByName(errorName).code, highWatermark, lastStableOffset: highWatermark, logStartOffset, abortedTransactions: null, records: empty };
}

/** A partition's answer with records (possibly none), built field by field: a spread of a base costs many times a literal on V8. */
function recordsResponse(partitionIndex: number, highWatermark: number, logStartOffset: number, records: Uint8Array): FetchPartitionResponse {
  return { partitionIndex, errorCode: 0, highWatermark, lastStableOffset: highWatermark, logStartOffset, abortedTransactions: null, records };
}

/** Reads the records of every partition whose verdict is `read`, within partitionMaxBytes and the response's maxBytes. */
export function readFollowerFetch(request: RequestBody<'fetch'>, verdicts: FollowerFetchVerdicts, lookup: PartitionLookup): FetchReadOutcome {
  let totalBytes = 0;
  let hasError = false;
  const responses = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((partition): FetchPartitionResponse => {
      const verdict = verdicts.get(verdictKey(topic.topic, partition.partition)) ?? 'UNKNOWN_TOPIC_OR_PARTITION';
      const view = lookup(topic.topic, partition.partition);
      if (typeof verdict === 'string' || typeof view === 'string') {
        hasError = true;
        return errorResponse(partition.partition, typeof verdict === 'string' ? verdict : (view as ErrorName));
      }
      if (view.state !== 'Leader') {
        // Leadership moved while the fetch waited in the purgatory.
        hasError = true;
        return errorResponse(partition.partition, 'NOT_LEADER_OR_FOLLOWER');
      }
      const { log } = view.context.ports;
      const highWatermark = view.context.highWatermark;
      if (verdict.kind === 'error') {
        hasError = true;
        return verdict.error === 'OFFSET_OUT_OF_RANGE'
          ? errorResponse(partition.partition, verdict.error, highWatermark, log.logStartOffset)
          : errorResponse(partition.partition, verdict.error);
      }
      const logStartOffset = log.logStartOffset;
      if (verdict.kind === 'diverging') {
        // An answer with a diverging epoch is news the follower must act on now, as an error would be.
        hasError = true;
        return { partitionIndex: partition.partition, errorCode: 0, highWatermark, lastStableOffset: highWatermark, logStartOffset, abortedTransactions: null, divergingEpoch: verdict.divergingEpoch, records: empty };
      }
      const remaining = request.maxBytes - totalBytes;
      const allowed = totalBytes === 0 ? partition.partitionMaxBytes : Math.min(partition.partitionMaxBytes, remaining);
      if (partition.fetchOffset >= log.logEndOffset || allowed <= 0) return recordsResponse(partition.partition, highWatermark, logStartOffset, empty);
      try {
        const records = log.read(partition.fetchOffset, allowed, log.logEndOffset).records;
        const kept = totalBytes > 0 && records.byteLength > allowed ? empty : records;
        totalBytes += kept.byteLength;
        return recordsResponse(partition.partition, highWatermark, logStartOffset, kept);
      } catch (error) {
        if (!(error instanceof OffsetOutOfRangeError)) throw error;
        hasError = true;
        return errorResponse(partition.partition, 'OFFSET_OUT_OF_RANGE', highWatermark, log.logStartOffset);
      }
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: 0, responses }, totalBytes, hasError };
}
