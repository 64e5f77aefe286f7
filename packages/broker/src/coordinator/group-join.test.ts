import { wireLimits } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { emptyGroupData } from './classic-group.js';
import { effectiveGroupMaxSize, requireMemberId } from './group-join.js';
import { testJoinGroupBody, testLimits } from './group-test-support.js';

const ref: RequestRef = { connectionId: 'c', correlationId: 1, api: 'joinGroup', version: 0, remoteAddress: '127.0.0.1' };
const join = testJoinGroupBody({ clientId: 'client' });

/** A group that already counts `count` members waiting for their second JoinGroup. */
const groupWithPending = (count: number) => ({ ...emptyGroupData('g', 0), pendingMemberIds: Array.from({ length: count }, (_, index) => `m-${index}`) });
const answerOf = (outcome: ReturnType<typeof requireMemberId>) => outcome.effects.find((effect) => effect.kind === 'respond') as { body: { errorCode: number } };

describe('group size', () => {
  const unlimited = { ...testLimits, groupMaxSize: 2_147_483_647 };

  it("caps Kafka's unlimited group.max.size at the most members a JoinGroup response may list", () => {
    expect(effectiveGroupMaxSize(unlimited)).toBe(wireLimits.maxGroupMembers);
    expect(effectiveGroupMaxSize({ ...testLimits, groupMaxSize: 5 })).toBe(5);
  });

  it(`gives the ${wireLimits.maxGroupMembers}th member an id and refuses the next with GROUP_MAX_SIZE_REACHED (81)`, () => {
    const last = requireMemberId(groupWithPending(wireLimits.maxGroupMembers - 1), ref, join, unlimited, 'u');
    expect(answerOf(last).body.errorCode).toBe(79); // MEMBER_ID_REQUIRED: admitted, join again with the id
    expect(last.group.pendingMemberIds).toHaveLength(wireLimits.maxGroupMembers);
    const refused = requireMemberId(last.group, ref, join, unlimited, 'v');
    expect(answerOf(refused).body.errorCode).toBe(81);
    expect(refused.group.pendingMemberIds).toHaveLength(wireLimits.maxGroupMembers);
  });
});
