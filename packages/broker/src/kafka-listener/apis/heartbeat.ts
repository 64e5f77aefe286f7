/**
 * Heartbeat (key 12) over the Kafka listener, versions 0-1 (reference §3; v1 adds throttle_time_ms). The
 * bodies are kactor's: group.instance.id (v3+) is null for these versions.
 */
import type { HeartbeatRequest, HeartbeatResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const heartbeatAdapter: KafkaApiAdapter<'Heartbeat', 'heartbeat'> = {
  kafkaApi: 'Heartbeat',
  kactorApi: 'heartbeat',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: HeartbeatRequest): RequestBody<'heartbeat'> {
    return { groupId: body.groupId, generationId: body.generationId, memberId: body.memberId, groupInstanceId: body.groupInstanceId };
  },
  toKafkaResponse(body: ResponseBody<'heartbeat'>): HeartbeatResponse {
    return { throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode };
  },
  errorResponse(error: WireError): HeartbeatResponse {
    return { throttleTimeMs: 0, errorCode: error.code };
  },
};
