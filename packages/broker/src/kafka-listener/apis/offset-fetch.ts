/**
 * OffsetFetch (key 9) over the Kafka listener, versions 1-3 (reference §3; v0 read offsets from ZooKeeper).
 * v2 lets topics be null (every committed partition, which kafka-python's admin asks for) and adds a
 * top-level error; v3 adds throttle_time_ms. Before v2 a group-wide error can only be said per partition.
 */
import type { OffsetFetchRequest, OffsetFetchResponse, OffsetFetchResponseOffsetFetchResponseTopic } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

/** The first version with a top-level error code. */
const TOP_LEVEL_ERROR_VERSION = 2;

/** Each partition asked for, with no offset and the error: Kafka's answer to a failed fetch before v2. */
function partitionsWithError(request: OffsetFetchRequest, errorCode: number): OffsetFetchResponseOffsetFetchResponseTopic[] {
  return (request.topics ?? []).map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode })),
  }));
}

export const offsetFetchAdapter: KafkaApiAdapter<'OffsetFetch', 'offsetFetch'> = {
  kafkaApi: 'OffsetFetch',
  kactorApi: 'offsetFetch',
  versions: { min: 1, max: 3 },
  toKactorRequest(body: OffsetFetchRequest): RequestBody<'offsetFetch'> {
    return {
      groupId: body.groupId,
      // Null decodes only from v2 on; before that the list is always given.
      topics: body.topics === null ? null : body.topics.map((topic) => ({ name: topic.name, partitionIndexes: [...topic.partitionIndexes] })),
      // require_stable arrives in v7 (decoded as false): these versions read whatever is committed.
      requireStable: body.requireStable,
    };
  },
  toKafkaResponse(body: ResponseBody<'offsetFetch'>, request: OffsetFetchRequest, version: number): OffsetFetchResponse {
    if (body.errorCode !== 0 && version < TOP_LEVEL_ERROR_VERSION) {
      return { throttleTimeMs: body.throttleTimeMs, topics: partitionsWithError(request, body.errorCode), errorCode: body.errorCode, groups: [] };
    }
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: body.errorCode,
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => ({
          partitionIndex: partition.partitionIndex,
          committedOffset: BigInt(partition.committedOffset),
          committedLeaderEpoch: partition.committedLeaderEpoch,
          metadata: partition.metadata,
          errorCode: partition.errorCode,
        })),
      })),
      groups: [],
    };
  },
  errorResponse(error: WireError, request: OffsetFetchRequest, version: number): OffsetFetchResponse {
    // Kafka's OffsetFetchRequest.getErrorResponse: before v2 on each partition asked for, from v2 at the top only.
    const topics = version < TOP_LEVEL_ERROR_VERSION ? partitionsWithError(request, error.code) : [];
    return { throttleTimeMs: 0, errorCode: error.code, topics, groups: [] };
  },
};
