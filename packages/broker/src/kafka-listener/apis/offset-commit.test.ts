import { decodeRequestBody, encodeRequestBody, encodeResponseBody, type OffsetCommitRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { int64ToNumber } from './int64-to-number.js';
import { offsetCommitAdapter } from './offset-commit.js';

const request: OffsetCommitRequest = {
  groupId: 'app',
  generationIdOrMemberEpoch: 5,
  memberId: 'member-1',
  groupInstanceId: null,
  retentionTimeMs: -1n,
  topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: 'm' }] }],
};

/** The request as a client sends it at `version`: encoded, then decoded as the listener decodes it. */
function onTheWire(version: number): OffsetCommitRequest {
  const decoded = decodeRequestBody('OffsetCommit', version, encodeRequestBody('OffsetCommit', version, request));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe('OffsetCommit adapter', () => {
  it('commits outside any generation in v0, which carries no generation or member id (a simple commit)', () => {
    expect(offsetCommitAdapter.toKactorRequest(onTheWire(0), 0)).toMatchObject({ groupId: 'app', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1 });
  });

  it('commits as the member of its generation from v1, with the broker\'s retention when v2 says -1', () => {
    const body = offsetCommitAdapter.toKactorRequest(onTheWire(2), 2);
    expect(body).toEqual({
      groupId: 'app',
      generationIdOrMemberEpoch: 5,
      memberId: 'member-1',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: 'm' }] }],
    });
    expect(offsetCommitAdapter.toKactorRequest(onTheWire(1), 1)).toMatchObject({ generationIdOrMemberEpoch: 5, memberId: 'member-1' });
  });

  it('saturates an int64 beyond JavaScript\'s safe integers instead of wrapping it', () => {
    expect(int64ToNumber(2n ** 62n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToNumber(-(2n ** 62n))).toBe(Number.MIN_SAFE_INTEGER);
    expect(int64ToNumber(-1n)).toBe(-1);
  });

  it('answers each partition\'s error in every version served', () => {
    const answer = offsetCommitAdapter.toKafkaResponse(
      { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 22 }] }] },
      request,
      2,
      { kafkaEndpointOf: () => undefined },
    );
    expect(answer.topics).toEqual([{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 22 }] }]);
    for (let version = offsetCommitAdapter.versions.min; version <= offsetCommitAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('OffsetCommit', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('puts the error on every partition asked for, as Kafka\'s error response does', () => {
    const answer = offsetCommitAdapter.errorResponse(wireError('NOT_COORDINATOR'), request, 2);
    expect(answer.topics).toEqual([{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 16 }] }]);
  });
});
