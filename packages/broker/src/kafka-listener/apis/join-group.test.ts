import type { JoinGroupRequest } from '@kactor/kafka-protocol';
import { encodeResponseBody } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { joinGroupAdapter } from './join-group.js';

const subscription = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115, 255, 255, 255, 255, 0, 0, 0, 0]);
const request = (rebalanceTimeoutMs: number): JoinGroupRequest => ({
  groupId: 'app',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs,
  memberId: '',
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [
    { name: 'range', metadata: subscription },
    { name: 'roundrobin', metadata: subscription },
  ],
  reason: null,
});
const header = (clientId: string | null) => ({ requestApiKey: 11, requestApiVersion: 2, correlationId: 7, clientId });

const leaderAnswer: ResponseBody<'joinGroup'> = {
  throttleTimeMs: 0,
  errorCode: 0,
  generationId: 3,
  protocolType: 'consumer',
  protocolName: 'range',
  leader: 'rdkafka-1',
  skipAssignment: false,
  memberId: 'rdkafka-1',
  members: [
    { memberId: 'rdkafka-1', groupInstanceId: null, metadata: subscription },
    { memberId: 'kafka-python-2', groupInstanceId: null, metadata: Uint8Array.from([9, 9]) },
  ],
};

describe('JoinGroup adapter', () => {
  it('takes the session timeout as the rebalance timeout in v0, which has none, and the given one from v1', () => {
    expect(joinGroupAdapter.toKactorRequest(request(-1), 0, header('kafka-python')).rebalanceTimeoutMs).toBe(10_000);
    expect(joinGroupAdapter.toKactorRequest(request(300_000), 1, header('kafka-python')).rebalanceTimeoutMs).toBe(300_000);
  });

  it('carries client.id from the request header, the protocols\' metadata bytes untouched, and no KIP-394 round trip (these versions predate it)', () => {
    const body = joinGroupAdapter.toKactorRequest(request(300_000), 2, header('rdkafka'));
    expect(body).toMatchObject({ groupId: 'app', sessionTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', reason: null, clientId: 'rdkafka', requireKnownMemberId: false });
    expect(body.protocols.map((protocol) => protocol.name)).toEqual(['range', 'roundrobin']);
    expect(body.protocols[0]?.metadata).toBe(subscription);
    expect(joinGroupAdapter.toKactorRequest(request(300_000), 2, header(null)).clientId).toBe('');
  });

  it('gives the leader the members with their metadata as the coordinator chose them', () => {
    const answer = joinGroupAdapter.toKafkaResponse(leaderAnswer, request(300_000), 2, { kafkaEndpointOf: () => undefined });
    expect(answer).toMatchObject({ errorCode: 0, generationId: 3, protocolName: 'range', leader: 'rdkafka-1', memberId: 'rdkafka-1' });
    expect(answer.members.map((member) => member.memberId)).toEqual(['rdkafka-1', 'kafka-python-2']);
    expect(answer.members[1]?.metadata).toEqual(Uint8Array.from([9, 9]));
  });

  it('writes a missing protocol name as empty, since these versions cannot say null', () => {
    const failed = { ...leaderAnswer, errorCode: 23, protocolName: null, protocolType: null, members: [] };
    const answer = joinGroupAdapter.toKafkaResponse(failed, request(300_000), 2, { kafkaEndpointOf: () => undefined });
    expect(answer.protocolName).toBe('');
    for (let version = 0; version <= 2; version += 1) expect(encodeResponseBody('JoinGroup', version, answer).length).toBeGreaterThan(0);
  });

  it('answers every version served in a layout that encodes', () => {
    const answer = joinGroupAdapter.toKafkaResponse(leaderAnswer, request(300_000), 2, { kafkaEndpointOf: () => undefined });
    for (let version = joinGroupAdapter.versions.min; version <= joinGroupAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('JoinGroup', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with an unknown generation and no member, as Kafka\'s error response does', () => {
    const answer = joinGroupAdapter.errorResponse(wireError('NOT_COORDINATOR'), request(300_000), 2);
    expect(answer).toMatchObject({ errorCode: 16, generationId: -1, protocolName: '', leader: '', memberId: '', members: [] });
    expect(encodeResponseBody('JoinGroup', 0, answer).length).toBeGreaterThan(0);
  });
});
