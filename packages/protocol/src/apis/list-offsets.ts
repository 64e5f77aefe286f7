/**
 * ListOffsets (Kafka api key 2): the offset for a timestamp, or one of the special timestamps
 * -1 (latest: the high watermark, or the last stable offset for read_committed) and -2 (earliest: the log
 * start offset).
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString } from './primitives.js';
import { isolationLevel } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

export const listOffsetsTimestamps = { latest: -1, earliest: -2 } as const;

export const listOffsetsRequestV0 = z.strictObject({
  replicaId: int32,
  /** 0 read_uncommitted, 1 read_committed: `latest` (-1) is then the last stable offset, not the high watermark. */
  isolationLevel,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(
        z.strictObject({ partitionIndex: int32, currentLeaderEpoch: int32, timestamp: int64 }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const listOffsetsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partitionIndex: int32,
          errorCode: int16,
          timestamp: int64,
          offset: int64,
          leaderEpoch: int32,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
