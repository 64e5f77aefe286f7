/**
 * CreateTopics (Kafka api key 19), served by the controller. -1 for `numPartitions` or `replicationFactor`
 * means the broker defaults (`num.partitions`, `default.replication.factor`).
 */
import { z } from 'zod';
import { boundedArray, brokerIds, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const createTopicsRequestV0 = z.strictObject({
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      numPartitions: int32,
      replicationFactor: int16,
      /** Manual placement; empty to let the controller place replicas. */
      assignments: boundedArray(
        z.strictObject({ partitionIndex: int32, brokerIds }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
      configs: boundedArray(z.strictObject({ name: kafkaString, value: nullableString }), wireLimits.maxConfigsPerTopic),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
  /** How long to wait for the new metadata to reach every live broker. */
  timeoutMs: int32,
  validateOnly: z.boolean(),
});

export const createTopicsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      topicId: nullableString,
      errorCode: int16,
      errorMessage: nullableString,
      numPartitions: int32,
      replicationFactor: int16,
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
