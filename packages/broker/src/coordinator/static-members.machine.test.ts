/**
 * Static membership (KIP-345) on the group statechart, named as transitions. Facts from Kafka's
 * GroupMetadataManager (`classicGroupJoinNewStaticMember`, `updateStaticMemberThenRebalanceOrCompleteJoin`,
 * `classicGroupLeaveToClassicGroup`) and ClassicGroup (`replaceStaticMember`, `validateMember`).
 */
import { describe, expect, it } from 'vitest';
import { startGroup, text } from './group-test-support.js';
import { describeGroupAnswer } from './group-describe.js';
import { replayGroupRecords } from './group-replay.js';
import type { GroupRecord } from './group-records.js';

const bytes = (value: string) => new TextEncoder().encode(value);

function staticHarness(options: Parameters<typeof startGroup>[0] = {}) {
  const g = startGroup(options);
  const joinStatic = (client: string, instanceId: string, memberId = '', protocols: Array<[string, string]> = [['range', 'sub']]) =>
    g.send('joinGroup', client, {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      memberId,
      groupInstanceId: instanceId,
      protocolType: 'consumer',
      protocols: protocols.map(([name, metadata]) => ({ name, metadata: bytes(metadata) })),
      reason: null,
      clientId: client,
    });
  const syncStatic = (client: string, instanceId: string, memberId: string, generationId: number, assignments: Array<[string, string]> = []) =>
    g.send('syncGroup', client, {
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId: instanceId,
      protocolType: 'consumer',
      protocolName: null,
      assignments: assignments.map(([id, assignment]) => ({ memberId: id, assignment: bytes(assignment) })),
    });
  const heartbeatStatic = (client: string, instanceId: string, memberId: string, generationId: number) =>
    g.send('heartbeat', client, { groupId: 'g', generationId, memberId, groupInstanceId: instanceId });
  const leaveMembers = (client: string, members: Array<{ memberId: string; groupInstanceId: string | null }>) =>
    g.send('leaveGroup', client, { groupId: 'g', members: members.map((member) => ({ ...member, reason: 'removed by an admin' })) });
  return { ...g, joinStatic, syncStatic, heartbeatStatic, leaveMembers };
}

/** Two static members (instances i-a, i-b) through a first rebalance to Stable. */
async function stableStaticPair(options: Parameters<typeof startGroup>[0] = {}, protocolsOfA?: Array<[string, string]>) {
  const g = staticHarness(options);
  const a = g.joinStatic('a', 'i-a', '', protocolsOfA);
  const b = g.joinStatic('b', 'i-b');
  await g.clock.advanceByAsync(6_000);
  const idA = g.answer(a)?.memberId as string;
  const idB = g.answer(b)?.memberId as string;
  const leader = g.answer(a)?.leader as string;
  g.syncStatic('b', 'i-b', idB, 1);
  g.syncStatic('a', 'i-a', idA, 1, [
    [idA, 'to-a'],
    [idB, 'to-b'],
  ]);
  return { g, idA, idB, leader };
}

describe('static membership (KIP-345)', () => {
  it('Empty -> PreparingRebalance on a static member’s first JoinGroup, without MEMBER_ID_REQUIRED; its id starts with its instance id', async () => {
    const g = staticHarness();
    const join = g.joinStatic('a', 'i-a');
    expect(g.answer(join)).toBeUndefined();
    expect(g.state()).toBe('PreparingRebalance.InitialDelay');
    await g.clock.advanceByAsync(3_000);
    expect(g.answer(join)).toMatchObject({ errorCode: 0, generationId: 1, memberId: 'i-a-id1' });
    expect(g.group().members['i-a-id1']?.groupInstanceId).toBe('i-a');
  });

  it('Stable -> Stable on static member rejoin (no rebalance, same generation); SyncGroup returns the same assignment', async () => {
    const { g, idB } = await stableStaticPair();
    expect(g.state()).toBe('Stable');
    const rejoin = g.joinStatic('b2', 'i-b');
    expect(g.state()).toBe('Stable');
    const answer = g.answer(rejoin);
    expect(answer).toMatchObject({ errorCode: 0, generationId: 1, skipAssignment: false, members: [] });
    const newId = answer?.memberId as string;
    expect(newId).not.toBe(idB);
    expect(g.group().members[idB]).toBeUndefined();
    expect(text(g.answer(g.syncStatic('b2', 'i-b', newId, 1))?.assignment)).toBe('to-b');
    // DescribeGroups shows the instance under its new member id.
    const described = describeGroupAnswer('g', { groupId: 'g', state: 'Stable', group: g.group(), rebalances: g.actor.getSnapshot().context.rebalances }, 'NONE');
    expect(described.members.map((member) => [member.memberId, member.groupInstanceId]).sort()).toEqual(
      Object.values(g.group().members)
        .map((member) => [member.memberId, member.groupInstanceId])
        .sort(),
    );
    expect(described.members.find((member) => member.groupInstanceId === 'i-b')?.memberId).toBe(newId);
    // The new member id is written down before the JoinGroup is answered.
    const written = g.appended.at(-1)?.[0];
    expect(written?.type === 'GroupMetadata' && written.value?.members.map((member) => member.memberId)).toContain(newId);
  });

  it('Stable -> Stable when the static leader rejoins: it gets the member list with skipAssignment and keeps the assignment', async () => {
    const { g, leader, idA } = await stableStaticPair();
    expect(leader).toBe(idA);
    const rejoin = g.joinStatic('a2', 'i-a');
    const answer = g.answer(rejoin);
    expect(g.state()).toBe('Stable');
    expect(answer).toMatchObject({ errorCode: 0, generationId: 1, skipAssignment: true });
    expect(answer?.leader).toBe(answer?.memberId);
    expect((answer?.members as unknown[]).length).toBe(2);
    expect(text(g.answer(g.syncStatic('a2', 'i-a', answer?.memberId as string, 1))?.assignment)).toBe('to-a');
  });

  it('Stable -> PreparingRebalance on static member rejoin that changes the selected protocol', async () => {
    const both: Array<[string, string]> = [
      ['roundrobin', 'sub'],
      ['range', 'sub'],
    ];
    const { g, idA } = await stableStaticPair({}, both);
    expect(g.group().protocolName).toBe('range');
    // b now offers roundrobin too: both vote roundrobin, so the next generation's protocol would change.
    const rejoin = g.joinStatic('b2', 'i-b', '', both);
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    g.joinStatic('a', 'i-a', idA, both);
    expect(g.answer(rejoin)).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'roundrobin' });
  });

  it('Stable: a failed append of the replacement restores the old member id and fails the JoinGroup', async () => {
    let fail = false;
    const { g, idB } = await stableStaticPair({ failAppends: () => fail });
    fail = true;
    const rejoin = g.joinStatic('b2', 'i-b');
    expect(g.errorOf(rejoin)).toBe('NOT_COORDINATOR');
    expect(g.group().members[idB]?.groupInstanceId).toBe('i-b');
    expect(g.errorOf(g.heartbeatStatic('b', 'i-b', idB, 1))).toBe('NONE');
  });

  it('old member id fenced with FENCED_INSTANCE_ID (Heartbeat, SyncGroup, OffsetCommit, LeaveGroup, JoinGroup)', async () => {
    const { g, idB } = await stableStaticPair();
    g.joinStatic('b2', 'i-b');
    expect(g.errorOf(g.heartbeatStatic('b', 'i-b', idB, 1))).toBe('FENCED_INSTANCE_ID');
    expect(g.errorOf(g.syncStatic('b', 'i-b', idB, 1))).toBe('FENCED_INSTANCE_ID');
    expect(g.errorOf(g.joinStatic('b', 'i-b', idB))).toBe('FENCED_INSTANCE_ID');
    const commit = g.send('offsetCommit', 'b', {
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: idB,
      groupInstanceId: 'i-b',
      retentionTimeMs: -1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: '' }] }],
    });
    expect(g.answer(commit)).toMatchObject({ topics: [{ partitions: [{ errorCode: 82 }] }] });
    expect(g.answer(g.leaveMembers('b', [{ memberId: idB, groupInstanceId: 'i-b' }]))).toMatchObject({ members: [{ memberId: idB, errorCode: 82 }] });
    expect(g.state()).toBe('Stable');
    // Without its instance id the old id is simply unknown.
    expect(g.errorOf(g.heartbeat('b', idB, 1))).toBe('UNKNOWN_MEMBER_ID');
  });

  it('CompletingRebalance -> PreparingRebalance on static member rejoin; the old incarnation’s parked SyncGroup gets FENCED_INSTANCE_ID', async () => {
    const g = staticHarness();
    const a = g.joinStatic('a', 'i-a');
    const b = g.joinStatic('b', 'i-b');
    await g.clock.advanceByAsync(6_000);
    const idB = g.answer(b)?.memberId as string;
    expect(g.answer(a)?.leader).not.toBe(idB);
    const parked = g.syncStatic('b', 'i-b', idB, 1);
    const rejoin = g.joinStatic('b2', 'i-b');
    expect(g.errorOf(parked)).toBe('FENCED_INSTANCE_ID');
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    g.joinStatic('a', 'i-a', g.answer(a)?.memberId as string);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(rejoin)).toMatchObject({ errorCode: 0, generationId: 2 });
  });

  it('PreparingRebalance: a static member restarting during the join phase takes its old id’s place; the old JoinGroup is fenced', async () => {
    const { g, idA, idB } = await stableStaticPair();
    g.joinFully('c');
    const oldJoin = g.joinStatic('b', 'i-b', idB);
    expect(g.answer(oldJoin)).toBeUndefined();
    const newJoin = g.joinStatic('b2', 'i-b');
    expect(g.errorOf(oldJoin)).toBe('FENCED_INSTANCE_ID');
    g.joinStatic('a', 'i-a', idA);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(newJoin)).toMatchObject({ errorCode: 0, generationId: 2 });
  });

  it('static member kept at join completion although it did not rejoin; the first member that did rejoin leads', async () => {
    const { g, idA, idB } = await stableStaticPair();
    const c = g.joinFully('c');
    // a (the leader) and b stay alive by heartbeats but never rejoin; only the newcomer c has joined.
    for (let second = 0; second < 29; second += 1) {
      await g.clock.advanceByAsync(1_000);
      g.heartbeatStatic('a', 'i-a', idA, 1);
      g.heartbeatStatic('b', 'i-b', idB, 1);
    }
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    await g.clock.advanceByAsync(1_000);
    expect(g.state()).toBe('CompletingRebalance');
    expect(Object.keys(g.group().members).sort()).toEqual([idA, idB, c.memberId].sort());
    expect(g.group().leaderId).toBe(c.memberId);
    expect(g.answer(c.request)).toMatchObject({ generationId: 2, leader: c.memberId });
  });

  it('static member removed only by session timeout: the group rebalances without it', async () => {
    const { g, idA, idB } = await stableStaticPair();
    for (let second = 0; second < 10; second += 1) {
      await g.clock.advanceByAsync(1_000);
      g.heartbeatStatic('a', 'i-a', idA, 1);
    }
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.group().members[idB]).toBeUndefined();
    g.joinStatic('a', 'i-a', idA);
    expect(g.state()).toBe('CompletingRebalance');
  });

  it('LeaveGroup by instance id (admin removal: empty member id) removes the static member and rebalances; unknown ids get UNKNOWN_MEMBER_ID', async () => {
    const { g, idB } = await stableStaticPair();
    const answer = g.answer(
      g.leaveMembers('admin', [
        { memberId: '', groupInstanceId: 'i-b' },
        { memberId: '', groupInstanceId: 'i-nobody' },
        { memberId: '', groupInstanceId: null },
      ]),
    );
    expect(answer).toMatchObject({
      errorCode: 0,
      members: [
        { memberId: '', groupInstanceId: 'i-b', errorCode: 0 },
        { memberId: '', groupInstanceId: 'i-nobody', errorCode: 25 },
        { memberId: '', groupInstanceId: null, errorCode: 25 },
      ],
    });
    expect(g.group().members[idB]).toBeUndefined();
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
  });

  it('LeaveGroup by instance id with the current member id removes it; with an older member id it is FENCED_INSTANCE_ID', async () => {
    const { g, idA } = await stableStaticPair();
    expect(g.answer(g.leaveMembers('x', [{ memberId: 'stale', groupInstanceId: 'i-a' }]))).toMatchObject({ members: [{ errorCode: 82 }] });
    expect(g.state()).toBe('Stable');
    expect(g.answer(g.leaveMembers('a', [{ memberId: idA, groupInstanceId: 'i-a' }]))).toMatchObject({ members: [{ errorCode: 0 }] });
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
  });

  it('replay restores static members: a restarted coordinator fences the old id and replaces it without a rebalance', async () => {
    const { g, idB } = await stableStaticPair();
    g.joinStatic('b2', 'i-b');
    const records = g.appended.flat() as GroupRecord[];
    const restored = replayGroupRecords(records, 0).get('g');
    expect(restored).toBeDefined();
    const members = Object.values(restored?.members ?? {});
    expect(members.map((member) => member.groupInstanceId).sort()).toEqual(['i-a', 'i-b']);
    const replaced = members.find((member) => member.groupInstanceId === 'i-b')?.memberId as string;
    expect(replaced).not.toBe(idB);
    const reloaded = staticHarness({ group: restored });
    expect(reloaded.state()).toBe('Stable');
    expect(reloaded.errorOf(reloaded.heartbeatStatic('b', 'i-b', idB, 1))).toBe('FENCED_INSTANCE_ID');
    const again = reloaded.joinStatic('b3', 'i-b');
    expect(reloaded.answer(again)).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(reloaded.state()).toBe('Stable');
  });
});
