/**
 * OffsetDelete (key 47, KIP-496) over the Kafka listener, version 0 (its only non-flexible one):
 * deletes a group's committed offsets for some partitions. kactor's bodies are Kafka's v0.
 */
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { partitionErrors } from './partition-errors.js';

export const offsetDeleteAdapter: KafkaApiAdapter<'OffsetDelete', 'offsetDelete'> = {
  kafkaApi: 'OffsetDelete',
  kactorApi: 'offsetDelete',
  versions: { min: 0, max: 0 },
  toKactorRequest(body: OffsetDeleteRequest): RequestBody<'offsetDelete'> {
    return {
      groupId: body.groupId,
      topics: body.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex })) })),
    };
  },
  toKafkaResponse(body: ResponseBody<'offsetDelete'>): OffsetDeleteResponse {
    return {
      errorCode: body.errorCode,
      throttleTimeMs: body.throttleTimeMs,
      topics: partitionErrors(body.topics),
    };
  },
  errorResponse(error: WireError): OffsetDeleteResponse {
    // Kafka's OffsetDeleteRequest.getErrorResponse: the error at the top, no partitions.
    return { errorCode: error.code, throttleTimeMs: 0, topics: [] };
  },
};
