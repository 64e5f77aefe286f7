/**
 * ListOffsets (key 2) over the Kafka listener, versions 1-5: a partition's offset for a timestamp, with -1 for the
 * latest (the high watermark, or the last stable offset read_committed) and -2 for the earliest; v2 adds the
 * isolation level, v4 the client's current leader epoch and the answer's leader epoch (KIP-320). v0 answers a
 * list of segment offsets, which kactor's log does not give (it closes the connection); v6+ are flexible, and v7+
 * bring the special timestamps kactor does not serve (-3 max timestamp, KIP-734; -4/-5 tiered storage).
 */
import type { ListOffsetsRequest, ListOffsetsResponse, ListOffsetsResponseListOffsetsPartitionResponse } from '@kactor/kafka-protocol';
import { errorCodes, isolationLevels, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { int64ToNumber } from './int64-to-number.js';

/** KIP-320: v4 brings the leader epochs. */
const FIRST_VERSION_WITH_LEADER_EPOCH = 4;

function partitionError(partitionIndex: number, errorCode: number): ListOffsetsResponseListOffsetsPartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 };
}

/** An isolation level Kafka does not know (only 0 and 1 exist) refuses the whole request. */
function hasUnknownIsolationLevel(request: ListOffsetsRequest): boolean {
  return request.isolationLevel !== isolationLevels.readUncommitted && request.isolationLevel !== isolationLevels.readCommitted;
}

function errorAnswer(errorCode: number, request: ListOffsetsRequest): ListOffsetsResponse {
  // As Kafka's ListOffsetsRequest.getErrorResponse: every partition asked for carries the error.
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => partitionError(partition.partitionIndex, errorCode)) })),
  };
}

export const listOffsetsAdapter: KafkaApiAdapter<'ListOffsets', 'listOffsets'> = {
  kafkaApi: 'ListOffsets',
  kactorApi: 'listOffsets',
  versions: { min: 1, max: 5 },
  toKactorRequest(body: ListOffsetsRequest): RequestBody<'listOffsets'> {
    // Version 1 decodes the isolation level as 0 (read_uncommitted) and the leader epoch as -1 (no check), as Kafka reads them.
    const unknownIsolation = hasUnknownIsolationLevel(body);
    return {
      replicaId: body.replicaId,
      isolationLevel: unknownIsolation ? isolationLevels.readUncommitted : (body.isolationLevel as 0 | 1),
      // A refused request asks the broker for nothing; the answer is the error.
      topics: unknownIsolation
        ? []
        : body.topics.map((topic) => ({
            name: topic.name,
            partitions: topic.partitions.map((partition) => ({
              partitionIndex: partition.partitionIndex,
              currentLeaderEpoch: partition.currentLeaderEpoch,
              timestamp: int64ToNumber(partition.timestamp),
            })),
          })),
    };
  },
  toKafkaResponse(body: ResponseBody<'listOffsets'>, request: ListOffsetsRequest, version: number): ListOffsetsResponse {
    // The leader epoch is no field before v4, where only its default may stand (Kafka refuses to write another).
    const withLeaderEpoch = version >= FIRST_VERSION_WITH_LEADER_EPOCH;
    if (hasUnknownIsolationLevel(request)) return errorAnswer(errorCodes.INVALID_REQUEST, request);
    return {
      throttleTimeMs: body.throttleTimeMs,
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => ({
          partitionIndex: partition.partitionIndex,
          errorCode: partition.errorCode,
          oldStyleOffsets: [],
          timestamp: BigInt(partition.timestamp),
          offset: BigInt(partition.offset),
          leaderEpoch: withLeaderEpoch ? partition.leaderEpoch : -1,
        })),
      })),
    };
  },
  errorResponse(error: WireError, request: ListOffsetsRequest): ListOffsetsResponse {
    return errorAnswer(error.code, request);
  },
};
