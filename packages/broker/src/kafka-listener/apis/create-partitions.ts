/**
 * CreatePartitions (key 37) over the Kafka listener, versions 0-3: one layout (v2 makes it flexible; v3 only
 * lets Kafka's own brokers forward it). kactor's CreatePartitions keeps Kafka's fields, manual assignments of
 * the new partitions included, so the request passes through.
 */
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const createPartitionsAdapter: KafkaApiAdapter<'CreatePartitions', 'createPartitions'> = {
  kafkaApi: 'CreatePartitions',
  kactorApi: 'createPartitions',
  versions: { min: 0, max: 3 },
  toKactorRequest(body: CreatePartitionsRequest): RequestBody<'createPartitions'> {
    return {
      topics: body.topics.map((topic) => ({
        name: topic.name,
        count: topic.count,
        assignments: topic.assignments === null ? null : topic.assignments.map((assignment) => ({ brokerIds: [...assignment.brokerIds] })),
      })),
      timeoutMs: body.timeoutMs,
      validateOnly: body.validateOnly,
    };
  },
  toKafkaResponse(body: ResponseBody<'createPartitions'>): CreatePartitionsResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      results: body.results.map((result) => ({ name: result.name, errorCode: result.errorCode, errorMessage: result.errorMessage })),
    };
  },
  errorResponse(error: WireError, request: CreatePartitionsRequest): CreatePartitionsResponse {
    // As Kafka's CreatePartitionsRequest.getErrorResponse: every topic asked for carries the error and its message.
    return { throttleTimeMs: 0, results: request.topics.map((topic) => ({ name: topic.name, errorCode: error.code, errorMessage: error.message })) };
  },
};
