/**
 * OffsetDelete (Kafka api key 47, KIP-496): deletes a group's committed offsets for some partitions. The
 * coordinator refuses the whole request with GROUP_ID_NOT_FOUND for an unknown group (NON_EMPTY_GROUP for
 * an active group that is not a consumer group), and a partition with GROUP_SUBSCRIBED_TO_TOPIC while the
 * group's members subscribe to its topic; every other asked partition loses its offset (a tombstone in
 * `__consumer_offsets`), NONE also where none was committed. Shapes are Kafka's v0.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const offsetDeleteRequestV0 = z.strictObject({
  groupId: kafkaString,
  topics: boundedArray(z.strictObject({ name: kafkaString, partitions: boundedArray(z.strictObject({ partitionIndex: int32 }), wireLimits.maxPartitionsPerTopicInRequest) }), wireLimits.maxTopicsPerRequest),
});

export const offsetDeleteResponseV0 = z.strictObject({
  errorCode: int16,
  throttleTimeMs: int32,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(z.strictObject({ partitionIndex: int32, errorCode: int16 }), wireLimits.maxPartitionsPerTopicInRequest),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
