/** DeleteTopics (Kafka api key 20), served by the controller. */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString, nullableString, topicNames } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const deleteTopicsRequestV0 = z.strictObject({
  topicNames,
  timeoutMs: int32,
});

export const deleteTopicsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  responses: boundedArray(
    z.strictObject({ name: kafkaString, topicId: nullableString, errorCode: int16, errorMessage: nullableString }),
    wireLimits.maxTopicsPerRequest,
  ),
});
