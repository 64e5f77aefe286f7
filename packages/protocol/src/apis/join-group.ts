/**
 * JoinGroup (Kafka api key 11), the first half of a classic rebalance. A member without an id gets
 * MEMBER_ID_REQUIRED with its new id and joins again with it (KIP-394); the coordinator answers every
 * member once all have joined (or the rebalance timeout passes), and only the leader's answer lists the
 * members and their protocol metadata, so the leader can compute the assignment.
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const joinGroupRequestV0 = z.strictObject({
  groupId: kafkaString,
  /** session.timeout.ms of the member. */
  sessionTimeoutMs: int32,
  /** max.poll.interval.ms of the member: how long the coordinator waits for it to rejoin. */
  rebalanceTimeoutMs: int32,
  /** Empty on the first join. */
  memberId: kafkaString,
  /** group.instance.id for static members (KIP-345), else null. */
  groupInstanceId: nullableString,
  /** "consumer" for consumers. */
  protocolType: kafkaString,
  /** The assignors the member supports, in preference order, each with its subscription bytes. */
  protocols: boundedArray(z.strictObject({ name: kafkaString, metadata: bytes }), 64),
  reason: nullableString,
  /** client.id (Kafka carries it in the request header; kactor's frame header has none). */
  clientId: kafkaString,
  /**
   * False for Kafka's JoinGroup before v4, which predates KIP-394: a member without an id is given one and
   * joins at once, with no MEMBER_ID_REQUIRED round trip (those clients would not understand it). Absent
   * (kactor's own clients) means true.
   */
  requireKnownMemberId: z.boolean().optional(),
});

export const joinGroupResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: int32,
  protocolType: nullableString,
  protocolName: nullableString,
  leader: kafkaString,
  /** Static-member replacement answered without a rebalance: the leader keeps the current assignment. */
  skipAssignment: z.boolean(),
  memberId: kafkaString,
  /** Filled only in the leader's answer. */
  members: boundedArray(z.strictObject({ memberId: kafkaString, groupInstanceId: nullableString, metadata: bytes }), wireLimits.maxGroupMembers),
});
