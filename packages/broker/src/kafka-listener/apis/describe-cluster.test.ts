import type { DescribeClusterRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { describeClusterAdapter } from './describe-cluster.js';

const request = (endpointType: number): DescribeClusterRequest => ({ includeClusterAuthorizedOperations: false, endpointType });

const kactorAnswer: ResponseBody<'metadata'> = {
  throttleTimeMs: 0,
  clusterId: 'cluster-a',
  controllerId: 2,
  brokers: [
    { nodeId: 1, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101', rack: null },
    { nodeId: 2, host: '127.0.0.1', port: 9102, url: 'ws://127.0.0.1:9102', rack: 'r2' },
    { nodeId: 3, host: '127.0.0.1', port: 9103, url: 'ws://127.0.0.1:9103', rack: null },
  ],
  topics: [],
};

const context = { kafkaEndpointOf: (nodeId: number) => (nodeId === 3 ? undefined : { host: 'localhost', port: 9091 + nodeId }) };

describe('DescribeCluster adapter', () => {
  it('asks kactor\'s Metadata for the brokers only (no topics, none created)', () => {
    expect(translated(describeClusterAdapter, 0, request(1))).toEqual({ topics: [], allowAutoTopicCreation: false });
    expect(translated(describeClusterAdapter, 1, request(1))).toEqual({ topics: [], allowAutoTopicCreation: false });
  });

  it('names brokers by their Kafka listener, with the cluster id and the controller, in every version served', () => {
    const read = answeredInEveryVersion(describeClusterAdapter, (version) => describeClusterAdapter.toKafkaResponse(kactorAnswer, request(1), version, context));
    for (const answer of read.values()) {
      expect(answer).toMatchObject({ errorCode: 0, clusterId: 'cluster-a', controllerId: 2, endpointType: 1 });
      expect(answer.brokers).toEqual([
        { brokerId: 1, host: 'localhost', port: 9092, rack: null },
        { brokerId: 2, host: 'localhost', port: 9093, rack: 'r2' },
      ]);
    }
  });

  it('answers an unknown cluster id with the empty string, which Kafka\'s field allows where null is not', () => {
    expect(describeClusterAdapter.toKafkaResponse({ ...kactorAnswer, clusterId: null }, request(1), 0, context).clusterId).toBe('');
  });

  it('refuses to describe controllers (v1 endpoint type 2) with UNSUPPORTED_ENDPOINT_TYPE, as a Kafka broker does', () => {
    const answer = describeClusterAdapter.toKafkaResponse(kactorAnswer, request(2), 1, context);
    expect(answer).toMatchObject({ errorCode: 115, brokers: [] });
  });

  it('answers an error with its code and message', () => {
    const answer = describeClusterAdapter.errorResponse(wireError('NOT_CONTROLLER', 'not now'), request(1), 0);
    expect(answer).toMatchObject({ errorCode: 41, errorMessage: 'not now', brokers: [] });
    answeredInEveryVersion(describeClusterAdapter, () => answer);
  });
});
