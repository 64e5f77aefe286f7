/**
 * Issue 10 B4: a member id is built from `client.id` or `group.instance.id`, which a request may make as
 * long as a wire string. Whatever their length, the JoinGroup, DescribeGroups and DescribeRebalances answers
 * the coordinator builds must decode with the client's decoder.
 */
import { decodeResponseFrame, encodeResponseFrame, wireLimits, type ApiName, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { describeGroupAnswer, describeRebalancesAnswer } from './group-describe.js';
import { startGroup } from './group-test-support.js';

const longest = 'c'.repeat(wireLimits.maxStringChars);
const frameLimits = { maxFrameBytes: 100 * 1024 * 1024 };

/** Encodes an answer as the broker sends it and decodes it as a client does; returns the decoder's verdict. */
function roundTrip<A extends ApiName>(api: A, body: ResponseBody<A>) {
  return decodeResponseFrame(encodeResponseFrame(api, 0, 1, body), frameLimits);
}

function joinWith(g: ReturnType<typeof startGroup>, client: string, memberId: string, groupInstanceId: string | null) {
  return g.send('joinGroup', 'conn', {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([1]) }],
    reason: 'r'.repeat(wireLimits.maxStringChars),
    clientId: client,
  });
}

function describeAll(g: ReturnType<typeof startGroup>) {
  const view = { groupId: 'g', state: g.state() as 'Stable', group: g.group(), rebalances: g.actor.getSnapshot().context.rebalances };
  return {
    describeGroups: roundTrip('describeGroups', { throttleTimeMs: 0, groups: [describeGroupAnswer('g', view, 'NONE')] }),
    describeRebalances: roundTrip('describeRebalances', describeRebalancesAnswer(view.rebalances, { groupId: 'g', limit: null })),
  };
}

describe('member ids built from the longest client.id and group.instance.id', () => {
  it(`a dynamic member with a ${wireLimits.maxStringChars}-character client.id gets a member id that fits, and every answer decodes`, () => {
    const g = startGroup();
    const first = joinWith(g, longest, '', null);
    const required = g.answer(first) as unknown as ResponseBody<'joinGroup'>;
    expect(required.errorCode).toBe(79); // MEMBER_ID_REQUIRED
    expect(required.memberId).toBe(`${longest.slice(0, wireLimits.maxEchoedNameChars)}-id1`);
    expect(roundTrip('joinGroup', required).ok).toBe(true);

    const second = joinWith(g, longest, required.memberId, null);
    g.clock.advanceBy(3_000); // group.initial.rebalance.delay.ms
    const joined = g.answer(second) as unknown as ResponseBody<'joinGroup'>;
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: required.memberId, memberId: required.memberId });
    expect(roundTrip('joinGroup', joined).ok).toBe(true);

    const described = describeAll(g);
    expect(described.describeGroups).toMatchObject({ ok: true });
    expect(described.describeRebalances).toMatchObject({ ok: true });
  });

  it(`a static member with a ${wireLimits.maxStringChars}-character group.instance.id gets a member id that fits, and every answer decodes`, () => {
    const g = startGroup();
    const request = joinWith(g, 'client', '', longest);
    g.clock.advanceBy(3_000);
    const joined = g.answer(request) as unknown as ResponseBody<'joinGroup'>;
    expect(joined.errorCode).toBe(0);
    expect(joined.memberId).toBe(`${longest.slice(0, wireLimits.maxEchoedNameChars)}-id1`);
    expect(joined.members).toEqual([{ memberId: joined.memberId, groupInstanceId: longest, metadata: new Uint8Array([1]) }]);
    expect(roundTrip('joinGroup', joined).ok).toBe(true);

    // The session expires: the rebalance record's reason names the member.
    g.clock.advanceBy(10_001);
    const described = describeAll(g);
    expect(described.describeGroups).toMatchObject({ ok: true });
    expect(described.describeRebalances).toMatchObject({ ok: true });
  });
});
