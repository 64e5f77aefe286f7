import { wireError, type ResponseBody } from '@kactor/protocol';
import type { DeleteTopicsRequest } from '@kactor/kafka-protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { deleteTopicsAdapter } from './delete-topics.js';

const request: DeleteTopicsRequest = { topics: [], topicNames: ['orders', 'gone'], timeoutMs: 15_000 };

const kactorAnswer: ResponseBody<'deleteTopics'> = {
  throttleTimeMs: 0,
  responses: [
    { name: 'orders', topicId: 'x8nB5hQ0TLmFZ0dVr1dqUw', errorCode: 0, errorMessage: null },
    { name: 'gone', topicId: null, errorCode: 3, errorMessage: 'This server does not host this topic-partition.' },
  ],
};

describe('DeleteTopics adapter', () => {
  it('deletes by name in every version served (v0-5 all name topics)', () => {
    for (let version = 0; version <= deleteTopicsAdapter.versions.max; version += 1) {
      expect(translated(deleteTopicsAdapter, version, request)).toEqual({ topicNames: ['orders', 'gone'], timeoutMs: 15_000 });
    }
  });

  it('answers each topic with its error in every version served, the message from v5', () => {
    const read = answeredInEveryVersion(deleteTopicsAdapter, () => deleteTopicsAdapter.toKafkaResponse(kactorAnswer, request, 5, { kafkaEndpointOf: () => undefined }));
    expect(read.get(0)?.responses.map((topic) => [topic.name, topic.errorCode, topic.errorMessage])).toEqual([['orders', 0, null], ['gone', 3, null]]);
    expect(read.get(5)?.responses.map((topic) => [topic.name, topic.errorCode, topic.errorMessage])).toEqual([
      ['orders', 0, null],
      ['gone', 3, 'This server does not host this topic-partition.'],
    ]);
  });

  it('puts the error on every topic asked for, as Kafka\'s error response does', () => {
    const answer = deleteTopicsAdapter.errorResponse(wireError('NOT_CONTROLLER'), request, 1);
    expect(answer.responses.map((topic) => [topic.name, topic.errorCode])).toEqual([['orders', 41], ['gone', 41]]);
    answeredInEveryVersion(deleteTopicsAdapter, (version) => deleteTopicsAdapter.errorResponse(wireError('NOT_CONTROLLER'), request, version));
  });
});
