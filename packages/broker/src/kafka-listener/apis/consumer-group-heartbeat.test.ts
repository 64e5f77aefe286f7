import type { ConsumerGroupHeartbeatRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { consumerGroupHeartbeatAdapter } from './consumer-group-heartbeat.js';

const ordersId = 'x8nB5hQ0TLmFZ0dVr1dqUw';

const join: ConsumerGroupHeartbeatRequest = {
  groupId: 'billing',
  memberId: 'Zq0LwmS7QdKcJ9kq3p9gTw',
  memberEpoch: 0,
  instanceId: null,
  rackId: 'r1',
  rebalanceTimeoutMs: 300_000,
  subscribedTopicNames: ['orders'],
  subscribedTopicRegex: null,
  serverAssignor: 'uniform',
  topicPartitions: [],
};

const steady: ConsumerGroupHeartbeatRequest = {
  ...join,
  memberEpoch: 3,
  rackId: null,
  rebalanceTimeoutMs: -1,
  subscribedTopicNames: null,
  serverAssignor: null,
  topicPartitions: null,
};

describe('ConsumerGroupHeartbeat adapter', () => {
  it('passes a join and a plain heartbeat (every field null or -1: unchanged) through in v0 and v1', () => {
    for (const version of [0, 1]) {
      expect(translated(consumerGroupHeartbeatAdapter, version, join)).toEqual({ ...join });
      expect(translated(consumerGroupHeartbeatAdapter, version, steady)).toEqual({ ...steady });
    }
  });

  it('keeps the topic ids of owned partitions, which are Kafka UUIDs as Metadata names them', () => {
    const owned = translated(consumerGroupHeartbeatAdapter, 0, { ...steady, topicPartitions: [{ topicId: ordersId, partitions: [0, 2] }] });
    expect(owned.topicPartitions).toEqual([{ topicId: ordersId, partitions: [0, 2] }]);
  });

  it('passes a v1 regular expression subscription on, for kactor\'s coordinator to refuse', () => {
    expect(translated(consumerGroupHeartbeatAdapter, 1, { ...join, subscribedTopicRegex: 'ord.*' }).subscribedTopicRegex).toBe('ord.*');
  });

  it('answers the member\'s epoch and assignment by topic id in every version served, and a null assignment as unchanged', () => {
    const kactorAnswer: ResponseBody<'consumerGroupHeartbeat'> = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: join.memberId,
      memberEpoch: 4,
      heartbeatIntervalMs: 5_000,
      assignment: { topicPartitions: [{ topicId: ordersId, partitions: [1, 0] }] },
    };
    const read = answeredInEveryVersion(consumerGroupHeartbeatAdapter, () => consumerGroupHeartbeatAdapter.toKafkaResponse(kactorAnswer, join, 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) expect(answer).toMatchObject({ ...kactorAnswer });
    const unchanged = consumerGroupHeartbeatAdapter.toKafkaResponse({ ...kactorAnswer, assignment: null }, steady, 1, { kafkaEndpointOf: () => undefined });
    expect(unchanged.assignment).toBeNull();
  });

  it('answers an error with its code and message, and no member epoch or assignment', () => {
    const answer = consumerGroupHeartbeatAdapter.errorResponse(wireError('NOT_COORDINATOR'), steady, 0);
    expect(answer).toMatchObject({ errorCode: 16, memberId: null, assignment: null });
    answeredInEveryVersion(consumerGroupHeartbeatAdapter, () => answer);
  });
});
