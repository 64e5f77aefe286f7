/**
 * Whole-request refusals in each group API's own response shape, for the cases where the coordinator
 * cannot hand the request to a group: this broker does not coordinate the group (NOT_COORDINATOR), its
 * partition is still loading (COORDINATOR_LOAD_IN_PROGRESS), or the group is unknown.
 */
import type { ApiRequest, ErrorName } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';

const noBytes = new Uint8Array(0);

export function groupRefusal(request: ApiRequest, errorName: ErrorName): unknown {
  const errorCode = errorByName(errorName).code;
  switch (request.api) {
    case 'joinGroup':
      return { throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: request.body.memberId, members: [] };
    case 'syncGroup':
      return { throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: noBytes };
    case 'heartbeat':
      return { throttleTimeMs: 0, errorCode };
    case 'leaveGroup':
      return { throttleTimeMs: 0, errorCode, members: [] };
    case 'offsetCommit':
    case 'txnOffsetCommit':
      return {
        throttleTimeMs: 0,
        topics: request.body.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode })) })),
      };
    case 'offsetFetch':
      return { throttleTimeMs: 0, errorCode, topics: [] };
    case 'offsetDelete':
      return { errorCode, throttleTimeMs: 0, topics: [] };
    case 'describeRebalances':
      return { throttleTimeMs: 0, errorCode, records: [] };
    case 'consumerGroupHeartbeat':
      return { throttleTimeMs: 0, errorCode, errorMessage: null, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
    default:
      throw new Error(`${request.api} is not refused per request`);
  }
}
