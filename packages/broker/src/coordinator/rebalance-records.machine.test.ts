/**
 * The group statechart records every rebalance (DescribeRebalances), on a simulated clock: one record per
 * rebalance from its trigger until the group is Stable with every assignment handed out and no
 * revocation outstanding.
 */
import { encodeAssignment, encodeSubscription, schemasFor } from '@kactor/protocol';
import { describeRebalancesAnswer } from './group-describe.js';
import { describe, expect, it } from 'vitest';
import { MAX_REBALANCE_RECORDS_PER_GROUP } from './rebalance-log.js';
import { startGroup, testJoinGroupBody } from './group-test-support.js';

type Owned = Record<string, number[]>;
const asTopics = (owned: Owned) => Object.entries(owned).map(([topic, partitions]) => ({ topic, partitions }));
const subscription = (owned: Owned = {}) => encodeSubscription({ topics: ['t'], ownedPartitions: asTopics(owned) });
const assignment = (owned: Owned) => encodeAssignment({ assignedPartitions: asTopics(owned) });

function recordingGroup(protocolName = 'range') {
  const g = startGroup();
  const join = (client: string, memberId: string, owned: Owned = {}, reason: string | null = null) =>
    g.send('joinGroup', client, testJoinGroupBody({ memberId, protocols: [{ name: protocolName, metadata: subscription(owned) }], reason, clientId: client }));
  /** MEMBER_ID_REQUIRED, then the join with the id. */
  const newMember = (client: string) => {
    const memberId = g.answer(join(client, ''))?.memberId as string;
    return { memberId, request: join(client, memberId) };
  };
  const sync = (client: string, memberId: string, generationId: number, assignments: Array<[string, Owned]> = []) =>
    g.send('syncGroup', client, {
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: null,
      assignments: assignments.map(([id, owned]) => ({ memberId: id, assignment: assignment(owned) })),
    });
  const records = () => g.actor.getSnapshot().context.rebalances.records;
  return { ...g, join, newMember, sync, records };
}

/** a leads and owns t-0, t-1; b owns t-2, t-3: generation 1, Stable. */
async function stablePair(protocolName?: string) {
  const g = recordingGroup(protocolName);
  const a = g.newMember('a');
  const b = g.newMember('b');
  await g.clock.advanceByAsync(6_000);
  g.sync('b', b.memberId, 1);
  g.sync('a', a.memberId, 1, [
    [a.memberId, { t: [0, 1] }],
    [b.memberId, { t: [2, 3] }],
  ]);
  expect(g.state()).toBe('Stable');
  return { g, a: a.memberId, b: b.memberId };
}

describe('rebalance records', () => {
  it('Empty -> Stable: the first rebalance is one record with trigger join; members that owned nothing were not paused', async () => {
    const { g, a, b } = await stablePair();
    expect(g.records()).toHaveLength(1);
    expect(g.records()[0]).toMatchObject({ sequence: 1, trigger: 'join', protocol: 'EAGER', protocolName: 'range', fromGeneration: 0, toGeneration: 1, generations: [1], durationMs: 6_000, partitionsMoved: 0 });
    const members = g.records()[0]?.members ?? [];
    expect(members.map((member) => [member.memberId, member.pausedMs, member.assigned])).toEqual([
      [a, 0, [{ topic: 't', partitions: [0, 1] }]],
      [b, 0, [{ topic: 't', partitions: [2, 3] }]],
    ]);
  });

  it('Stable -> PreparingRebalance -> Stable on a join (EAGER): one record, each member paused from its JoinGroup to its assignment', async () => {
    const { g, a, b } = await stablePair();
    const startMs = g.clock.now();
    const c = g.newMember('c');
    await g.clock.advanceByAsync(100);
    g.join('a', a, {}, 'the coordinator answered REBALANCE_IN_PROGRESS');
    await g.clock.advanceByAsync(200);
    g.join('b', b);
    expect(g.state()).toBe('CompletingRebalance');
    g.sync('b', b, 2);
    g.sync('c', c.memberId, 2);
    await g.clock.advanceByAsync(50);
    g.sync('a', a, 2, [
      [a, { t: [0] }],
      [b, { t: [2] }],
      [c.memberId, { t: [1, 3] }],
    ]);
    expect(g.records()).toHaveLength(2);
    const record = g.records()[1];
    expect(record).toMatchObject({ sequence: 2, trigger: 'join', protocol: 'EAGER', fromGeneration: 1, toGeneration: 2, generations: [2], startMs, durationMs: 350, partitionsMoved: 2 });
    const byId = new Map(record?.members.map((member) => [member.memberId, member]));
    expect(byId.get(a)).toMatchObject({ pausedMs: 250, partiallyPausedMs: 0, revoked: [{ topic: 't', partitions: [1] }], added: [] });
    expect(byId.get(b)).toMatchObject({ pausedMs: 50, revoked: [{ topic: 't', partitions: [3] }] });
    expect(byId.get(c.memberId)).toMatchObject({ pausedMs: 0, owned: [], added: [{ topic: 't', partitions: [1, 3] }], remained: true });
    // The DescribeRebalances answer carries them as they are, and passes the wire schema (strict).
    const view = { groupId: 'g', state: 'Stable' as const, group: g.group(), rebalances: g.actor.getSnapshot().context.rebalances };
    const answer = describeRebalancesAnswer(view.rebalances, { groupId: 'g', limit: 1 });
    expect(answer.records.map((each) => each.sequence)).toEqual([2]);
    expect(schemasFor('describeRebalances', 0)?.response.safeParse(answer).success).toBe(true);
    expect(describeRebalancesAnswer(undefined, { groupId: 'x', limit: null }).errorCode).toBe(69);
  });

  it('Stable -> PreparingRebalance on a LeaveGroup with a poll-timeout reason: trigger poll-timeout, the member that left did not remain', async () => {
    const { g, a, b } = await stablePair();
    g.send('leaveGroup', 'b', { groupId: 'g', members: [{ memberId: b, groupInstanceId: null, reason: 'consumer poll timeout has expired' }] });
    g.join('a', a);
    g.sync('a', a, 2, [[a, { t: [0, 1, 2, 3] }]]);
    const record = g.records().at(-1);
    expect(record).toMatchObject({ trigger: 'poll-timeout', reason: 'consumer poll timeout has expired', partitionsMoved: 2 });
    expect(record?.members.find((member) => member.memberId === b)).toMatchObject({ remained: false, assigned: [], revoked: [{ topic: 't', partitions: [2, 3] }], pausedMs: 0 });
  });

  it('Stable -> PreparingRebalance on a plain LeaveGroup: trigger leave', async () => {
    const { g, a, b } = await stablePair();
    g.send('leaveGroup', 'b', { groupId: 'g', members: [{ memberId: b, groupInstanceId: null, reason: 'the consumer is being closed' }] });
    g.join('a', a);
    g.sync('a', a, 2, [[a, { t: [0, 1, 2, 3] }]]);
    expect(g.records().at(-1)).toMatchObject({ trigger: 'leave', reason: 'the consumer is being closed' });
  });

  it('Stable -> PreparingRebalance on a session timeout: trigger session-timeout', async () => {
    const { g, a, b } = await stablePair();
    for (let second = 0; second < 10; second += 1) {
      await g.clock.advanceByAsync(1_000);
      g.send('heartbeat', 'a', { groupId: 'g', generationId: 1, memberId: a, groupInstanceId: null });
    }
    g.join('a', a);
    g.sync('a', a, 2, [[a, { t: [0, 1, 2, 3] }]]);
    const record = g.records().at(-1);
    expect(record).toMatchObject({ trigger: 'session-timeout', toGeneration: 2 });
    expect(record?.members.find((member) => member.memberId === b)?.remained).toBe(false);
  });

  it('Stable -> PreparingRebalance when the leader rejoins because partition counts changed: trigger partition-change', async () => {
    const { g, a, b } = await stablePair();
    // Only the leader sees partition counts; its JoinGroup in Stable always rebalances (Kafka).
    g.join('a', a, {}, 'the partition counts of subscribed topics changed');
    g.join('b', b);
    g.sync('b', b, 2);
    g.sync('a', a, 2, [
      [a, { t: [0, 1] }],
      [b, { t: [2, 3] }],
    ]);
    expect(g.records().at(-1)).toMatchObject({ trigger: 'partition-change', reason: 'the partition counts of subscribed topics changed', partitionsMoved: 0 });
  });

  it('Stable -> PreparingRebalance when a member subscribes to other topics: trigger subscription-change (from the subscription bytes)', async () => {
    const { g, a, b } = await stablePair();
    g.send('joinGroup', 'b', {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      memberId: b,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: encodeSubscription({ topics: ['t', 'u'] }) }],
      reason: null,
      clientId: 'b',
    });
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    g.join('a', a);
    g.sync('b', b, 2);
    g.sync('a', a, 2, [
      [a, { t: [0, 1] }],
      [b, { t: [2, 3] }],
    ]);
    expect(g.records().at(-1)).toMatchObject({ trigger: 'subscription-change', reason: null });
  });

  it('Stable -> PreparingRebalance -> Stable -> PreparingRebalance -> Stable (COOPERATIVE, two rounds): one record over both generations', async () => {
    const g = recordingGroup('cooperative-sticky');
    const a = g.newMember('a');
    await g.clock.advanceByAsync(3_000);
    g.sync('a', a.memberId, 1, [[a.memberId, { t: [0, 1, 2, 3] }]]);
    const startMs = g.clock.now();
    const b = g.newMember('b');
    await g.clock.advanceByAsync(100);
    g.join('a', a.memberId, { t: [0, 1, 2, 3] });
    // Round 1: the cooperative assignor gives nothing that changes owner; a is told to give t-2 and t-3 up.
    g.sync('b', b.memberId, 2);
    await g.clock.advanceByAsync(100);
    g.sync('a', a.memberId, 2, [
      [a.memberId, { t: [0, 1] }],
      [b.memberId, {}],
    ]);
    expect(g.state()).toBe('Stable');
    expect(g.records()).toHaveLength(1);
    // Round 2: a rejoins at once with what it still owns; b follows.
    await g.clock.advanceByAsync(100);
    g.join('a', a.memberId, { t: [0, 1] }, 'need to revoke partitions and re-join');
    await g.clock.advanceByAsync(50);
    g.join('b', b.memberId);
    g.sync('b', b.memberId, 3);
    await g.clock.advanceByAsync(50);
    g.sync('a', a.memberId, 3, [
      [a.memberId, { t: [0, 1] }],
      [b.memberId, { t: [2, 3] }],
    ]);
    expect(g.records()).toHaveLength(2);
    const record = g.records()[1];
    expect(record).toMatchObject({ trigger: 'join', protocol: 'COOPERATIVE', protocolName: 'cooperative-sticky', fromGeneration: 1, toGeneration: 3, generations: [2, 3], startMs, durationMs: 400, partitionsMoved: 2 });
    const byId = new Map(record?.members.map((member) => [member.memberId, member]));
    // a kept t-0 and t-1 throughout: never paused, partially paused from its round-1 answer to the end.
    expect(byId.get(a.memberId)).toMatchObject({ pausedMs: 0, partiallyPausedMs: 200, revoked: [{ topic: 't', partitions: [2, 3] }] });
    expect(byId.get(b.memberId)).toMatchObject({ pausedMs: 0, partiallyPausedMs: 0, added: [{ topic: 't', partitions: [2, 3] }] });
  });

  it(`keeps the newest ${MAX_REBALANCE_RECORDS_PER_GROUP} records per group, dropping the oldest`, async () => {
    const g = recordingGroup();
    const a = g.newMember('a');
    await g.clock.advanceByAsync(3_000);
    g.sync('a', a.memberId, 1, [[a.memberId, { t: [0] }]]);
    const rebalances = MAX_REBALANCE_RECORDS_PER_GROUP + 5;
    // The leader's JoinGroup in Stable always rebalances (Kafka); alone in the group it completes at once.
    for (let generation = 2; generation <= rebalances; generation += 1) {
      g.join('a', a.memberId);
      g.sync('a', a.memberId, generation, [[a.memberId, { t: [0] }]]);
    }
    const records = g.records();
    expect(records).toHaveLength(MAX_REBALANCE_RECORDS_PER_GROUP);
    expect(records[0]?.sequence).toBe(6);
    expect(records.at(-1)).toMatchObject({ sequence: rebalances, trigger: 'rejoin', toGeneration: rebalances });
  });
});
