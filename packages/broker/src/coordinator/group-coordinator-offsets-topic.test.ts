/** FindCoordinator creating `__consumer_offsets` while the active controller moves (KRaft failover). */
import { coordinatorKeyTypes, errorByName, errorForCode } from '@kactor/protocol';
import { createLogger, SimulatedClock, type PeerRequester, type RequestRef, type Responder } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { PartitionHost } from '../node/partition-host.js';
import { GroupCoordinator, OFFSETS_TOPIC } from './group-coordinator.js';
import { testConsumerConfig, testLimits } from './group-test-support.js';

function coordinatorAt(locate: { url: string | undefined }) {
  const asked: Array<{ url: string; topic: string | undefined; answer(result: unknown): void }> = [];
  const peers: PeerRequester = {
    request: (url, _api, body, onResult) =>
      void asked.push({ url, topic: (body as { topics: Array<{ name: string }> }).topics[0]?.name, answer: (result) => onResult(result as never) }),
  };
  const answers: Array<Record<string, unknown>> = [];
  const responder: Responder = { respond: (_ref, body) => void answers.push(body as Record<string, unknown>), respondError: () => undefined, finish: () => undefined };
  const coordinator = new GroupCoordinator({
    brokerId: 1,
    topicConfig: { offsetsTopicNumPartitions: 1, offsetsTopicReplicationFactor: 3, offsetsTopicSegmentBytes: 1_048_576, offsetsCommitTimeoutMs: 5_000 },
    limits: testLimits,
    consumerConfig: testConsumerConfig,
    clock: new SimulatedClock({ startMs: 0 }),
    logger: createLogger({ level: 'silent' }),
    responder,
    ids: { next: () => 'id' },
    peers,
    controllerUrl: () => locate.url,
    partitions: {} as PartitionHost,
    currentImage: () => ({ clusterId: 'c', controllerId: 0, metadataOffset: 3, brokers: [], topics: [] }),
    onFatalError: (error) => {
      throw error;
    },
  });
  let correlationId = 0;
  const findCoordinator = () => {
    const ref: RequestRef = { connectionId: 'client', correlationId: (correlationId += 1), api: 'findCoordinator', version: 0, remoteAddress: '/client' };
    coordinator.handle({ api: 'findCoordinator', ref, body: { key: 'g', keyType: coordinatorKeyTypes.group } } as never);
    return errorForCode(answers.at(-1)?.errorCode as number).name;
  };
  return { asked, findCoordinator };
}

const notController = { ok: true, body: { throttleTimeMs: 0, topics: [{ name: OFFSETS_TOPIC, topicId: '', errorCode: errorByName('NOT_CONTROLLER').code, errorMessage: 'The active controller appears to be node 2', numPartitions: -1, replicationFactor: -1, configs: [] }] } };
const lost = { ok: false, error: { code: errorByName('NETWORK_EXCEPTION').code, name: 'NETWORK_EXCEPTION', message: 'the peer went away', retriable: true } };

describe('GroupCoordinator: creating __consumer_offsets while the controller moves', () => {
  it('after NOT_CONTROLLER or a lost controller, the next FindCoordinator asks the controller known then', () => {
    const locate: { url: string | undefined } = { url: 'ws://controller-0:9100' };
    const { asked, findCoordinator } = coordinatorAt(locate);
    expect(findCoordinator()).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(findCoordinator()).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(asked).toHaveLength(1);
    locate.url = 'ws://controller-2:9100';
    asked[0]?.answer(notController);
    findCoordinator();
    asked[1]?.answer(lost);
    locate.url = 'ws://controller-1:9100';
    findCoordinator();
    expect(asked.map((request) => [request.url, request.topic])).toEqual([
      ['ws://controller-0:9100', OFFSETS_TOPIC],
      ['ws://controller-2:9100', OFFSETS_TOPIC],
      ['ws://controller-1:9100', OFFSETS_TOPIC],
    ]);
  });

  it('while no controller is known nothing is sent, and the client is told to retry (COORDINATOR_NOT_AVAILABLE)', () => {
    const locate: { url: string | undefined } = { url: undefined };
    const { asked, findCoordinator } = coordinatorAt(locate);
    expect(findCoordinator()).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(asked).toEqual([]);
    locate.url = 'ws://controller-1:9100';
    expect(findCoordinator()).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(asked.map((request) => request.url)).toEqual(['ws://controller-1:9100']);
  });
});
