/**
 * LeaveGroup (key 13) over the Kafka listener, versions 0-1 (reference §3; v1 adds throttle_time_ms):
 * one member leaves by its id. kactor's body is the v3+ batch form, so the member becomes a list of one,
 * and the answer's per-member error comes back as the single error these versions have.
 */
import type { LeaveGroupRequest, LeaveGroupResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const leaveGroupAdapter: KafkaApiAdapter<'LeaveGroup', 'leaveGroup'> = {
  kafkaApi: 'LeaveGroup',
  kactorApi: 'leaveGroup',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: LeaveGroupRequest): RequestBody<'leaveGroup'> {
    return { groupId: body.groupId, members: [{ memberId: body.memberId, groupInstanceId: null, reason: null }] };
  },
  toKafkaResponse(body: ResponseBody<'leaveGroup'>): LeaveGroupResponse {
    // As Kafka's LeaveGroupResponse for versions before 3: the top-level error, else the first member's.
    const memberError = body.members.find((member) => member.errorCode !== 0)?.errorCode ?? 0;
    return { throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode !== 0 ? body.errorCode : memberError, members: [] };
  },
  errorResponse(error: WireError): LeaveGroupResponse {
    return { throttleTimeMs: 0, errorCode: error.code, members: [] };
  },
};
