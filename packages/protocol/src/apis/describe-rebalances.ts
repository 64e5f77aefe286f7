/**
 * DescribeRebalances (api key 10000, kactor's own API, not Kafka's): the rebalances a group coordinator has
 * recorded for one group, oldest first. Kafka's api keys are all below 100 (the largest in 2024 is in the
 * 80s), so kactor's own APIs start at 10000: far from any key Kafka may assign, and still inside the frame
 * header's u16 api key. A Kafka client never sends it; ApiVersions lists it like any other API.
 *
 * One record is one rebalance, from what triggered it until the group is Stable with every member holding
 * its assignment and no revocation outstanding: a cooperative (KIP-429) rebalance that needs a second round
 * is one record spanning both generations. Records are kept in the coordinator's memory only (at most
 * `maxRebalanceRecordsPerGroup` per group); a coordinator that restarts or moves starts a fresh history.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** What started a rebalance, as the coordinator saw it (see the broker's rebalance-record.ts for the rules). */
export const rebalanceTriggers = [
  'join',
  'leave',
  'member-removed',
  'session-timeout',
  'poll-timeout',
  'subscription-change',
  'partition-change',
  'rejoin',
  'static-member-replaced',
  'sync-timeout',
] as const;

/** Partitions as the consumer protocol groups them: per topic, partition numbers ascending. */
const topicPartitions = boundedArray(
  z.strictObject({ topic: kafkaString, partitions: boundedArray(int32, wireLimits.maxPartitionsPerTopicInRequest) }),
  wireLimits.maxTopicsPerRequest,
);

export const rebalanceMemberRecord = z.strictObject({
  memberId: kafkaString,
  groupInstanceId: nullableString,
  clientId: kafkaString,
  /** Held when the rebalance started (or, for a member joining later, the owned partitions it declared). */
  owned: topicPartitions,
  /** Held when it ended (empty for a member that left). */
  assigned: topicPartitions,
  /** owned − assigned */
  revoked: topicPartitions,
  /** assigned − owned */
  added: topicPartitions,
  /** Time it held none of its partitions although it held some before (the coordinator's view). */
  pausedMs: int64,
  /** Time it held some but not all of what it held before. */
  partiallyPausedMs: int64,
  /** False for a member that left or was removed during the rebalance. */
  remained: z.boolean(),
});

export const rebalanceRecord = z.strictObject({
  groupId: kafkaString,
  /** 1, 2, ... per group since the coordinator loaded it. */
  sequence: int64,
  trigger: z.enum(rebalanceTriggers),
  /** The JoinGroup or LeaveGroup `reason` that started it (KIP-800), or the coordinator's words. */
  reason: nullableString,
  /** EAGER or COOPERATIVE (KIP-429) for a classic group; CONSUMER for a consumer group (KIP-848: the coordinator assigns, members reconcile). */
  protocol: z.enum(['EAGER', 'COOPERATIVE', 'CONSUMER']),
  /** The selected assignor (the classic protocol name; a consumer group's server-side assignor), null when the group ended Empty. */
  protocolName: nullableString,
  fromGeneration: int32,
  toGeneration: int32,
  /** Every generation the rebalance went through, ascending. */
  generations: boundedArray(int32, wireLimits.maxRebalanceGenerationsPerRecord),
  startMs: int64,
  endMs: int64,
  durationMs: int64,
  members: boundedArray(rebalanceMemberRecord, wireLimits.maxGroupMembers),
  /** Partitions whose owner at the end differs from their owner at the start. */
  partitionsMoved: int32,
});

export const describeRebalancesRequestV0 = z.strictObject({
  groupId: kafkaString,
  /** At most this many of the newest records; null for all that are kept. */
  limit: int32.min(1).nullable(),
});

export const describeRebalancesResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  records: boundedArray(rebalanceRecord, wireLimits.maxRebalanceRecordsPerGroup),
});
