import type { CreatePartitionsRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { createPartitionsAdapter } from './create-partitions.js';

const request: CreatePartitionsRequest = {
  topics: [
    { name: 'orders', count: 6, assignments: null },
    { name: 'placed', count: 3, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 3] }] },
  ],
  timeoutMs: 30_000,
  validateOnly: true,
};

const kactorAnswer: ResponseBody<'createPartitions'> = {
  throttleTimeMs: 0,
  results: [
    { name: 'orders', errorCode: 0, errorMessage: null },
    { name: 'placed', errorCode: 37, errorMessage: 'Topic placed already has 3 partitions.' },
  ],
};

describe('CreatePartitions adapter', () => {
  it('passes counts, manual assignments (or none) and validate_only through in every version served', () => {
    for (let version = 0; version <= createPartitionsAdapter.versions.max; version += 1) {
      expect(translated(createPartitionsAdapter, version, request)).toEqual({
        topics: [
          { name: 'orders', count: 6, assignments: null },
          { name: 'placed', count: 3, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 3] }] },
        ],
        timeoutMs: 30_000,
        validateOnly: true,
      });
    }
  });

  it('answers each topic with its error and message in every version served', () => {
    const read = answeredInEveryVersion(createPartitionsAdapter, () => createPartitionsAdapter.toKafkaResponse(kactorAnswer, request, 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) {
      expect(answer.results).toEqual([
        { name: 'orders', errorCode: 0, errorMessage: null },
        { name: 'placed', errorCode: 37, errorMessage: 'Topic placed already has 3 partitions.' },
      ]);
    }
  });

  it('puts the error on every topic asked for, as Kafka\'s error response does', () => {
    const answer = createPartitionsAdapter.errorResponse(wireError('NOT_CONTROLLER'), request, 0);
    expect(answer.results.map((topic) => [topic.name, topic.errorCode])).toEqual([['orders', 41], ['placed', 41]]);
  });
});
