import { decodeResponseBody, defaultRequestBody, encodeResponseBody, ZERO_UUID, type FetchRequest } from '@kactor/kafka-protocol';
import { encodeRecordBatch, errorCodes, wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { fetchAdapter } from './fetch.js';

const context = { kafkaEndpointOf: () => undefined };
const records = encodeRecordBatch({ records: [{ key: null, value: new TextEncoder().encode('v'), timestamp: 5 }] });

/** A Fetch as the generated decoder gives it: fields a version lacks hold their defaults (no fetch session). */
function request(overrides: Partial<FetchRequest> = {}, partition: Partial<FetchRequest['topics'][number]['partitions'][number]> = {}): FetchRequest {
  return {
    ...defaultRequestBody('Fetch'),
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52_428_800,
    isolationLevel: 1,
    topics: [
      {
        topic: 'orders',
        topicId: ZERO_UUID,
        partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 12n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1_048_576, replicaDirectoryId: ZERO_UUID, ...partition }],
      },
    ],
    ...overrides,
  } as FetchRequest;
}

const readAnswer = (partition: Partial<ResponseBody<'fetch'>['responses'][number]['partitions'][number]> = {}): ResponseBody<'fetch'> => ({
  throttleTimeMs: 0,
  errorCode: 0,
  responses: [
    {
      topic: 'orders',
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          highWatermark: 20,
          lastStableOffset: 15,
          logStartOffset: 3,
          abortedTransactions: [{ producerId: 9, firstOffset: 13 }],
          records,
          ...partition,
        },
      ],
    },
  ],
});

describe('Fetch adapter', () => {
  it('reads v4 as kactor\'s fetch: isolation level, offsets as numbers, no leader epoch check, no follower fields', () => {
    expect(fetchAdapter.toKactorRequest(request(), 4)).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52_428_800,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 12, logStartOffset: -1, partitionMaxBytes: 1_048_576 }] }],
    });
  });

  it('passes the current leader epoch of v9+ (KIP-320) and a replica id for the broker to refuse', () => {
    const kactor = fetchAdapter.toKactorRequest(request({ replicaId: 2 }, { currentLeaderEpoch: 4 }), 9);
    expect(kactor.replicaId).toBe(2);
    expect(kactor.topics[0]?.partitions[0]?.currentLeaderEpoch).toBe(4);
  });

  it('answers the high watermark, last stable offset, aborted transactions and records bytes untouched', () => {
    const answer = fetchAdapter.toKafkaResponse(readAnswer(), request(), 4, context);
    expect(answer.sessionId).toBe(0);
    expect(answer.responses[0]?.partitions[0]).toMatchObject({
      partitionIndex: 0,
      errorCode: 0,
      highWatermark: 20n,
      lastStableOffset: 15n,
      abortedTransactions: [{ producerId: 9n, firstOffset: 13n }],
      preferredReadReplica: -1,
    });
    expect(answer.responses[0]?.partitions[0]?.records).toBe(records);
    expect(fetchAdapter.toKafkaResponse(readAnswer({ abortedTransactions: null }), request(), 4, context).responses[0]?.partitions[0]?.abortedTransactions).toBeNull();
  });

  it('answers every served version in a layout that encodes and decodes to the same records', () => {
    for (let version = fetchAdapter.versions.min; version <= fetchAdapter.versions.max; version += 1) {
      const answer = fetchAdapter.toKafkaResponse(readAnswer(), request(), version, context);
      const decoded = decodeResponseBody('Fetch', version, encodeResponseBody('Fetch', version, answer));
      if (!decoded.ok) throw new Error(`v${version}: ${decoded.error.message}`);
      const partition = decoded.value.responses[0]?.partitions[0];
      expect(partition?.records, `v${version}`).toEqual(records);
      expect(partition?.logStartOffset, `v${version}`).toBe(version >= 5 ? 3n : -1n);
    }
  });

  it('tells v4 and v5 clients NOT_LEADER_OR_FOLLOWER for a storage error they cannot know (KIP-112)', () => {
    const body = readAnswer({ errorCode: errorCodes.KAFKA_STORAGE_ERROR });
    expect(fetchAdapter.toKafkaResponse(body, request(), 5, context).responses[0]?.partitions[0]?.errorCode).toBe(errorCodes.NOT_LEADER_OR_FOLLOWER);
    expect(fetchAdapter.toKafkaResponse(body, request(), 6, context).responses[0]?.partitions[0]?.errorCode).toBe(errorCodes.KAFKA_STORAGE_ERROR);
  });

  it('makes no fetch session: a full fetch of v7+ is served, an incremental one is FETCH_SESSION_ID_NOT_FOUND without reading', () => {
    expect(fetchAdapter.toKactorRequest(request({ sessionId: 0, sessionEpoch: 0 }), 7).topics).toHaveLength(1);
    expect(fetchAdapter.toKactorRequest(request({ sessionId: 0, sessionEpoch: -1 }), 7).topics).toHaveLength(1);
    const incremental = request({ sessionId: 17, sessionEpoch: 3 });
    expect(fetchAdapter.toKactorRequest(incremental, 7)).toMatchObject({ topics: [], maxWaitMs: 0 });
    const answer = fetchAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, responses: [] }, incremental, 7, context);
    expect(answer).toMatchObject({ errorCode: errorCodes.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] });
  });

  it('refuses an isolation level Kafka does not know with INVALID_REQUEST on every partition', () => {
    const unknown = request({ isolationLevel: 2 });
    expect(fetchAdapter.toKactorRequest(unknown, 4).topics).toEqual([]);
    const answer = fetchAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, responses: [] }, unknown, 4, context);
    expect(answer.responses[0]?.partitions.map((partition) => partition.errorCode)).toEqual([errorCodes.INVALID_REQUEST]);
  });

  it('puts the error on every partition asked for and at the top, as Kafka\'s error response below v13 does', () => {
    const answer = fetchAdapter.errorResponse(wireError('NOT_LEADER_OR_FOLLOWER'), request(), 11);
    expect(answer.errorCode).toBe(6);
    expect(answer.responses[0]?.partitions[0]).toMatchObject({ partitionIndex: 0, errorCode: 6, highWatermark: -1n, lastStableOffset: -1n, abortedTransactions: null });
    expect(encodeResponseBody('Fetch', 4, answer).length).toBeGreaterThan(0);
  });
});
