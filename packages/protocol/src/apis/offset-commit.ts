/**
 * OffsetCommit (Kafka api key 8): a group's committed offsets, each the next offset to read. A member of
 * the current generation commits with its generation and member id; an admin (or a consumer without a
 * group membership) commits with generation -1 to an Empty group. Commits from an old generation are
 * refused (ILLEGAL_GENERATION) and never applied.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** The offsets to commit, per topic and partition: the same shape in OffsetCommit and TxnOffsetCommit (as in Kafka's specs). */
export const committedOffsetTopics = boundedArray(
  z.strictObject({
    name: kafkaString,
    partitions: boundedArray(
      z.strictObject({ partitionIndex: int32, committedOffset: int64, committedLeaderEpoch: int32, committedMetadata: nullableString }),
      wireLimits.maxPartitionsPerTopicInRequest,
    ),
  }),
  wireLimits.maxTopicsPerRequest,
);

/** Each partition's answer to a commit: OffsetCommit's and TxnOffsetCommit's. */
export const commitResultTopics = boundedArray(
  z.strictObject({
    name: kafkaString,
    partitions: boundedArray(z.strictObject({ partitionIndex: int32, errorCode: int16 }), wireLimits.maxPartitionsPerTopicInRequest),
  }),
  wireLimits.maxTopicsPerRequest,
);

export const offsetCommitRequestV0 = z.strictObject({
  groupId: kafkaString,
  /** The member's generation, or -1 for a commit outside a generation. */
  generationIdOrMemberEpoch: int32,
  memberId: kafkaString,
  groupInstanceId: nullableString,
  /** -1: the broker's offsets.retention.minutes. */
  retentionTimeMs: int64,
  topics: committedOffsetTopics,
});

export const offsetCommitResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  topics: commitResultTopics,
});
