/**
 * Kafka's JoinGroup before v4 (Kafka clients on the Kafka listener: kafka-python, KafkaJS and librdkafka at
 * JoinGroup v2) predates KIP-394: a member without an id is given one and joins at once, since such a client
 * would not understand MEMBER_ID_REQUIRED.
 */
import { describe, expect, it } from 'vitest';
import { startGroup, testJoinGroupBody } from './group-test-support.js';

/** A join from a client before KIP-394, without a member id. */
function legacyJoin(g: ReturnType<typeof startGroup>, client: string): number {
  return g.send('joinGroup', client, testJoinGroupBody({ clientId: client, requireKnownMemberId: false, protocols: [{ name: 'range', metadata: new TextEncoder().encode(client) }] }));
}

describe('group machine: joins before KIP-394', () => {
  it('Empty -> PreparingRebalance on a join without a member id and no MEMBER_ID_REQUIRED; answered in generation 1 with its new id', async () => {
    const g = startGroup();
    const join = legacyJoin(g, 'kafka-python');
    expect(g.answer(join)).toBeUndefined();
    expect(g.state()).toBe('PreparingRebalance.InitialDelay');
    expect(g.group().pendingMemberIds).toEqual([]);
    await g.clock.advanceByAsync(3_000);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(join)).toMatchObject({ errorCode: 0, generationId: 1, memberId: 'kafka-python-id1', leader: 'kafka-python-id1' });
  });

  it('Stable -> PreparingRebalance on such a join; it and the members that rejoin share generation 2', async () => {
    const g = startGroup();
    const a = g.joinFully('a');
    await g.clock.advanceByAsync(3_000);
    g.sync('a', a.memberId, 1, [[a.memberId, 'all']]);
    expect(g.state()).toBe('Stable');
    const join = legacyJoin(g, 'kafkajs');
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.errorOf(g.heartbeat('a', a.memberId, 1))).toBe('REBALANCE_IN_PROGRESS');
    const rejoin = g.join('a', a.memberId);
    expect(g.state()).toBe('CompletingRebalance');
    expect([g.answer(join)?.generationId, g.answer(rejoin)?.generationId]).toEqual([2, 2]);
    expect(g.answer(join)?.memberId).toMatch(/^kafkajs-/);
    expect(Object.keys(g.group().members)).toHaveLength(2);
  });

  it('refuses such a join past group.max.size with GROUP_MAX_SIZE_REACHED', () => {
    const g = startGroup({ limits: { groupMaxSize: 1 } });
    legacyJoin(g, 'first');
    expect(g.errorOf(legacyJoin(g, 'second'))).toBe('GROUP_MAX_SIZE_REACHED');
    expect(Object.keys(g.group().members)).toEqual(['first-id1']);
  });

  it('still asks kactor\'s own clients (no flag) for the KIP-394 round trip', () => {
    const g = startGroup();
    expect(g.errorOf(g.join('client-a'))).toBe('MEMBER_ID_REQUIRED');
  });
});
