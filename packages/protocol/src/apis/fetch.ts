/**
 * Fetch (Kafka api key 1): read record batches from partition leaders, with long polling: the broker holds
 * the request until `minBytes` are available or `maxWaitMs` has passed. Followers replicate with the same
 * request (replica id and broker epoch, KIP-903; `lastFetchedEpoch`, KIP-595/KAFKA-10554) and learn from the
 * answer where their log diverges from the leader's (`divergingEpoch`). The replication fields are optional,
 * as Kafka's are tagged: a request or answer without them means Kafka's default (-1, none), so consumers and
 * the broker's consumer answers need not send them. The metadata quorum (KIP-595, KIP-630) fetches with the same
 * request and adds more, optional in the same way: the fetcher's `clusterId` and known `highWatermark` (KIP-1166)
 * and, in an answer, the `snapshotId` to read instead of the log.
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { snapshotId } from './quorum-fields.js';
import { isolationLevel } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

export const fetchRequestV0 = z.strictObject({
  /**
   * The fetcher's cluster id (Kafka's ClusterId, v12+): a KRaft replica fetching the metadata log sends it, and a
   * different one is INCONSISTENT_CLUSTER_ID; absent or null for consumers and partition followers.
   */
  clusterId: nullableString.optional(),
  /** -1 for consumers; a broker id for follower fetches. */
  replicaId: int32,
  /**
   * A follower's broker epoch (Kafka's ReplicaState.ReplicaEpoch, KIP-903), so the leader ignores the fetches of a
   * broker's earlier incarnation; absent or -1 for consumers and when unknown.
   */
  replicaEpoch: int64.optional(),
  maxWaitMs: int32,
  minBytes: int32,
  /** Upper bound on the whole response's record bytes (fetch.max.bytes). */
  maxBytes: int32,
  /**
   * 0 read_uncommitted: up to the high watermark; 1 read_committed: up to the last stable offset, with the aborted
   * transactions of the range (KIP-98).
   */
  isolationLevel,
  topics: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partition: int32,
          /** The leader epoch the client knows, or -1 to skip the check (KIP-320). */
          currentLeaderEpoch: int32,
          fetchOffset: int64,
          /**
           * The epoch of the last batch the follower holds (KIP-595), checked against the leader's epoch cache to
           * detect a divergent log; absent or -1 for consumers and an empty log.
           */
          lastFetchedEpoch: int32.optional(),
          /**
           * The high watermark a metadata quorum fetcher knows, -1 if none yet (Kafka's tagged HighWatermark, v18,
           * KIP-1166): the leader answers a held Fetch as soon as its own is higher, so commits reach followers and
           * observers without waiting for new records, and learns how far the fetcher has applied the committed
           * metadata. Absent for consumers, partition followers and fetchers that do not say (Kafka's default,
           * Long.MAX_VALUE, is past JavaScript's safe integers).
           */
          highWatermark: int64.min(-1).optional(),
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

/** Where the follower's log diverges: the largest epoch the leader has at or below the follower's, and where it ends. */
export const divergingEpoch = z.strictObject({ epoch: int32, endOffset: int64 });

/** The leader the answering broker knows, sent with NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH (KIP-951). */
export const currentLeader = z.strictObject({ leaderId: int32, leaderEpoch: int32 });

export const fetchPartitionResponse = z.strictObject({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  /**
   * For read_committed fetches, the aborted transactions whose records may be among the returned ones: each
   * producer's aborted transaction by the offset of its first record (KIP-98); null for read_uncommitted fetches.
   */
  abortedTransactions: boundedArray(z.strictObject({ producerId: int64, firstOffset: int64 }), wireLimits.maxAbortedTransactionsPerPartition).nullable(),
  /** Set when a follower's log diverges (then no records come back); absent or { -1, -1 } means none. */
  divergingEpoch: divergingEpoch.optional(),
  /** Absent or { -1, -1 } when the broker names no leader. */
  currentLeader: currentLeader.optional(),
  /**
   * Set by a metadata quorum leader when the fetcher must read this snapshot (FetchSnapshot, KIP-630) because the
   * log it asks for is gone; absent or { -1, -1 } means none.
   */
  snapshotId: snapshotId.optional(),
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

/**
 * Kafka's values for the replication fields when they are absent: a consumer's fetch has no broker epoch and no
 * last fetched epoch, and an answer without them diverges nowhere and names no leader.
 */
export const fetchReplicationDefaults = {
  replicaEpoch: -1,
  lastFetchedEpoch: -1,
  divergingEpoch: { epoch: -1, endOffset: -1 },
  currentLeader: { leaderId: -1, leaderEpoch: -1 },
  clusterId: null,
  snapshotId: { endOffset: -1, epoch: -1 },
} as const;
