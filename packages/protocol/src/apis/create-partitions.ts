/**
 * CreatePartitions (Kafka api key 37), served by the controller: grows a topic to `count` partitions.
 * Kafka never decreases a partition count (INVALID_PARTITIONS).
 */
import { z } from 'zod';
import { boundedArray, brokerIds, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const createPartitionsRequestV0 = z.strictObject({
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      count: int32,
      /** Manual placement of the new partitions, or null for the controller's placement. */
      assignments: boundedArray(z.strictObject({ brokerIds }), wireLimits.maxPartitionsPerTopicInRequest).nullable(),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
  timeoutMs: int32,
  validateOnly: z.boolean(),
});

export const createPartitionsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  results: boundedArray(
    z.strictObject({ name: kafkaString, errorCode: int16, errorMessage: nullableString }),
    wireLimits.maxTopicsPerRequest,
  ),
});
