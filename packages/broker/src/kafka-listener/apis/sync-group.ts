/**
 * SyncGroup (key 14) over the Kafka listener, versions 0-1 (reference §3; v1 adds throttle_time_ms). The
 * leader's assignments and each member's answer are ConsumerProtocolAssignment bytes the broker never
 * reads (reference §6): they pass through as they came, so members with the same assignor share a group
 * whichever client they run.
 */
import type { SyncGroupRequest, SyncGroupResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

const NO_ASSIGNMENT = new Uint8Array(0);

export const syncGroupAdapter: KafkaApiAdapter<'SyncGroup', 'syncGroup'> = {
  kafkaApi: 'SyncGroup',
  kactorApi: 'syncGroup',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: SyncGroupRequest): RequestBody<'syncGroup'> {
    return {
      groupId: body.groupId,
      generationId: body.generationId,
      memberId: body.memberId,
      // Versions before 3 (instance id) and 5 (protocol type and name, which the coordinator then does not check) decode these as null.
      groupInstanceId: body.groupInstanceId,
      protocolType: body.protocolType,
      protocolName: body.protocolName,
      assignments: body.assignments.map((entry) => ({ memberId: entry.memberId, assignment: entry.assignment })),
    };
  },
  toKafkaResponse(body: ResponseBody<'syncGroup'>): SyncGroupResponse {
    return { throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode, protocolType: body.protocolType, protocolName: body.protocolName, assignment: body.assignment };
  },
  errorResponse(error: WireError): SyncGroupResponse {
    return { throttleTimeMs: 0, errorCode: error.code, protocolType: null, protocolName: null, assignment: NO_ASSIGNMENT };
  },
};
