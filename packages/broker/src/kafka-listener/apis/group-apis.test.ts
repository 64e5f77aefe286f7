/** The group APIs through a Kafka listener: real request frames in, the router answering with kactor bodies, Kafka answers decoded. */
import { encodeRequestFrame } from '@kactor/kafka-protocol';
import type { ResponseBody } from '@kactor/protocol';
import { waitFor, type InboundRequest, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { ADVERTISED, BROKER_ID, listenerHarness, WAIT_MS } from '../kafka-listener-test-support.js';

const header = (correlationId: number, clientId = 'kafka-python') => ({ correlationId, clientId });
const subscription = Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115, 255, 255, 255, 255]);
const joinV2 = (correlationId: number, clientId: string) =>
  encodeRequestFrame('JoinGroup', 2, header(correlationId, clientId), {
    groupId: 'app',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 300_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription }],
    reason: null,
  });
const heartbeatV1 = (correlationId: number) => encodeRequestFrame('Heartbeat', 1, header(correlationId), { groupId: 'app', generationId: 1, memberId: 'a-1', groupInstanceId: null });

const joined = (memberId: string, leader: string, members: ResponseBody<'joinGroup'>['members']): ResponseBody<'joinGroup'> => ({
  throttleTimeMs: 0,
  errorCode: 0,
  generationId: 1,
  protocolType: 'consumer',
  protocolName: 'range',
  leader,
  skipAssignment: false,
  memberId,
  members,
});

function requestOf(requests: readonly InboundRequest[], api: string, clientId: string): InboundRequest | undefined {
  return requests.find((request) => request.api === api && (request.body as { clientId?: string }).clientId === clientId);
}

describe('group APIs through the Kafka listener', () => {
  it('a JoinGroup parked for the rebalance blocks only its connection: the other connection is served, and a later request waits behind it', async () => {
    const harness = listenerHarness();
    const [left, right] = [harness.connect(), harness.connect()];
    left.send(joinV2(1, 'left'), heartbeatV1(2));
    right.send(joinV2(10, 'right'));
    await waitFor(() => harness.requests.length === 2, WAIT_MS, 'both joins handed over');
    const leftJoin = requestOf(harness.requests, 'joinGroup', 'left') as InboundRequest;
    const rightJoin = requestOf(harness.requests, 'joinGroup', 'right') as InboundRequest;
    // The header's client.id reached kactor's body, which names the member after it.
    expect([leftJoin, rightJoin].every((request) => request !== undefined)).toBe(true);

    // The right member's join completes first (a follower: no members listed); the left's is still parked.
    harness.listener.respond(rightJoin.ref as RequestRef & { api: 'joinGroup' }, joined('right-2', 'left-1', []));
    const rightAnswer = await right.answer(0, 'JoinGroup', 2);
    expect(rightAnswer.correlationId).toBe(10);
    expect(rightAnswer.body).toMatchObject({ errorCode: 0, memberId: 'right-2', leader: 'left-1', members: [] });
    expect(left.frames).toHaveLength(0);
    expect(harness.requests.filter((request) => request.api === 'heartbeat')).toHaveLength(0);

    // The leader's join completes with the members; only then is its heartbeat taken.
    harness.listener.respond(
      leftJoin.ref as RequestRef & { api: 'joinGroup' },
      joined('left-1', 'left-1', [
        { memberId: 'left-1', groupInstanceId: null, metadata: subscription },
        { memberId: 'right-2', groupInstanceId: null, metadata: subscription },
      ]),
    );
    await waitFor(() => harness.requests.some((request) => request.api === 'heartbeat'), WAIT_MS, 'the heartbeat handed over after the join');
    const heartbeat = harness.requests.find((request) => request.api === 'heartbeat') as InboundRequest;
    harness.listener.respond(heartbeat.ref as RequestRef & { api: 'heartbeat' }, { throttleTimeMs: 0, errorCode: 27 });
    const leftJoinAnswer = await left.answer(0, 'JoinGroup', 2);
    const leftHeartbeatAnswer = await left.answer(1, 'Heartbeat', 1);
    expect([leftJoinAnswer.correlationId, leftHeartbeatAnswer.correlationId]).toEqual([1, 2]);
    expect(leftJoinAnswer.body.members.map((member) => member.memberId)).toEqual(['left-1', 'right-2']);
    expect(leftJoinAnswer.body.members[0]?.metadata).toEqual(subscription);
    expect(leftHeartbeatAnswer.body.errorCode).toBe(27);
  });

  it('FindCoordinator names this broker by its advertised Kafka listener', async () => {
    const harness = listenerHarness({
      onRequest: (request) =>
        harness.listener.respond(request.ref as RequestRef & { api: 'findCoordinator' }, {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          nodeId: BROKER_ID,
          host: '127.0.0.1',
          port: 9101,
          url: 'ws://127.0.0.1:9101',
        }),
    });
    const client = harness.connect();
    client.send(encodeRequestFrame('FindCoordinator', 0, header(5), { key: 'app', keyType: 0, coordinatorKeys: [] }));
    const answer = await client.answer(0, 'FindCoordinator', 0);
    expect(harness.requests[0]?.body).toEqual({ key: 'app', keyType: 0 });
    expect(answer.body).toMatchObject({ errorCode: 0, nodeId: BROKER_ID, host: ADVERTISED.host, port: ADVERTISED.port });
  });

  it('an OffsetCommit v2 and an OffsetFetch v1 pipelined on one connection are answered in order with Kafka\'s offsets', async () => {
    const harness = listenerHarness({
      onRequest: (request) => {
        if (request.api === 'offsetCommit') {
          harness.listener.respond(request.ref as RequestRef & { api: 'offsetCommit' }, { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });
        } else {
          harness.listener.respond(request.ref as RequestRef & { api: 'offsetFetch' }, {
            throttleTimeMs: 0,
            errorCode: 0,
            topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }],
          });
        }
      },
    });
    const client = harness.connect();
    client.send(
      encodeRequestFrame('OffsetCommit', 2, header(1), {
        groupId: 'app',
        generationIdOrMemberEpoch: 1,
        memberId: 'a-1',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '' }] }],
      }),
      encodeRequestFrame('OffsetFetch', 1, header(2), { groupId: 'app', topics: [{ name: 'orders', partitionIndexes: [0] }], groups: [], requireStable: false }),
    );
    const commit = await client.answer(0, 'OffsetCommit', 2);
    const fetched = await client.answer(1, 'OffsetFetch', 1);
    expect((harness.requests[0]?.body as { topics: Array<{ partitions: Array<{ committedOffset: number }> }> }).topics[0]?.partitions[0]?.committedOffset).toBe(42);
    expect(commit.body.topics[0]?.partitions[0]?.errorCode).toBe(0);
    expect(fetched.correlationId).toBe(2);
    expect(fetched.body.topics[0]?.partitions[0]?.committedOffset).toBe(42n);
  });
});
