/**
 * Reads a whole Fetch request across the partitions this broker hosts, honouring the response budget:
 * `partitionMaxBytes` per partition and `maxBytes` for the response, except that the first batch of the first
 * non-empty partition is returned whole even when larger, so a consumer always makes progress (KIP-74). A
 * read_committed fetch (KIP-98) reads up to each partition's last stable offset and lists its aborted transactions.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { fetchFromPartition, type PartitionView } from '../partition/partition-reader.js';

/** Finds the partition actor's view, or explains why there is none. */
export type PartitionLookup = (topic: string, partition: number) => PartitionView | ErrorName;

export interface FetchReadOutcome {
  response: ResponseBody<'fetch'>;
  totalBytes: number;
  /** Kafka answers a fetch at once when any partition has an error, without waiting for minBytes. */
  hasError: boolean;
}

const empty = new Uint8Array(0);

type FetchPartitionResponse = ResponseBody<'fetch'>['responses'][number]['partitions'][number];

export function readFetch(request: RequestBody<'fetch'>, lookup: PartitionLookup): FetchReadOutcome {
  let totalBytes = 0;
  let hasError = false;
  const responses = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((partition): FetchPartitionResponse => {
      const view = lookup(topic.topic, partition.partition);
      if (typeof view === 'string') {
        hasError = true;
        return {
          partitionIndex: partition.partition,
          errorCode: errorByName(view).code,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          abortedTransactions: null,
          records: empty,
        };
      }
      const remaining = request.maxBytes - totalBytes;
      const allowed = totalBytes === 0 ? partition.partitionMaxBytes : Math.min(partition.partitionMaxBytes, remaining);
      const result = fetchFromPartition(view, {
        fetchOffset: partition.fetchOffset,
        maxBytes: allowed,
        currentLeaderEpoch: partition.currentLeaderEpoch,
        isolationLevel: request.isolationLevel,
      });
      // Past the first non-empty partition, a batch that does not fit waits for the next fetch.
      const records = totalBytes > 0 && result.records.byteLength > allowed ? empty : result.records;
      totalBytes += records.byteLength;
      if (result.errorName !== 'NONE') hasError = true;
      return {
        partitionIndex: partition.partition,
        errorCode: errorByName(result.errorName).code,
        highWatermark: result.highWatermark,
        lastStableOffset: result.lastStableOffset,
        logStartOffset: result.logStartOffset,
        // read_committed: the aborted transactions overlapping what is returned (none when the records were held back).
        abortedTransactions: result.abortedTransactions === null ? null : records.byteLength === 0 ? [] : result.abortedTransactions,
        records,
      };
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: 0, responses }, totalBytes, hasError };
}
