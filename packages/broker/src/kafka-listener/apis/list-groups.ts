/**
 * ListGroups (key 16) over the Kafka listener, versions 0-2 (reference §3; v1 adds throttle_time_ms, v2 is
 * v1 again). The groups this broker coordinates, as Kafka answers; clients ask every broker. These
 * versions filter nothing (states arrive in v4, types in v5) and show no state or type.
 */
import type { ListGroupsRequest, ListGroupsResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

export const listGroupsAdapter: KafkaApiAdapter<'ListGroups', 'listGroups'> = {
  kafkaApi: 'ListGroups',
  kactorApi: 'listGroups',
  versions: { min: 0, max: 2 },
  toKactorRequest(body: ListGroupsRequest): RequestBody<'listGroups'> {
    return { statesFilter: [...body.statesFilter], typesFilter: [...body.typesFilter] };
  },
  toKafkaResponse(body: ResponseBody<'listGroups'>): ListGroupsResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: body.errorCode,
      groups: body.groups.map((group) => ({ groupId: group.groupId, protocolType: group.protocolType, groupState: group.groupState, groupType: group.groupType })),
    };
  },
  errorResponse(error: WireError): ListGroupsResponse {
    return { throttleTimeMs: 0, errorCode: error.code, groups: [] };
  },
};
