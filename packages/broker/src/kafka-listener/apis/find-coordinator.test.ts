import type { FindCoordinatorRequest } from '@kactor/kafka-protocol';
import { encodeResponseBody } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import type { AdapterContext } from './adapter.js';
import { findCoordinatorAdapter } from './find-coordinator.js';

const request = (key: string, keyType = 0): FindCoordinatorRequest => ({ key, keyType, coordinatorKeys: [] });
const kactorAnswer: ResponseBody<'findCoordinator'> = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 2, host: '127.0.0.1', port: 9102, url: 'ws://127.0.0.1:9102' };
const knowsBroker2: AdapterContext = { kafkaEndpointOf: (nodeId) => (nodeId === 2 ? { host: 'localhost', port: 9093 } : undefined) };

describe('FindCoordinator adapter', () => {
  it('asks for a group in v0 (no key type) and for either kind in v1', () => {
    expect(findCoordinatorAdapter.toKactorRequest(request('app'), 0)).toEqual({ key: 'app', keyType: 0 });
    expect(findCoordinatorAdapter.toKactorRequest(request('txn-1', 1), 1)).toEqual({ key: 'txn-1', keyType: 1 });
  });

  it('names the coordinator by its Kafka listener, not its kactor address', () => {
    const answer = findCoordinatorAdapter.toKafkaResponse(kactorAnswer, request('app'), 1, knowsBroker2);
    expect(answer).toMatchObject({ errorCode: 0, errorMessage: null, nodeId: 2, host: 'localhost', port: 9093 });
  });

  it('answers COORDINATOR_NOT_AVAILABLE (retriable) when the coordinator has no known Kafka listener', () => {
    const answer = findCoordinatorAdapter.toKafkaResponse(kactorAnswer, request('app'), 1, { kafkaEndpointOf: () => undefined });
    expect(answer).toMatchObject({ errorCode: 15, nodeId: -1, host: '', port: -1 });
    expect(answer.errorMessage).toContain('broker 2');
  });

  it('passes kactor\'s own error on with no node', () => {
    const answer = findCoordinatorAdapter.toKafkaResponse({ ...kactorAnswer, errorCode: 15, errorMessage: 'electing', nodeId: -1, host: '', port: -1, url: '' }, request('app'), 1, knowsBroker2);
    expect(answer).toMatchObject({ errorCode: 15, errorMessage: 'electing', nodeId: -1, host: '', port: -1 });
  });

  it('answers every version served in a layout that encodes', () => {
    const answer = findCoordinatorAdapter.toKafkaResponse(kactorAnswer, request('app'), 0, knowsBroker2);
    for (let version = findCoordinatorAdapter.versions.min; version <= findCoordinatorAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('FindCoordinator', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with no node, as Kafka\'s error response does', () => {
    expect(findCoordinatorAdapter.errorResponse(wireError('NOT_COORDINATOR'), request('app'), 1)).toMatchObject({ errorCode: 16, nodeId: -1, host: '', port: -1 });
  });
});
