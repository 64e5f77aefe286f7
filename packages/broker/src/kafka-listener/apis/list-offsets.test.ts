import { decodeResponseBody, encodeResponseBody, type ListOffsetsRequest } from '@kactor/kafka-protocol';
import { errorCodes, wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { listOffsetsAdapter } from './list-offsets.js';

const context = { kafkaEndpointOf: () => undefined };

/** v1 decodes without an isolation level (0) or leader epochs (-1); later versions carry them. */
const request = (timestamps: bigint[], isolationLevel = 0, currentLeaderEpoch = -1): ListOffsetsRequest => ({
  replicaId: -1,
  isolationLevel,
  timeoutMs: 0,
  topics: [{ name: 'orders', partitions: timestamps.map((timestamp, partitionIndex) => ({ partitionIndex, currentLeaderEpoch, timestamp, maxNumOffsets: 1 })) }],
});

const answer: ResponseBody<'listOffsets'> = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 42, leaderEpoch: 3 },
        { partitionIndex: 1, errorCode: 0, timestamp: -1, offset: 0, leaderEpoch: 3 },
        { partitionIndex: 2, errorCode: 0, timestamp: 1_700_000_000_123, offset: 17, leaderEpoch: 3 },
      ],
    },
  ],
};

describe('ListOffsets adapter', () => {
  it('asks kactor for latest (-1), earliest (-2) and by timestamp, with the isolation level and leader epoch of the version', () => {
    expect(listOffsetsAdapter.toKactorRequest(request([-1n, -2n, 1_700_000_000_000n]), 1)).toEqual({
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 },
            { partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -2 },
            { partitionIndex: 2, currentLeaderEpoch: -1, timestamp: 1_700_000_000_000 },
          ],
        },
      ],
    });
    const v4 = listOffsetsAdapter.toKactorRequest(request([-1n], 1, 3), 4);
    expect(v4.isolationLevel).toBe(1);
    expect(v4.topics[0]?.partitions[0]?.currentLeaderEpoch).toBe(3);
  });

  it('answers offsets and timestamps in every served version, the leader epoch only from v4 (KIP-320)', () => {
    for (let version = listOffsetsAdapter.versions.min; version <= listOffsetsAdapter.versions.max; version += 1) {
      const kafka = listOffsetsAdapter.toKafkaResponse(answer, request([-1n, -2n, 1_700_000_000_000n]), version, context);
      const decoded = decodeResponseBody('ListOffsets', version, encodeResponseBody('ListOffsets', version, kafka));
      if (!decoded.ok) throw new Error(`v${version}: ${decoded.error.message}`);
      expect(decoded.value.topics[0]?.partitions.map(({ offset, timestamp, leaderEpoch }) => [offset, timestamp, leaderEpoch]), `v${version}`).toEqual([
        [42n, -1n, version >= 4 ? 3 : -1],
        [0n, -1n, version >= 4 ? 3 : -1],
        [17n, 1_700_000_000_123n, version >= 4 ? 3 : -1],
      ]);
    }
  });

  it('refuses an isolation level Kafka does not know with INVALID_REQUEST on every partition, asking the broker nothing', () => {
    const unknown = request([-1n, -2n], 7);
    expect(listOffsetsAdapter.toKactorRequest(unknown, 2).topics).toEqual([]);
    const kafka = listOffsetsAdapter.toKafkaResponse({ throttleTimeMs: 0, topics: [] }, unknown, 2, context);
    expect(kafka.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([errorCodes.INVALID_REQUEST, errorCodes.INVALID_REQUEST]);
  });

  it('puts the error on every partition asked for, as Kafka\'s error response does', () => {
    const kafka = listOffsetsAdapter.errorResponse(wireError('NOT_LEADER_OR_FOLLOWER'), request([-1n, -2n]), 1);
    expect(kafka.topics[0]?.partitions.map(({ errorCode, offset }) => [errorCode, offset])).toEqual([
      [6, -1n],
      [6, -1n],
    ]);
    expect(encodeResponseBody('ListOffsets', 1, kafka).length).toBeGreaterThan(0);
  });
});
