/**
 * Metadata (key 3) over the Kafka listener: kactor's Metadata answer with each broker's Kafka listener in
 * place of its kactor URL. Versions 0-4 (reference §3): v0 asks for every topic with an empty list, v1+
 * with null (where an empty list asks for brokers only), v4 adds allow_auto_topic_creation.
 */
import { ZERO_UUID, type MetadataRequest, type MetadataResponse, type MetadataResponseMetadataResponseTopic } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { AdapterContext, KafkaApiAdapter } from './adapter.js';

/** Kafka's "authorized operations not requested" (v8+ only; the default of every version served). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;
/** Kafka's text form of a topic id: URL-safe base64 of 16 bytes (versions 10+, not served yet). */
const kafkaUuidPattern = /^[A-Za-z0-9_-]{22}$/;

export const metadataAdapter: KafkaApiAdapter<'Metadata', 'metadata'> = {
  kafkaApi: 'Metadata',
  kactorApi: 'metadata',
  versions: { min: 0, max: 4 },
  toKactorRequest(body: MetadataRequest, version: number): RequestBody<'metadata'> {
    const everyTopic = body.topics === null || (version === 0 && body.topics.length === 0);
    return {
      topics: everyTopic ? null : (body.topics ?? []).map((topic) => topic.name ?? ''),
      // Versions before 4 lack the field and decode it as its default, true, which is what they meant.
      allowAutoTopicCreation: body.allowAutoTopicCreation,
    };
  },
  toKafkaResponse(body: ResponseBody<'metadata'>, _request: MetadataRequest, _version: number, context: AdapterContext): MetadataResponse {
    const brokers = [];
    for (const broker of body.brokers) {
      const endpoint = context.kafkaEndpointOf(broker.nodeId);
      // A broker whose Kafka listener is unknown cannot be named: a client would connect to its kactor port.
      if (endpoint !== undefined) brokers.push({ nodeId: broker.nodeId, host: endpoint.host, port: endpoint.port, rack: broker.rack });
    }
    return {
      throttleTimeMs: body.throttleTimeMs,
      brokers,
      clusterId: body.clusterId,
      controllerId: body.controllerId,
      topics: body.topics.map((topic) => ({
        errorCode: topic.errorCode,
        name: topic.name,
        topicId: topic.topicId !== null && kafkaUuidPattern.test(topic.topicId) ? topic.topicId : ZERO_UUID,
        isInternal: topic.isInternal,
        partitions: topic.partitions.map((partition) => ({ ...partition })),
        topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      })),
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
  errorResponse(error: WireError, request: MetadataRequest): MetadataResponse {
    // As Kafka's MetadataRequest.getErrorResponse: every topic asked for carries the error.
    const topics: MetadataResponseMetadataResponseTopic[] = (request.topics ?? []).map((topic) => ({
      errorCode: error.code,
      name: topic.name,
      topicId: ZERO_UUID,
      isInternal: false,
      partitions: [],
      topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    }));
    return { throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: -1, topics, clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED };
  },
};
