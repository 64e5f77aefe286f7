/**
 * JoinGroup (key 11) over the Kafka listener, versions 0-2 (reference §3): v0 has no rebalance_timeout_ms,
 * v2 adds throttle_time_ms to the answer. Each protocol's metadata (a ConsumerProtocolSubscription) is
 * opaque to the broker and passes through untouched (reference §6). A join parks until the rebalance's
 * join phase completes; the connection holds it as its one request in flight, so it blocks only that
 * connection. Only the leader's answer lists the members: the coordinator decides that, not this edge.
 */
import type { JoinGroupRequest, JoinGroupResponse, RequestHeader } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const joinGroupAdapter: KafkaApiAdapter<'JoinGroup', 'joinGroup'> = {
  kafkaApi: 'JoinGroup',
  kactorApi: 'joinGroup',
  versions: { min: 0, max: 2 },
  toKactorRequest(body: JoinGroupRequest, version: number, header?: RequestHeader): RequestBody<'joinGroup'> {
    return {
      groupId: body.groupId,
      sessionTimeoutMs: body.sessionTimeoutMs,
      // v0 has no rebalance timeout: Kafka waits for a v0 member as long as its session timeout.
      rebalanceTimeoutMs: version === 0 ? body.sessionTimeoutMs : body.rebalanceTimeoutMs,
      memberId: body.memberId,
      // Static membership (KIP-345) and a join reason (KIP-800) arrive from v5 and v8: null here.
      groupInstanceId: body.groupInstanceId,
      protocolType: body.protocolType,
      protocols: body.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata })),
      reason: body.reason,
      // Kafka carries client.id in the request header (nullable there); kactor's coordinator names members after it.
      clientId: header?.clientId ?? '',
      // Every version served predates KIP-394 (v4): a member without an id is given one and joins at once,
      // because these clients treat MEMBER_ID_REQUIRED as a failure (KafkaJS reads the new id only from v4).
      requireKnownMemberId: false,
    };
  },
  toKafkaResponse(body: ResponseBody<'joinGroup'>): JoinGroupResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: body.errorCode,
      generationId: body.generationId,
      protocolType: body.protocolType,
      // Not nullable before v7: an answer without a selected protocol (an error) carries an empty name, as Kafka's does.
      protocolName: body.protocolName ?? '',
      leader: body.leader,
      skipAssignment: body.skipAssignment,
      memberId: body.memberId,
      members: body.members.map((member) => ({ memberId: member.memberId, groupInstanceId: member.groupInstanceId, metadata: member.metadata })),
    };
  },
  errorResponse(error: WireError): JoinGroupResponse {
    // Kafka's JoinGroupRequest.getErrorResponse: unknown generation, no protocol, leader or member id, no members.
    return { throttleTimeMs: 0, errorCode: error.code, generationId: -1, protocolType: null, protocolName: '', leader: '', skipAssignment: false, memberId: '', members: [] };
  },
};
