/**
 * DescribeGroups (key 15) over the Kafka listener, versions 0-2 (reference §3; v1 adds throttle_time_ms,
 * v2 is v1 again). Members' metadata and assignments pass through as the coordinator holds them. kactor's
 * answer also names the generation and the leader, which these versions cannot carry: they are left out.
 */
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

/** Kafka's "authorized operations not requested" (v3+ only; the default of every version served). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

export const describeGroupsAdapter: KafkaApiAdapter<'DescribeGroups', 'describeGroups'> = {
  kafkaApi: 'DescribeGroups',
  kactorApi: 'describeGroups',
  versions: { min: 0, max: 2 },
  toKactorRequest(body: DescribeGroupsRequest): RequestBody<'describeGroups'> {
    return { groups: [...body.groups] };
  },
  toKafkaResponse(body: ResponseBody<'describeGroups'>): DescribeGroupsResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      groups: body.groups.map((group) => ({
        errorCode: group.errorCode,
        groupId: group.groupId,
        groupState: group.groupState,
        protocolType: group.protocolType,
        protocolData: group.protocolData,
        members: group.members.map((member) => ({
          memberId: member.memberId,
          groupInstanceId: member.groupInstanceId,
          clientId: member.clientId,
          clientHost: member.clientHost,
          memberMetadata: member.memberMetadata,
          memberAssignment: member.memberAssignment,
        })),
        authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      })),
    };
  },
  errorResponse(error: WireError, request: DescribeGroupsRequest): DescribeGroupsResponse {
    // Kafka's DescribeGroupsRequest.getErrorResponse: every group asked for, with the error and nothing else.
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => ({
        errorCode: error.code,
        groupId,
        groupState: '',
        protocolType: '',
        protocolData: '',
        members: [],
        authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      })),
    };
  },
};
