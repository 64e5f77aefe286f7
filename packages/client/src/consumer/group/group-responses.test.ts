import { errorByName } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { assignmentMetadataChanged, joinGroupTimeoutMs, normalizeTopics, shouldSendLeaveGroup } from './group-requests.js';
import { groupOutcome, isFatalMembershipError, meansCoordinatorLoading, meansCoordinatorLost } from './group-responses.js';
import type { ConsumerGroupContext, ConsumerGroupSettings } from './group-types.js';

const wire = (name: 'NETWORK_EXCEPTION' | 'INVALID_REQUEST') => {
  const info = errorByName(name);
  return { ok: false as const, error: { code: info.code, name: info.name, retriable: info.retriable, message: 'x' } };
};

describe('group responses', () => {
  it('turns a response into NONE, a body error, or a failed request', () => {
    expect(groupOutcome<'heartbeat'>({ ok: true, body: { throttleTimeMs: 0, errorCode: 0 } })).toMatchObject({ errorName: 'NONE' });
    expect(groupOutcome<'heartbeat'>({ ok: true, body: { throttleTimeMs: 0, errorCode: 27 } })).toMatchObject({ errorName: 'REBALANCE_IN_PROGRESS', body: { errorCode: 27 } });
    expect(groupOutcome<'heartbeat'>(wire('NETWORK_EXCEPTION'))).toMatchObject({ errorName: 'NETWORK_EXCEPTION', body: null });
  });

  it('knows which errors lose the coordinator, which mean it is loading, and which are fatal', () => {
    const body = { throttleTimeMs: 0, errorCode: 0 };
    expect(meansCoordinatorLost({ errorName: 'NOT_COORDINATOR', body, message: null })).toBe(true);
    expect(meansCoordinatorLost({ errorName: 'COORDINATOR_NOT_AVAILABLE', body, message: null })).toBe(true);
    expect(meansCoordinatorLost(groupOutcome<'heartbeat'>(wire('NETWORK_EXCEPTION')))).toBe(true);
    expect(meansCoordinatorLost(groupOutcome<'heartbeat'>(wire('INVALID_REQUEST')))).toBe(false);
    expect(meansCoordinatorLost({ errorName: 'ILLEGAL_GENERATION', body, message: null })).toBe(false);
    expect(meansCoordinatorLoading({ errorName: 'COORDINATOR_LOAD_IN_PROGRESS', body, message: null })).toBe(true);
    for (const name of ['INCONSISTENT_GROUP_PROTOCOL', 'GROUP_MAX_SIZE_REACHED', 'INVALID_SESSION_TIMEOUT', 'INVALID_GROUP_ID', 'FENCED_INSTANCE_ID'] as const) expect(isFatalMembershipError(name)).toBe(true);
    expect(isFatalMembershipError('UNKNOWN_MEMBER_ID')).toBe(false);
  });
});

describe('group requests', () => {
  const settings = { requestTimeoutMs: 30_000, maxPollIntervalMs: 300_000, groupInstanceId: null } as unknown as ConsumerGroupSettings;

  it('gives a JoinGroup the rebalance timeout plus 5 s, never less than request.timeout.ms', () => {
    expect(joinGroupTimeoutMs(settings)).toBe(305_000);
    expect(joinGroupTimeoutMs({ ...settings, maxPollIntervalMs: 1_000 })).toBe(30_000);
  });

  it('sends LeaveGroup only as a dynamic member with an id and a known coordinator', () => {
    const context = { memberId: 'm-1', coordinator: { nodeId: 0, url: 'x' }, settings } as unknown as ConsumerGroupContext;
    expect(shouldSendLeaveGroup(context)).toBe(true);
    expect(shouldSendLeaveGroup({ ...context, memberId: '' })).toBe(false);
    expect(shouldSendLeaveGroup({ ...context, coordinator: null })).toBe(false);
    expect(shouldSendLeaveGroup({ ...context, settings: { ...settings, groupInstanceId: 'static-1' } })).toBe(false);
  });

  it('sees a changed, created or deleted topic in the leader snapshot', () => {
    const counts = new Map([['orders', 6]]);
    const count = (topic: string) => counts.get(topic);
    expect(assignmentMetadataChanged({ orders: 6 }, count)).toBe(false);
    expect(assignmentMetadataChanged({ orders: 3 }, count)).toBe(true);
    expect(assignmentMetadataChanged({ orders: 6, payments: -1 }, count)).toBe(false);
    expect(assignmentMetadataChanged({ orders: 6, payments: 2 }, count)).toBe(true);
    expect(assignmentMetadataChanged(null, count)).toBe(false);
    expect(normalizeTopics(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});
