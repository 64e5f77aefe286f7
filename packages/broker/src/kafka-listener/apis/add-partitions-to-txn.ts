/**
 * AddPartitionsToTxn (key 24, KIP-98) over the Kafka listener, versions 0-3: one layout for one transaction (v1
 * and v2 only changed what errors a client may see, v3 is flexible), which is kactor's AddPartitionsToTxn. v4+
 * batch several transactions for Kafka's brokers to verify (KIP-890); clients do not send them, so they are not
 * served.
 */
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { int64ToNumber } from './int64-to-number.js';

export const addPartitionsToTxnAdapter: KafkaApiAdapter<'AddPartitionsToTxn', 'addPartitionsToTxn'> = {
  kafkaApi: 'AddPartitionsToTxn',
  kactorApi: 'addPartitionsToTxn',
  versions: { min: 0, max: 3 },
  toKactorRequest(body: AddPartitionsToTxnRequest): RequestBody<'addPartitionsToTxn'> {
    return {
      transactionalId: body.v3AndBelowTransactionalId,
      producerId: int64ToNumber(body.v3AndBelowProducerId),
      producerEpoch: body.v3AndBelowProducerEpoch,
      topics: body.v3AndBelowTopics.map((topic) => ({ name: topic.name, partitions: [...topic.partitions] })),
    };
  },
  toKafkaResponse(body: ResponseBody<'addPartitionsToTxn'>): AddPartitionsToTxnResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: 0,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: body.results.map((topic) => ({
        name: topic.name,
        resultsByPartition: topic.resultsByPartition.map((partition) => ({ partitionIndex: partition.partitionIndex, partitionErrorCode: partition.partitionErrorCode })),
      })),
    };
  },
  errorResponse(error: WireError, request: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
    // As Kafka's AddPartitionsToTxnRequest.getErrorResponse for v3 and below: every partition asked for carries the error.
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: request.v3AndBelowTopics.map((topic) => ({
        name: topic.name,
        resultsByPartition: topic.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: error.code })),
      })),
    };
  },
};
