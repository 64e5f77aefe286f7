/**
 * Heartbeat (Kafka api key 12): a member's proof of life every heartbeat.interval.ms. REBALANCE_IN_PROGRESS
 * tells it to rejoin; ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID that it was fenced out.
 */
import { z } from 'zod';
import { int16, int32, kafkaString, nullableString } from './primitives.js';

export const heartbeatRequestV0 = z.strictObject({
  groupId: kafkaString,
  generationId: int32,
  memberId: kafkaString,
  groupInstanceId: nullableString,
});

export const heartbeatResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
});
