/**
 * DeleteTopics (key 20) over the Kafka listener, versions 0-5, which all name topics (v1 adds throttle_time_ms,
 * v4 is flexible, v5 adds error messages). v6 names topics by id (KIP-516), and kactor's DeleteTopics takes names
 * only, so it is not served: a client then deletes by name with v5.
 */
import { ZERO_UUID, type DeleteTopicsRequest, type DeleteTopicsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const deleteTopicsAdapter: KafkaApiAdapter<'DeleteTopics', 'deleteTopics'> = {
  kafkaApi: 'DeleteTopics',
  kactorApi: 'deleteTopics',
  versions: { min: 0, max: 5 },
  toKactorRequest(body: DeleteTopicsRequest): RequestBody<'deleteTopics'> {
    return { topicNames: [...body.topicNames], timeoutMs: body.timeoutMs };
  },
  toKafkaResponse(body: ResponseBody<'deleteTopics'>): DeleteTopicsResponse {
    // topic_id answers only v6, which is not served; the versions served name topics.
    return {
      throttleTimeMs: body.throttleTimeMs,
      responses: body.responses.map((result) => ({ name: result.name, topicId: ZERO_UUID, errorCode: result.errorCode, errorMessage: result.errorMessage })),
    };
  },
  errorResponse(error: WireError, request: DeleteTopicsRequest, version: number): DeleteTopicsResponse {
    // As Kafka's DeleteTopicsRequest.getErrorResponse: every topic asked for carries the error (its message from v5).
    const errorMessage = version >= 5 ? error.message : null;
    return { throttleTimeMs: 0, responses: request.topicNames.map((name) => ({ name, topicId: ZERO_UUID, errorCode: error.code, errorMessage })) };
  },
};
