/**
 * DeleteGroups (key 42) over the Kafka listener, versions 0-1 (reference §3 notes; v1 is v0 again): removes
 * Empty groups and their committed offsets, one result per group.
 */
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const deleteGroupsAdapter: KafkaApiAdapter<'DeleteGroups', 'deleteGroups'> = {
  kafkaApi: 'DeleteGroups',
  kactorApi: 'deleteGroups',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: DeleteGroupsRequest): RequestBody<'deleteGroups'> {
    return { groupsNames: [...body.groupsNames] };
  },
  toKafkaResponse(body: ResponseBody<'deleteGroups'>): DeleteGroupsResponse {
    return { throttleTimeMs: body.throttleTimeMs, results: body.results.map((result) => ({ groupId: result.groupId, errorCode: result.errorCode })) };
  },
  errorResponse(error: WireError, request: DeleteGroupsRequest): DeleteGroupsResponse {
    // Kafka's DeleteGroupsRequest.getErrorResponse: every group asked for carries the error.
    return { throttleTimeMs: 0, results: request.groupsNames.map((groupId) => ({ groupId, errorCode: error.code })) };
  },
};
