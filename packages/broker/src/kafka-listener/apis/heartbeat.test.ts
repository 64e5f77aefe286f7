import { encodeResponseBody, type HeartbeatRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { heartbeatAdapter } from './heartbeat.js';

const request: HeartbeatRequest = { groupId: 'app', generationId: 4, memberId: 'member-1', groupInstanceId: null };

describe('Heartbeat adapter', () => {
  it('asks with the generation and member id, with no instance id in these versions', () => {
    expect(heartbeatAdapter.toKactorRequest(request, 0)).toEqual({ groupId: 'app', generationId: 4, memberId: 'member-1', groupInstanceId: null });
  });

  it('answers the coordinator\'s error code (REBALANCE_IN_PROGRESS: rejoin) in every version served', () => {
    const answer = heartbeatAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 27 }, request, 1, { kafkaEndpointOf: () => undefined });
    expect(answer.errorCode).toBe(27);
    for (let version = heartbeatAdapter.versions.min; version <= heartbeatAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('Heartbeat', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with its code', () => {
    expect(heartbeatAdapter.errorResponse(wireError('COORDINATOR_LOAD_IN_PROGRESS'), request, 1)).toEqual({ throttleTimeMs: 0, errorCode: 14 });
  });
});
