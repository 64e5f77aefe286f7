import { encodeResponseBody, type OffsetFetchRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { offsetFetchAdapter } from './offset-fetch.js';

const request = (topics: OffsetFetchRequest['topics']): OffsetFetchRequest => ({ groupId: 'app', topics, groups: [], requireStable: false });
const asked = request([{ name: 'orders', partitionIndexes: [0, 1] }]);
const noContext = { kafkaEndpointOf: () => undefined };
const committed: ResponseBody<'offsetFetch'> = {
  throttleTimeMs: 0,
  errorCode: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
      ],
    },
  ],
};

describe('OffsetFetch adapter', () => {
  it('asks for the partitions listed, or for every committed one with v2\'s null', () => {
    expect(offsetFetchAdapter.toKactorRequest(asked, 1)).toEqual({ groupId: 'app', topics: [{ name: 'orders', partitionIndexes: [0, 1] }], requireStable: false });
    expect(offsetFetchAdapter.toKactorRequest(request(null), 2)).toEqual({ groupId: 'app', topics: null, requireStable: false });
  });

  it('answers the committed offsets (-1 where none) in every version served', () => {
    const answer = offsetFetchAdapter.toKafkaResponse(committed, asked, 3, noContext);
    expect(answer.topics[0]?.partitions.map((partition) => partition.committedOffset)).toEqual([42n, -1n]);
    expect(answer.errorCode).toBe(0);
    for (let version = offsetFetchAdapter.versions.min; version <= offsetFetchAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('OffsetFetch', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('says a group-wide error on each partition asked for in v1, which has no top-level error, and at the top from v2', () => {
    const loading: ResponseBody<'offsetFetch'> = { throttleTimeMs: 0, errorCode: 14, topics: [] };
    const v1 = offsetFetchAdapter.toKafkaResponse(loading, asked, 1, noContext);
    expect(v1.topics[0]?.partitions.map((partition) => [partition.partitionIndex, partition.committedOffset, partition.errorCode])).toEqual([
      [0, -1n, 14],
      [1, -1n, 14],
    ]);
    expect(offsetFetchAdapter.toKafkaResponse(loading, asked, 2, noContext)).toMatchObject({ errorCode: 14, topics: [] });
  });

  it('answers an error as Kafka\'s error response: per partition before v2, at the top from v2', () => {
    expect(offsetFetchAdapter.errorResponse(wireError('NOT_COORDINATOR'), asked, 1).topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([16, 16]);
    expect(offsetFetchAdapter.errorResponse(wireError('NOT_COORDINATOR'), asked, 3)).toMatchObject({ errorCode: 16, topics: [] });
  });
});
