/**
 * CreateTopics (key 19) over the Kafka listener, versions 0-4: kactor's CreateTopics takes Kafka's fields as they
 * are (replica assignments, configs, validate_only), so the request passes through. v0 has no validate_only (its
 * default, false, is what it meant); v1 adds error messages to the answer, v2 throttle_time_ms; v4 is v3's layout
 * and lets -1 stand for the broker's num.partitions / default.replication.factor (KIP-464), which kactor's
 * controller already reads that way. v5+ (flexible) answer each topic's configs, which kactor's CreateTopics
 * answer does not carry, so they are not served: a client then uses v4.
 */
import { ZERO_UUID, type CreateTopicsRequest, type CreateTopicsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

/** Kafka's defaults for the answer fields of v5+, which these versions do not carry. */
const unservedResultFields = { topicId: ZERO_UUID, topicConfigErrorCode: 0, numPartitions: -1, replicationFactor: -1, configs: [] };

export const createTopicsAdapter: KafkaApiAdapter<'CreateTopics', 'createTopics'> = {
  kafkaApi: 'CreateTopics',
  kactorApi: 'createTopics',
  versions: { min: 0, max: 4 },
  toKactorRequest(body: CreateTopicsRequest): RequestBody<'createTopics'> {
    return {
      topics: body.topics.map((topic) => ({
        name: topic.name,
        numPartitions: topic.numPartitions,
        replicationFactor: topic.replicationFactor,
        assignments: topic.assignments.map((assignment) => ({ partitionIndex: assignment.partitionIndex, brokerIds: [...assignment.brokerIds] })),
        configs: topic.configs.map((config) => ({ name: config.name, value: config.value })),
      })),
      timeoutMs: body.timeoutMs,
      validateOnly: body.validateOnly,
    };
  },
  toKafkaResponse(body: ResponseBody<'createTopics'>): CreateTopicsResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      topics: body.topics.map((topic) => ({ ...unservedResultFields, name: topic.name, errorCode: topic.errorCode, errorMessage: topic.errorMessage })),
    };
  },
  errorResponse(error: WireError, request: CreateTopicsRequest): CreateTopicsResponse {
    // As Kafka's CreateTopicsRequest.getErrorResponse: every topic asked for carries the error and its message.
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({ ...unservedResultFields, name: topic.name, errorCode: error.code, errorMessage: error.message })),
    };
  },
};
