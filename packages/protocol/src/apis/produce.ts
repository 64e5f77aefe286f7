/**
 * Produce (Kafka api key 0): append record batches to partition leaders.
 * Field names follow Kafka's ProduceRequest/ProduceResponse. With `acks: 0` the broker sends no response.
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const produceRequestV0 = z.strictObject({
  /** Set by transactional producers (exactly-once issue); null otherwise. */
  transactionalId: nullableString,
  /** 0: no response; 1: after the leader's append; -1 (all): once the high watermark passes the batch. */
  acks: int16,
  /** How long the broker may wait for acks=-1 before answering REQUEST_TIMED_OUT. */
  timeoutMs: int32,
  topicData: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitionData: boundedArray(
        z.strictObject({
          index: int32,
          /** One or more Kafka RecordBatch v2 batches, as the producer encoded them. */
          records: bytes,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const producePartitionResponse = z.strictObject({
  index: int32,
  errorCode: int16,
  errorMessage: nullableString,
  /** Offset of the first record appended; -1 on error. */
  baseOffset: int64,
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTimeMs: int64,
  logStartOffset: int64,
});

export const produceResponseV0 = z.strictObject({
  responses: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitionResponses: boundedArray(producePartitionResponse, wireLimits.maxPartitionsPerTopicInRequest),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
  throttleTimeMs: int32,
});
