import { describe, expect, it } from 'vitest';
import { emptyGroupData } from './classic-group.js';
import { offsetFetchAnswer } from './group-offsets.js';
import { startGroup, text } from './group-test-support.js';

/** Two members through a first rebalance to Stable; returns the harness and both member ids. */
async function stableGroupOfTwo() {
  const g = startGroup();
  const a = g.joinFully('a');
  const b = g.joinFully('b');
  // b joined during a's initial delay, so Kafka extends it once: the first generation forms after 6 s.
  await g.clock.advanceByAsync(6_000);
  const leader = g.answer(a.request)?.leader as string;
  const follower = leader === a.memberId ? b.memberId : a.memberId;
  const followerSync = g.sync('f', follower, 1);
  const leaderSync = g.sync('l', leader, 1, [
    [leader, 'to-leader'],
    [follower, 'to-follower'],
  ]);
  return { g, leader, follower, followerSync, leaderSync };
}

describe('group machine', () => {
  it('Empty: a JoinGroup without a member id gets MEMBER_ID_REQUIRED and a new id (KIP-394)', () => {
    const g = startGroup();
    const first = g.join('client-a');
    expect(g.errorOf(first)).toBe('MEMBER_ID_REQUIRED');
    expect(g.answer(first)?.memberId).toBe('client-a-id1');
    expect(g.state()).toBe('Empty');
    expect(g.group().pendingMemberIds).toEqual(['client-a-id1']);
  });

  it('Empty -> PreparingRebalance on the join with the given id; -> CompletingRebalance after group.initial.rebalance.delay.ms', async () => {
    const g = startGroup();
    const { memberId, request } = g.joinFully('a');
    expect(g.state()).toBe('PreparingRebalance.InitialDelay');
    await g.clock.advanceByAsync(2_999);
    expect(g.answer(request)).toBeUndefined();
    await g.clock.advanceByAsync(1);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(request)).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: memberId, memberId });
    expect((g.answer(request)?.members as unknown[]).length).toBe(1);
  });

  it('PreparingRebalance.InitialDelay is extended while new members keep arriving, and everyone lands in generation 1', async () => {
    const g = startGroup();
    const a = g.joinFully('a');
    await g.clock.advanceByAsync(2_000);
    const b = g.joinFully('b');
    await g.clock.advanceByAsync(1_000);
    expect(g.state()).toBe('PreparingRebalance.InitialDelay');
    await g.clock.advanceByAsync(3_000);
    expect(g.state()).toBe('CompletingRebalance');
    expect([g.answer(a.request)?.generationId, g.answer(b.request)?.generationId]).toEqual([1, 1]);
    const leaderAnswer = [g.answer(a.request), g.answer(b.request)].find((answer) => answer?.leader === answer?.memberId);
    expect((leaderAnswer?.members as unknown[]).length).toBe(2);
  });

  it('CompletingRebalance -> Stable on the leader’s SyncGroup once the assignment is appended; followers get theirs', async () => {
    const { g, leader, follower, followerSync, leaderSync } = await stableGroupOfTwo();
    expect(g.state()).toBe('Stable');
    expect(text(g.answer(leaderSync)?.assignment)).toBe('to-leader');
    expect(text(g.answer(followerSync)?.assignment)).toBe('to-follower');
    const written = g.appended.at(-1)?.[0];
    expect(written).toMatchObject({ type: 'GroupMetadata', groupId: 'g', value: { generationId: 1, leaderId: leader } });
    expect(written?.type === 'GroupMetadata' && written.value?.members.map((member) => member.memberId).sort()).toEqual([leader, follower].sort());
  });

  it('CompletingRebalance -> PreparingRebalance when the assignment cannot be appended; waiting SyncGroups get REBALANCE_IN_PROGRESS', async () => {
    const g = startGroup({ failAppends: true });
    const a = g.joinFully('a');
    await g.clock.advanceByAsync(3_000);
    const syncId = g.sync('a', a.memberId, 1, [[a.memberId, 'x']]);
    expect(g.errorOf(syncId)).toBe('REBALANCE_IN_PROGRESS');
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
  });

  it('Stable: heartbeats are answered NONE; unknown members UNKNOWN_MEMBER_ID; other generations ILLEGAL_GENERATION', async () => {
    const { g, leader } = await stableGroupOfTwo();
    expect(g.errorOf(g.heartbeat('l', leader, 1))).toBe('NONE');
    expect(g.errorOf(g.heartbeat('x', 'nobody', 1))).toBe('UNKNOWN_MEMBER_ID');
    expect(g.errorOf(g.heartbeat('l', leader, 0))).toBe('ILLEGAL_GENERATION');
  });

  it('Stable -> PreparingRebalance on a new member; heartbeats get REBALANCE_IN_PROGRESS; all rejoin into generation 2', async () => {
    const { g, leader, follower } = await stableGroupOfTwo();
    const c = g.joinFully('c');
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.errorOf(g.heartbeat('l', leader, 1))).toBe('REBALANCE_IN_PROGRESS');
    const rejoinLeader = g.join('l', leader);
    const rejoinFollower = g.join('f', follower);
    expect(g.state()).toBe('CompletingRebalance');
    for (const id of [c.request, rejoinLeader, rejoinFollower]) expect(g.answer(id)?.generationId).toBe(2);
  });

  it('Stable -> PreparingRebalance when a member misses session.timeout.ms; the rebalance completes without it', async () => {
    const { g, leader, follower } = await stableGroupOfTwo();
    for (let second = 0; second < 9; second += 1) {
      await g.clock.advanceByAsync(1_000);
      g.heartbeat('l', leader, 1);
    }
    expect(g.state()).toBe('Stable');
    await g.clock.advanceByAsync(1_000);
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.group().members[follower]).toBeUndefined();
    const rejoin = g.join('l', leader);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(rejoin)).toMatchObject({ generationId: 2, leader });
  });

  it('PreparingRebalance -> CompletingRebalance after the rebalance timeout, without the member that did not rejoin', async () => {
    const { g, leader, follower } = await stableGroupOfTwo();
    g.joinFully('c');
    const rejoin = g.join('l', leader);
    // The follower never rejoins; its session stays alive by heartbeats (answered REBALANCE_IN_PROGRESS).
    for (let step = 0; step < 29; step += 1) {
      await g.clock.advanceByAsync(1_000);
      g.heartbeat('f', follower, 1);
    }
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    await g.clock.advanceByAsync(1_000);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(rejoin)?.generationId).toBe(2);
    expect(Object.keys(g.group().members)).not.toContain(follower);
  });

  it('PreparingRebalance: a new member still waiting after the new-member join timeout (5 min) is removed with UNKNOWN_MEMBER_ID', async () => {
    const { g, leader, follower } = await stableGroupOfTwo();
    // The newcomer's max.poll.interval.ms of 10 min makes the join phase last up to 10 min.
    const newcomer = g.joinFully('c', undefined, 10_000, 600_000);
    g.join('l', leader);
    // The follower never rejoins; heartbeats keep its session (and the newcomer's wait) going.
    for (let second = 0; second < 299; second += 1) {
      await g.clock.advanceByAsync(1_000);
      g.heartbeat('f', follower, 1);
    }
    expect(g.answer(newcomer.request)).toBeUndefined();
    expect(g.group().members[newcomer.memberId]).toBeDefined();
    await g.clock.advanceByAsync(1_000);
    expect(g.errorOf(newcomer.request)).toBe('UNKNOWN_MEMBER_ID');
    expect(g.group().members[newcomer.memberId]).toBeUndefined();
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
  });

  it('CompletingRebalance -> PreparingRebalance when the leader never sends SyncGroup (pending sync timeout)', async () => {
    const g = startGroup();
    const a = g.joinFully('a');
    const b = g.joinFully('b');
    await g.clock.advanceByAsync(6_000);
    const leader = g.answer(a.request)?.leader as string;
    const follower = leader === a.memberId ? b.memberId : a.memberId;
    const waiting = g.sync('f', follower, 1);
    // The leader is alive (its heartbeats go on) but never sends its SyncGroup.
    for (let second = 0; second < 29; second += 1) {
      await g.clock.advanceByAsync(1_000);
      expect(g.errorOf(g.heartbeat('l', leader, 1))).toBe('NONE');
    }
    await g.clock.advanceByAsync(999);
    expect(g.state()).toBe('CompletingRebalance');
    await g.clock.advanceByAsync(1);
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.group().members[leader]).toBeUndefined();
    expect(g.errorOf(waiting)).toBe('REBALANCE_IN_PROGRESS');
  });

  it('CompletingRebalance -> PreparingRebalance when a member joins meanwhile; waiting SyncGroups get REBALANCE_IN_PROGRESS', async () => {
    const g = startGroup();
    const a = g.joinFully('a');
    const b = g.joinFully('b');
    await g.clock.advanceByAsync(6_000);
    const follower = g.answer(a.request)?.leader === a.memberId ? b.memberId : a.memberId;
    const waiting = g.sync('f', follower, 1);
    g.joinFully('c');
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    expect(g.errorOf(waiting)).toBe('REBALANCE_IN_PROGRESS');
  });

  it('CompletingRebalance: a follower that rejoins with unchanged metadata gets the current generation without a rebalance', async () => {
    const g = startGroup();
    const a = g.joinFully('a');
    const b = g.joinFully('b');
    await g.clock.advanceByAsync(6_000);
    const follower = g.answer(a.request)?.leader === a.memberId ? b.memberId : a.memberId;
    const again = g.join('f', follower);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.answer(again)).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('Stable -> PreparingRebalance on LeaveGroup; the last member leaving makes the group Empty', async () => {
    const { g, leader, follower } = await stableGroupOfTwo();
    const left = g.leave('f', follower);
    expect(g.answer(left)).toMatchObject({ errorCode: 0, members: [{ memberId: follower, errorCode: 0 }] });
    expect(g.state()).toBe('PreparingRebalance.AwaitingJoins');
    g.join('l', leader);
    expect(g.state()).toBe('CompletingRebalance');
    g.leave('l', leader);
    // Nobody is left to wait for: the join phase completes at once (Kafka's hasAllMembersJoined with 0 members).
    expect(g.state()).toBe('Empty');
    expect(g.group().generationId).toBe(3);
    expect(g.appended.at(-1)?.[0]).toMatchObject({ type: 'GroupMetadata', value: { members: [] } });
  });

  it('refuses a member whose protocols share nothing with the group with INCONSISTENT_GROUP_PROTOCOL', async () => {
    const { g } = await stableGroupOfTwo();
    const first = g.join('z', '', [['roundrobin', 'x']]);
    expect(g.errorOf(first)).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(g.state()).toBe('Stable');
  });

  it('selects the protocol by member vote', async () => {
    const g = startGroup();
    const a = g.joinFully('a', [
      ['roundrobin', 'x'],
      ['range', 'x'],
    ]);
    g.joinFully('b', [
      ['roundrobin', 'x'],
      ['range', 'x'],
    ]);
    g.joinFully('c', [
      ['range', 'x'],
      ['roundrobin', 'x'],
    ]);
    await g.clock.advanceByAsync(6_000);
    expect(g.answer(a.request)?.protocolName).toBe('roundrobin');
  });

  it('refuses session timeouts outside group.min/max.session.timeout.ms with INVALID_SESSION_TIMEOUT', () => {
    const g = startGroup();
    expect(g.errorOf(g.join('a', '', undefined, 5_999))).toBe('INVALID_SESSION_TIMEOUT');
    expect(g.errorOf(g.join('a', '', undefined, 1_800_001))).toBe('INVALID_SESSION_TIMEOUT');
  });

  it('refuses members past group.max.size with GROUP_MAX_SIZE_REACHED', () => {
    const g = startGroup({ limits: { groupMaxSize: 2 } });
    g.joinFully('a');
    g.joinFully('b');
    expect(g.errorOf(g.join('c'))).toBe('GROUP_MAX_SIZE_REACHED');
  });

  it('a pending member id expires after its session timeout and cannot be used', async () => {
    const g = startGroup();
    const first = g.join('a');
    const memberId = g.answer(first)?.memberId as string;
    await g.clock.advanceByAsync(10_000);
    expect(g.errorOf(g.join('a', memberId))).toBe('UNKNOWN_MEMBER_ID');
  });

  describe('offset commits', () => {
    it('applies a commit of the current generation once appended', async () => {
      const { g, leader } = await stableGroupOfTwo();
      const answer = g.answer(g.commit('l', leader, 1, 43));
      expect(answer).toMatchObject({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });
      expect(g.group().offsets['t-0']?.offset).toBe(43);
    });

    it('never applies a commit from an old generation (ILLEGAL_GENERATION)', async () => {
      const { g, leader } = await stableGroupOfTwo();
      g.commit('l', leader, 1, 10);
      const stale = g.answer(g.commit('l', leader, 0, 99));
      expect(stale).toMatchObject({ topics: [{ partitions: [{ errorCode: 22 }] }] });
      expect(g.group().offsets['t-0']?.offset).toBe(10);
    });

    it('refuses commits from unknown members, and during CompletingRebalance with REBALANCE_IN_PROGRESS', async () => {
      const g = startGroup();
      const a = g.joinFully('a');
      await g.clock.advanceByAsync(3_000);
      expect(g.answer(g.commit('a', a.memberId, 1, 5))).toMatchObject({ topics: [{ partitions: [{ errorCode: 27 }] }] });
      expect(g.answer(g.commit('x', 'nobody', 1, 5))).toMatchObject({ topics: [{ partitions: [{ errorCode: 25 }] }] });
      expect(g.group().offsets).toEqual({});
    });

    it('accepts a commit outside any generation only while the group is Empty (admin commits)', async () => {
      const empty = startGroup();
      expect(empty.answer(empty.commit('admin', '', -1, 7))).toMatchObject({ topics: [{ partitions: [{ errorCode: 0 }] }] });
      expect(empty.group().offsets['t-0']?.offset).toBe(7);
      const { g } = await stableGroupOfTwo();
      expect(g.answer(g.commit('admin', '', -1, 7))).toMatchObject({ topics: [{ partitions: [{ errorCode: 25 }] }] });
    });

    it('refuses metadata over offset.metadata.max.bytes with OFFSET_METADATA_TOO_LARGE', async () => {
      const { g, leader } = await stableGroupOfTwo();
      expect(g.answer(g.commit('l', leader, 1, 5, 'x'.repeat(4_097)))).toMatchObject({ topics: [{ partitions: [{ errorCode: 12 }] }] });
    });

    it('refuses a negative partition with UNKNOWN_TOPIC_OR_PARTITION, so every offset fetched or deleted is the one committed (found by the broker fuzz test)', () => {
      const g = startGroup();
      const partition = (partitionIndex: number) => ({ partitionIndex, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: '' });
      const request = g.send('offsetCommit', 'admin', {
        groupId: 'g',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [{ name: 'orders', partitions: [partition(-1), partition(2)] }],
      });
      expect(g.answer(request)).toMatchObject({ topics: [{ partitions: [{ partitionIndex: -1, errorCode: 3 }, { partitionIndex: 2, errorCode: 0 }] }] });
      expect(offsetFetchAnswer(g.group(), { groupId: 'g', topics: null, requireStable: false }).topics).toEqual([
        { name: 'orders', partitions: [{ partitionIndex: 2, committedOffset: 5, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] },
      ]);
    });

    it('maps a failed append to NOT_COORDINATOR and applies nothing', () => {
      const g = startGroup({ failAppends: true });
      expect(g.answer(g.commit('admin', '', -1, 7))).toMatchObject({ topics: [{ partitions: [{ errorCode: 16 }] }] });
      expect(g.group().offsets).toEqual({});
    });
  });

  it('a group loaded with members starts Stable; when its only member stops heartbeating it rebalances to Empty', async () => {
    const loaded = {
      ...emptyGroupData('g', 0),
      generationId: 4,
      protocolType: 'consumer',
      protocolName: 'range',
      leaderId: 'm1',
      members: {
        m1: {
          memberId: 'm1',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: '/h',
          rebalanceTimeoutMs: 30_000,
          sessionTimeoutMs: 10_000,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: new Uint8Array() }],
          assignment: new Uint8Array(),
          isNew: false,
          awaitingJoin: null,
          awaitingSync: null,
        },
      },
    };
    const g = startGroup({ group: loaded });
    expect(g.state()).toBe('Stable');
    expect(g.errorOf(g.heartbeat('m1', 'm1', 4))).toBe('NONE');
    await g.clock.advanceByAsync(9_999);
    expect(g.state()).toBe('Stable');
    await g.clock.advanceByAsync(1);
    expect(g.state()).toBe('Empty');
    expect(g.group().generationId).toBe(5);
  });

  it('Empty -> Dead on group.delete once the tombstones are appended; a group with members refuses with NON_EMPTY_GROUP', async () => {
    const empty = startGroup();
    empty.commit('admin', '', -1, 7);
    empty.actor.send({ type: 'group.delete', token: 9 });
    expect(empty.deletions).toEqual([{ token: 9, errorName: 'NONE' }]);
    expect(empty.state()).toBe('Dead');
    expect(empty.appended.at(-1)).toEqual([
      { type: 'GroupMetadata', groupId: 'g', value: null },
      { type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, value: null },
    ]);
    const { g } = await stableGroupOfTwo();
    g.actor.send({ type: 'group.delete', token: 3 });
    expect(g.deletions).toEqual([{ token: 3, errorName: 'NON_EMPTY_GROUP' }]);
  });

  it('Empty -> Dead answers what still waits on an append: a second DeleteGroups and an OffsetCommit that raced the deletion (found by the broker fuzz test)', () => {
    const g = startGroup({ holdAppends: true });
    g.actor.send({ type: 'group.delete', token: 1 });
    g.actor.send({ type: 'group.delete', token: 2 });
    const commit = g.commit('admin', '', -1, 7);
    expect(g.heldAppends).toHaveLength(3);
    g.heldAppends[0]!(); // the first deletion's tombstones are written: the group is gone
    expect(g.state()).toBe('Dead');
    expect(g.deletions).toEqual([
      { token: 1, errorName: 'NONE' },
      { token: 2, errorName: 'COORDINATOR_NOT_AVAILABLE' },
    ]);
    expect(g.answer(commit)).toMatchObject({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 15 }] }] }); // COORDINATOR_NOT_AVAILABLE
  });
});
