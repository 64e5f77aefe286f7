/** DescribeGroups (Kafka api key 15): a group's state, protocol and members with their assignments. */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const describeGroupsRequestV0 = z.strictObject({
  groups: boundedArray(kafkaString, wireLimits.maxGroupsPerRequest),
});

export const describeGroupsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  groups: boundedArray(
    z.strictObject({
      errorCode: int16,
      groupId: kafkaString,
      /** Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
      groupState: kafkaString,
      protocolType: kafkaString,
      /** The selected protocol (assignor) name. */
      protocolData: kafkaString,
      generationId: int32,
      leaderId: kafkaString,
      members: boundedArray(
        z.strictObject({
          memberId: kafkaString,
          groupInstanceId: nullableString,
          clientId: kafkaString,
          clientHost: kafkaString,
          memberMetadata: bytes,
          memberAssignment: bytes,
        }),
        wireLimits.maxGroupMembers,
      ),
    }),
    wireLimits.maxGroupsPerRequest,
  ),
});
