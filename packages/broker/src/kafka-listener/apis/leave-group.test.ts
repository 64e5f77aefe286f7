import { encodeResponseBody, type LeaveGroupRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { leaveGroupAdapter } from './leave-group.js';

const request: LeaveGroupRequest = { groupId: 'app', memberId: 'member-1', members: [] };
const noContext = { kafkaEndpointOf: () => undefined };

describe('LeaveGroup adapter', () => {
  it('turns the single member id of v0-v1 into kactor\'s list of one member', () => {
    expect(leaveGroupAdapter.toKactorRequest(request, 1)).toEqual({ groupId: 'app', members: [{ memberId: 'member-1', groupInstanceId: null, reason: null }] });
  });

  it('answers the member\'s error as the single error when the top level has none, as Kafka does before v3', () => {
    const unknown = leaveGroupAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'member-1', groupInstanceId: null, errorCode: 25 }] }, request, 1, noContext);
    expect(unknown.errorCode).toBe(25);
    const coordinatorError = leaveGroupAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 16, members: [] }, request, 1, noContext);
    expect(coordinatorError.errorCode).toBe(16);
    const left = leaveGroupAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'member-1', groupInstanceId: null, errorCode: 0 }] }, request, 0, noContext);
    expect(left.errorCode).toBe(0);
    for (let version = leaveGroupAdapter.versions.min; version <= leaveGroupAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('LeaveGroup', version, left).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with its code', () => {
    expect(leaveGroupAdapter.errorResponse(wireError('NOT_COORDINATOR'), request, 0)).toMatchObject({ errorCode: 16 });
  });
});
