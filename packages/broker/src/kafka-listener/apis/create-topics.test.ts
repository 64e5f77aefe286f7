import type { CreateTopicsRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { createTopicsAdapter } from './create-topics.js';

const request = (validateOnly: boolean): CreateTopicsRequest => ({
  topics: [
    { name: 'orders', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] },
    { name: 'placed', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [2, 1] }], configs: [] },
  ],
  timeoutMs: 30_000,
  validateOnly,
});

const kactorAnswer: ResponseBody<'createTopics'> = {
  throttleTimeMs: 0,
  topics: [
    { name: 'orders', topicId: 'x8nB5hQ0TLmFZ0dVr1dqUw', errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 2 },
    { name: 'placed', topicId: null, errorCode: 36, errorMessage: "Topic 'placed' already exists.", numPartitions: -1, replicationFactor: -1 },
  ],
};

describe('CreateTopics adapter', () => {
  it('passes replica assignments, configs (null values included) and validate_only through', () => {
    const kactor = translated(createTopicsAdapter, 4, request(true));
    expect(kactor).toEqual({
      topics: [
        { name: 'orders', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] },
        { name: 'placed', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [2, 1] }], configs: [] },
      ],
      timeoutMs: 30_000,
      validateOnly: true,
    });
  });

  it('reads v0, which has no validate_only, as a real creation', () => {
    expect(translated(createTopicsAdapter, 0, request(false)).validateOnly).toBe(false);
  });

  it('answers each topic with its error in every version served, the message from v1', () => {
    const read = answeredInEveryVersion(createTopicsAdapter, () => createTopicsAdapter.toKafkaResponse(kactorAnswer, request(false), 4, { kafkaEndpointOf: () => undefined }));
    expect(read.get(0)?.topics.map((topic) => [topic.name, topic.errorCode])).toEqual([['orders', 0], ['placed', 36]]);
    expect(read.get(4)?.topics.map((topic) => [topic.name, topic.errorCode, topic.errorMessage])).toEqual([['orders', 0, null], ['placed', 36, "Topic 'placed' already exists."]]);
  });

  it('puts the error on every topic asked for, as Kafka\'s error response does', () => {
    const answer = createTopicsAdapter.errorResponse(wireError('NOT_CONTROLLER'), request(false), 3);
    expect(answer.topics.map((topic) => [topic.name, topic.errorCode])).toEqual([['orders', 41], ['placed', 41]]);
    answeredInEveryVersion(createTopicsAdapter, () => answer);
  });
});
