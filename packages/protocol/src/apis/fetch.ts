/**
 * Fetch (Kafka api key 1): read record batches from partition leaders, with long polling: the broker holds
 * the request until `minBytes` are available or `maxWaitMs` has passed.
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, int64, int8, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const fetchRequestV0 = z.strictObject({
  /** -1 for consumers; a broker id for follower fetches (replication issue). */
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  /** Upper bound on the whole response's record bytes (fetch.max.bytes). */
  maxBytes: int32,
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: int8,
  topics: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partition: int32,
          /** The leader epoch the client knows, or -1 to skip the check (KIP-320). */
          currentLeaderEpoch: int32,
          fetchOffset: int64,
          /** Followers report their log start offset; consumers send -1. */
          logStartOffset: int64,
          /** max.partition.fetch.bytes */
          partitionMaxBytes: int32,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const fetchPartitionResponse = z.strictObject({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  /** Aborted transactions in the returned range, for read_committed consumers (exactly-once issue). */
  abortedTransactions: boundedArray(z.strictObject({ producerId: int64, firstOffset: int64 }), 100_000).nullable(),
  /** Whole record batches; the first may start below the fetch offset, and the client skips those records. */
  records: bytes,
});

export const fetchResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  responses: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitions: boundedArray(fetchPartitionResponse, wireLimits.maxPartitionsPerTopicInRequest),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
