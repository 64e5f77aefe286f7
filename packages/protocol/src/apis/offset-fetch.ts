/**
 * OffsetFetch (Kafka api key 9): a group's committed offsets; -1 where nothing is committed. Topics null
 * asks for every committed partition of the group.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, nullableString, partitionIndexes } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const offsetFetchRequestV0 = z.strictObject({
  groupId: kafkaString,
  topics: boundedArray(z.strictObject({ name: kafkaString, partitionIndexes }), wireLimits.maxTopicsPerRequest).nullable(),
  /** Answer UNSTABLE_OFFSET_COMMIT while transactional offsets are pending (exactly-once issue). */
  requireStable: z.boolean(),
});

export const offsetFetchResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(
        z.strictObject({ partitionIndex: int32, committedOffset: int64, committedLeaderEpoch: int32, metadata: nullableString, errorCode: int16 }),
        // Every committed partition of the topic when all are asked for: as many as the group's members committed.
        wireLimits.maxListedEntries,
      ),
    }),
    wireLimits.maxListedEntries,
  ),
});
