/**
 * SyncGroup (Kafka api key 14), the second half of a classic rebalance: the leader sends every member's
 * assignment, followers send none and wait; the coordinator stores the assignments and answers each member
 * with its own.
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const syncGroupRequestV0 = z.strictObject({
  groupId: kafkaString,
  generationId: int32,
  memberId: kafkaString,
  groupInstanceId: nullableString,
  protocolType: nullableString,
  protocolName: nullableString,
  /** Non-empty only from the leader. */
  assignments: boundedArray(z.strictObject({ memberId: kafkaString, assignment: bytes }), wireLimits.maxGroupMembers),
});

export const syncGroupResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  protocolType: nullableString,
  protocolName: nullableString,
  /** The member's ConsumerProtocolAssignment bytes (empty: nothing assigned). */
  assignment: bytes,
});
