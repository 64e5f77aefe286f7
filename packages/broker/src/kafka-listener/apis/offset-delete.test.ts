import { encodeResponseBody, type OffsetDeleteRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { offsetDeleteAdapter } from './offset-delete.js';

const request: OffsetDeleteRequest = { groupId: 'app', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] }] };

describe('OffsetDelete adapter', () => {
  it('asks for the partitions listed and answers each one\'s error in v0', () => {
    expect(offsetDeleteAdapter.toKactorRequest(request, 0)).toEqual(request);
    const answer = offsetDeleteAdapter.toKafkaResponse(
      { errorCode: 0, throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 86 }] }] },
      request,
      0,
      { kafkaEndpointOf: () => undefined },
    );
    expect(answer.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([0, 86]);
    expect(encodeResponseBody('OffsetDelete', 0, answer).length).toBeGreaterThan(0);
  });

  it('answers an error at the top with no partitions, as Kafka\'s error response does', () => {
    expect(offsetDeleteAdapter.errorResponse(wireError('GROUP_ID_NOT_FOUND'), request, 0)).toEqual({ errorCode: 69, throttleTimeMs: 0, topics: [] });
  });
});
