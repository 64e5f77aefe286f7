/**
 * DescribeLogDirs (Kafka api key 35): what a broker's log directory holds for the partitions it hosts.
 * kactor's version also reports each log's start and end offsets and high watermark, which `topics describe`
 * shows per partition (Kafka's tools get these from ListOffsets and JMX).
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, partitionIndexes } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const describeLogDirsRequestV0 = z.strictObject({
  /** Partitions to describe; null for every partition the broker hosts. */
  topics: boundedArray(z.strictObject({ topic: kafkaString, partitions: partitionIndexes }), wireLimits.maxTopicsPerRequest).nullable(),
});

export const describeLogDirsPartition = z.strictObject({
  partitionIndex: int32,
  errorCode: int16,
  partitionSize: int64,
  logStartOffset: int64,
  logEndOffset: int64,
  highWatermark: int64,
  leaderEpoch: int32,
  segmentCount: int32,
});

export const describeLogDirsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  logDir: kafkaString,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(describeLogDirsPartition, wireLimits.maxPartitionsPerTopicInRequest),
    }),
    // Every log of the broker when the request asked for all (topics: null).
    wireLimits.maxListedEntries,
  ),
});
