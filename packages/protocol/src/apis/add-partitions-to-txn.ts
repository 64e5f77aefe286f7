/**
 * AddPartitionsToTxn (Kafka api key 24, KIP-98): a transactional producer tells its transaction coordinator which
 * partitions it is about to write, before its first batch to each, so the coordinator knows where to write the
 * COMMIT or ABORT markers. The coordinator logs the partitions (the transaction becomes Ongoing) before answering.
 * This is Kafka's v3 shape (one transaction per request, sent by producers; KIP-890's batched broker form is not
 * implemented). Every partition gets an error code: when one fails, the others get OPERATION_NOT_ATTEMPTED.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, partitionIndexes } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const addPartitionsToTxnRequestV0 = z.strictObject({
  transactionalId: kafkaString,
  producerId: int64,
  producerEpoch: int16,
  topics: boundedArray(z.strictObject({ name: kafkaString, partitions: partitionIndexes }), wireLimits.maxTopicsPerRequest),
});

export const addPartitionsToTxnResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  /** Kafka's ResultsByTopicV3AndBelow: one entry per topic of the request. */
  results: boundedArray(
    z.strictObject({
      name: kafkaString,
      resultsByPartition: boundedArray(z.strictObject({ partitionIndex: int32, partitionErrorCode: int16 }), wireLimits.maxPartitionsPerTopicInRequest),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
