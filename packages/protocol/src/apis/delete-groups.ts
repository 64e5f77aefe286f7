/** DeleteGroups (Kafka api key 42): removes Empty groups and their committed offsets (NON_EMPTY_GROUP otherwise). */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const deleteGroupsRequestV0 = z.strictObject({
  groupsNames: boundedArray(kafkaString, wireLimits.maxGroupsPerRequest),
});

export const deleteGroupsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  results: boundedArray(z.strictObject({ groupId: kafkaString, errorCode: int16 }), wireLimits.maxGroupsPerRequest),
});
