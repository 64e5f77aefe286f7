import type { MetadataRequest } from '@kactor/kafka-protocol';
import { encodeResponseBody, ZERO_UUID } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { metadataAdapter } from './metadata.js';

const request = (topics: string[] | null, allowAutoTopicCreation = true): MetadataRequest => ({
  topics: topics?.map((name) => ({ topicId: ZERO_UUID, name })) ?? null,
  allowAutoTopicCreation,
  includeClusterAuthorizedOperations: false,
  includeTopicAuthorizedOperations: false,
});

const kactorAnswer: ResponseBody<'metadata'> = {
  throttleTimeMs: 0,
  clusterId: 'cluster-a',
  controllerId: 1,
  brokers: [
    { nodeId: 1, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101', rack: null },
    { nodeId: 2, host: '127.0.0.1', port: 9102, url: 'ws://127.0.0.1:9102', rack: 'r2' },
  ],
  topics: [
    {
      errorCode: 0,
      name: 'orders',
      topicId: 'kactor-topic-id',
      isInternal: false,
      partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 3, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] }],
    },
  ],
};

describe('Metadata adapter', () => {
  it('reads an empty topic list as every topic in v0 and as none from v1 (reference §3)', () => {
    expect(metadataAdapter.toKactorRequest(request([]), 0)).toEqual({ topics: null, allowAutoTopicCreation: true });
    expect(metadataAdapter.toKactorRequest(request([]), 1)).toEqual({ topics: [], allowAutoTopicCreation: true });
    expect(metadataAdapter.toKactorRequest(request(null), 1)).toEqual({ topics: null, allowAutoTopicCreation: true });
    expect(metadataAdapter.toKactorRequest(request(['orders'], false), 4)).toEqual({ topics: ['orders'], allowAutoTopicCreation: false });
  });

  it('names brokers by their Kafka listener and leaves out those whose listener is unknown', () => {
    const answer = metadataAdapter.toKafkaResponse(kactorAnswer, request(null), 4, {
      kafkaEndpointOf: (nodeId) => (nodeId === 1 ? { host: 'localhost', port: 9092 } : undefined),
    });
    expect(answer.brokers).toEqual([{ nodeId: 1, host: 'localhost', port: 9092, rack: null }]);
    expect(answer.topics[0]).toMatchObject({ name: 'orders', topicId: ZERO_UUID, partitions: [{ leaderId: 1, replicaNodes: [1, 2], isrNodes: [1, 2] }] });
    expect(answer.clusterId).toBe('cluster-a');
  });

  it('answers every version served in a layout that encodes', () => {
    const answer = metadataAdapter.toKafkaResponse(kactorAnswer, request(null), 0, { kafkaEndpointOf: () => ({ host: 'localhost', port: 9092 }) });
    for (let version = metadataAdapter.versions.min; version <= metadataAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('Metadata', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('puts the error on every topic asked for, as Kafka\'s error response does', () => {
    const answer = metadataAdapter.errorResponse(wireError('NOT_CONTROLLER'), request(['a', 'b']), 1);
    expect(answer.topics.map((topic) => topic.errorCode)).toEqual([41, 41]);
    expect(answer.brokers).toEqual([]);
  });
});
