import type { SyncGroupRequest } from '@kactor/kafka-protocol';
import { encodeResponseBody } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { syncGroupAdapter } from './sync-group.js';

const assignment = Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115, 0, 0, 0, 1, 0, 0, 0, 0, 255, 255, 255, 255]);
const leaderSync: SyncGroupRequest = {
  groupId: 'app',
  generationId: 3,
  memberId: 'leader-1',
  groupInstanceId: null,
  protocolType: null,
  protocolName: null,
  assignments: [
    { memberId: 'leader-1', assignment },
    { memberId: 'follower-2', assignment: new Uint8Array(0) },
  ],
};

describe('SyncGroup adapter', () => {
  it('hands the leader\'s assignments to the coordinator as the very bytes the client wrote', () => {
    const body = syncGroupAdapter.toKactorRequest(leaderSync, 1);
    expect(body).toMatchObject({ groupId: 'app', generationId: 3, memberId: 'leader-1', groupInstanceId: null, protocolType: null, protocolName: null });
    expect(body.assignments.map((entry) => entry.memberId)).toEqual(['leader-1', 'follower-2']);
    expect(body.assignments[0]?.assignment).toBe(assignment);
  });

  it('answers each member with its own assignment bytes in every version served', () => {
    const answer = syncGroupAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment }, leaderSync, 1, { kafkaEndpointOf: () => undefined });
    expect(answer.assignment).toBe(assignment);
    for (let version = syncGroupAdapter.versions.min; version <= syncGroupAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('SyncGroup', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with an empty assignment', () => {
    const answer = syncGroupAdapter.errorResponse(wireError('REBALANCE_IN_PROGRESS'), leaderSync, 1);
    expect(answer).toMatchObject({ errorCode: 27, assignment: new Uint8Array(0) });
  });
});
