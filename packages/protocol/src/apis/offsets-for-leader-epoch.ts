/**
 * OffsetsForLeaderEpoch (Kafka api key 23, KIP-101, KIP-279): where a leader epoch ends in the leader's log. A
 * follower asks it to find where its log diverges from the leader's (before Fetch carried `lastFetchedEpoch`),
 * and a consumer after a leader change, to check its position was not truncated (KIP-320). The answer is the
 * largest epoch at or below the one asked and the offset where it ends (the log end offset for the current
 * epoch), or UNDEFINED (-1, -1) when the leader has no such epoch.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const offsetsForLeaderEpochRequestV0 = z.strictObject({
  /** A follower's broker id, or -1 for a consumer (-2 for debugging tools, as in Kafka). */
  replicaId: int32,
  topics: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partition: int32,
          /** The leader epoch the sender knows, or -1 to skip the check (KIP-320): FENCED_ / UNKNOWN_LEADER_EPOCH. */
          currentLeaderEpoch: int32,
          /** The epoch whose end offset is asked. */
          leaderEpoch: int32,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const offsetsForLeaderEpochResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  topics: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          errorCode: int16,
          partition: int32,
          /** The largest epoch at or below the asked one that the leader has, or -1. */
          leaderEpoch: int32,
          /** Where that epoch ends (the start of the next one, or the log end offset), or -1. */
          endOffset: int64,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

/** Kafka's UNDEFINED_EPOCH_OFFSET: the leader has no epoch at or below the one asked. */
export const undefinedEpochOffset = { leaderEpoch: -1, endOffset: -1 } as const;
