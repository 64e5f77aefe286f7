/**
 * ConsumerGroupHeartbeat (key 68, KIP-848) over the Kafka listener, versions 0-1 (flexible): the one request of
 * the consumer group protocol, the same fields as kactor's ConsumerGroupHeartbeat. Partitions are named by topic id
 * both ways; kactor's topic ids are Kafka UUIDs in Kafka's text form (URL-safe base64 of 16 bytes), the same ids
 * its Metadata answers give, so they pass through unchanged.
 *
 * Two differences from Kafka are kactor's coordinator's, kept deliberately: a joining member must bring its own
 * member id (KIP-1082, which v1 made the rule; a v0 client that leaves it empty for the broker to fill gets
 * INVALID_REQUEST), and a subscription by regular expression (v1) is refused with INVALID_REQUEST.
 */
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const consumerGroupHeartbeatAdapter: KafkaApiAdapter<'ConsumerGroupHeartbeat', 'consumerGroupHeartbeat'> = {
  kafkaApi: 'ConsumerGroupHeartbeat',
  kactorApi: 'consumerGroupHeartbeat',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: ConsumerGroupHeartbeatRequest): RequestBody<'consumerGroupHeartbeat'> {
    return {
      groupId: body.groupId,
      memberId: body.memberId,
      memberEpoch: body.memberEpoch,
      instanceId: body.instanceId,
      rackId: body.rackId,
      rebalanceTimeoutMs: body.rebalanceTimeoutMs,
      subscribedTopicNames: body.subscribedTopicNames === null ? null : [...body.subscribedTopicNames],
      // v0 lacks the field and decodes it as its default, null: no regular expression.
      subscribedTopicRegex: body.subscribedTopicRegex,
      serverAssignor: body.serverAssignor,
      topicPartitions: body.topicPartitions === null ? null : body.topicPartitions.map((topic) => ({ topicId: topic.topicId, partitions: [...topic.partitions] })),
    };
  },
  toKafkaResponse(body: ResponseBody<'consumerGroupHeartbeat'>): ConsumerGroupHeartbeatResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: body.errorCode,
      errorMessage: body.errorMessage,
      memberId: body.memberId,
      memberEpoch: body.memberEpoch,
      heartbeatIntervalMs: body.heartbeatIntervalMs,
      assignment:
        body.assignment === null
          ? null
          : { topicPartitions: body.assignment.topicPartitions.map((topic) => ({ topicId: topic.topicId, partitions: [...topic.partitions] })) },
    };
  },
  errorResponse(error: WireError): ConsumerGroupHeartbeatResponse {
    // As Kafka's ConsumerGroupHeartbeatRequest.getErrorResponse: the error alone, every other field its default.
    return { throttleTimeMs: 0, errorCode: error.code, errorMessage: error.message, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
  },
};
