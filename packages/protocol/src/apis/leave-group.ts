/**
 * LeaveGroup (Kafka api key 13, v3+ batch form): members leaving (or removed by an admin by
 * group.instance.id with an empty member id). The group rebalances without them.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const leaveGroupRequestV0 = z.strictObject({
  groupId: kafkaString,
  members: boundedArray(z.strictObject({ memberId: kafkaString, groupInstanceId: nullableString, reason: nullableString }), wireLimits.maxGroupMembers),
});

export const leaveGroupResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  members: boundedArray(z.strictObject({ memberId: kafkaString, groupInstanceId: nullableString, errorCode: int16 }), wireLimits.maxGroupMembers),
});
