/**
 * The admin calls for static members and rebalance records, against a stub coordinator: what they send
 * and how they turn answers into results and named errors.
 */
import type { AdminConfig, GroupRebalanceRecord } from '@kactor/protocol';
import { KafkaProtocolError } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { ClientRuntime } from '../client-runtime.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { ADMIN_REMOVAL_REASON, GroupAdmin } from './group-admin.js';

const record: GroupRebalanceRecord = {
  groupId: 'g',
  sequence: 1,
  trigger: 'join',
  reason: null,
  protocol: 'EAGER',
  protocolName: 'range',
  fromGeneration: 0,
  toGeneration: 1,
  generations: [1],
  startMs: 0,
  endMs: 3_000,
  durationMs: 3_000,
  members: [],
  partitionsMoved: 0,
};

function stubAdmin(answers: Record<string, unknown>) {
  const sent: Array<{ url: string; api: string; body: unknown }> = [];
  const cluster = {
    anyBrokerUrl: () => 'ws://broker-0',
    request: (url: string, api: string, body: unknown) => {
      sent.push({ url, api, body });
      if (api === 'findCoordinator') return Promise.resolve({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: 'h', port: 1, url: 'ws://coordinator' });
      return Promise.resolve(answers[api]);
    },
  } as unknown as ClusterClient;
  const admin = new GroupAdmin({
    cluster,
    runtime: { clock: new SimulatedClock({ startMs: 0 }) } as unknown as ClientRuntime,
    config: { requestTimeoutMs: 30_000 } as AdminConfig,
    logger: createLogger({ level: 'silent' }),
    withRetries: (_name, _deadline, attempt) => attempt(false),
  });
  return { admin, sent };
}

describe('GroupAdmin.describeRebalances', () => {
  it('asks the group’s coordinator and returns its records', async () => {
    const { admin, sent } = stubAdmin({ describeRebalances: { throttleTimeMs: 0, errorCode: 0, records: [record] } });
    expect(await admin.describeRebalances('g', 5, 60_000)).toEqual([record]);
    expect(sent.at(-1)).toEqual({ url: 'ws://coordinator', api: 'describeRebalances', body: { groupId: 'g', limit: 5 } });
  });

  it('rejects with the named error of an unknown group', async () => {
    const { admin } = stubAdmin({ describeRebalances: { throttleTimeMs: 0, errorCode: 69, records: [] } });
    const error = await admin.describeRebalances('nobody', null, 60_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as KafkaProtocolError).errorName).toBe('GROUP_ID_NOT_FOUND');
  });
});

describe('GroupAdmin.removeMembers (removeMembersFromConsumerGroup)', () => {
  it('sends a LeaveGroup by group.instance.id with empty member ids and gives one outcome per member', async () => {
    const { admin, sent } = stubAdmin({
      leaveGroup: {
        throttleTimeMs: 0,
        errorCode: 0,
        members: [
          { memberId: '', groupInstanceId: 'i-1', errorCode: 0 },
          { memberId: '', groupInstanceId: 'i-2', errorCode: 25 },
        ],
      },
    });
    const result = await admin.removeMembers('g', [{ groupInstanceId: 'i-1' }, { groupInstanceId: 'i-2' }], 60_000);
    expect(sent.at(-1)?.body).toEqual({
      groupId: 'g',
      members: [
        { memberId: '', groupInstanceId: 'i-1', reason: ADMIN_REMOVAL_REASON },
        { memberId: '', groupInstanceId: 'i-2', reason: ADMIN_REMOVAL_REASON },
      ],
    });
    expect(result.members.map((member) => [member.groupInstanceId, member.error?.errorName ?? null])).toEqual([
      ['i-1', null],
      ['i-2', 'UNKNOWN_MEMBER_ID'],
    ]);
  });

  it('rejects with the whole request’s named error', async () => {
    const { admin } = stubAdmin({ leaveGroup: { throttleTimeMs: 0, errorCode: 15, members: [] } });
    const error = await admin.removeMembers('g', [{ groupInstanceId: 'i-1' }], 60_000).catch((caught: unknown) => caught);
    expect((error as KafkaProtocolError).errorName).toBe('COORDINATOR_NOT_AVAILABLE');
  });
});
