/**
 * OffsetCommit (key 8) over the Kafka listener, versions 0-2 (reference §3). v0 carries no generation or
 * member id: a "simple" commit outside any generation (generation -1, no member), which the coordinator
 * accepts only from outside an active group, as Kafka does. v1 adds the generation, member id and a
 * per-partition commit timestamp; v2 replaces that timestamp with retention_time_ms (-1: the broker's
 * offsets.retention.minutes).
 */
import type { OffsetCommitRequest, OffsetCommitResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { committedOffsets } from './committed-offsets.js';
import { int64ToNumber } from './int64-to-number.js';
import { everyPartitionFailed, partitionErrors } from './partition-errors.js';

export const offsetCommitAdapter: KafkaApiAdapter<'OffsetCommit', 'offsetCommit'> = {
  kafkaApi: 'OffsetCommit',
  kactorApi: 'offsetCommit',
  versions: { min: 0, max: 2 },
  toKactorRequest(body: OffsetCommitRequest, version: number): RequestBody<'offsetCommit'> {
    return {
      groupId: body.groupId,
      generationIdOrMemberEpoch: version === 0 ? -1 : body.generationIdOrMemberEpoch,
      memberId: version === 0 ? '' : body.memberId,
      groupInstanceId: body.groupInstanceId,
      // v0 and v1 have no retention (v2's default, -1, is the broker's setting). v1's per-partition commit
      // timestamp is dropped: kactor, like Kafka since 2.1 (KIP-211), expires offsets from the group's own clock.
      retentionTimeMs: int64ToNumber(body.retentionTimeMs),
      topics: committedOffsets(body.topics),
    };
  },
  toKafkaResponse(body: ResponseBody<'offsetCommit'>): OffsetCommitResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      topics: partitionErrors(body.topics),
    };
  },
  errorResponse(error: WireError, request: OffsetCommitRequest): OffsetCommitResponse {
    // Kafka's OffsetCommitRequest.getErrorResponse: every partition asked for carries the error.
    return {
      throttleTimeMs: 0,
      topics: everyPartitionFailed(request.topics, error.code),
    };
  },
};
