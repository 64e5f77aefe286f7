/**
 * The consumer group statechart (KIP-848) serving ConsumerGroupHeartbeat on a simulated clock, named as transitions:
 * members join, reconcile (revocation before assignment), are fenced by their session or rebalance timeout, commit
 * offsets by member epoch, and the written records replay to the same group on a new coordinator.
 */
import { describe, expect, it } from 'vitest';
import { replayAnyGroupRecords } from '../group-replay.js';
import { startConsumerGroup } from './consumer-group-test-support.js';
import { MAX_DEFERRED_HEARTBEATS } from './consumer-group.setup.js';

const T = 't-id';

/** Two members `a` (joined first, owning t-0..5 at epoch 1) and `b` (joining at epoch 2, waiting for a's revocation). */
function twoMembersJoining(rebalanceTimeoutMs = 300_000) {
  const g = startConsumerGroup();
  g.heartbeat('a', { memberEpoch: 0, rebalanceTimeoutMs });
  const b = g.heartbeat('b', { memberEpoch: 0, rebalanceTimeoutMs });
  return { g, b };
}

describe('consumer group heartbeats', () => {
  it('Empty -> Assigning -> Reconciling -> Stable on member joined: epoch 1, every partition assigned', () => {
    const g = startConsumerGroup();
    const join = g.heartbeat('a', { memberEpoch: 0 });
    expect(g.visited).toEqual(['Empty', 'Assigning', 'Reconciling', 'Stable']);
    expect(g.answer(join)).toMatchObject({ errorCode: 0, memberId: 'a', memberEpoch: 1, heartbeatIntervalMs: 5_000 });
    expect(g.assignmentOf(join)).toEqual({ [T]: [0, 1, 2, 3, 4, 5] });
    expect(g.group()).toMatchObject({ groupEpoch: 1, assignmentEpoch: 1 });
  });

  it('Stable -> Reconciling on member joined: the new member waits (UNRELEASED_PARTITIONS) while the owner keeps its partitions', () => {
    const { g, b } = twoMembersJoining();
    expect(g.state()).toBe('Reconciling');
    expect(g.answer(b)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(g.assignmentOf(b)).toEqual({});
    expect(g.group().members.b?.state).toBe('UNRELEASED_PARTITIONS');
  });

  it('Reconciling -> Stable when every member reached the target epoch: a revokes first, then b gets what a released', () => {
    const { g } = twoMembersJoining();
    const first = g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    expect(g.answer(first)).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    const kept = g.assignmentOf(first) ?? {};
    expect(kept[T]).toHaveLength(3);
    expect(g.group().members.a?.state).toBe('UNREVOKED_PARTITIONS');
    // b still gets nothing: a has not confirmed the revocation.
    const early = g.heartbeat('b', { memberEpoch: 2 });
    expect(g.answer(early)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(g.group().members.b?.assignedPartitions).toEqual({});
    const revoked = g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: kept[T] ?? [] }] });
    expect(g.answer(revoked)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(g.state()).toBe('Reconciling');
    const given = g.heartbeat('b', { memberEpoch: 2 });
    expect(g.assignmentOf(given)).toEqual({ [T]: [0, 1, 2, 3, 4, 5].filter((partition) => !(kept[T] ?? []).includes(partition)) });
    expect(g.state()).toBe('Stable');
  });

  it('Reconciling -> Assigning when the rebalance timeout fences a member that does not revoke; its partitions go to the other only then', () => {
    const { g } = twoMembersJoining(10_000);
    g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    expect(g.group().members.a?.state).toBe('UNREVOKED_PARTITIONS');
    g.clock.advanceBy(9_000);
    g.heartbeat('b', { memberEpoch: 2 });
    expect(g.group().members.b?.assignedPartitions).toEqual({});
    expect(g.group().members.a).toBeDefined();
    g.clock.advanceBy(1_000);
    expect(g.group().members.a).toBeUndefined();
    expect(g.state()).toBe('Assigning');
    const after = g.heartbeat('b', { memberEpoch: 2 });
    expect(g.answer(after)).toMatchObject({ errorCode: 0, memberEpoch: 3 });
    expect(g.assignmentOf(after)).toEqual({ [T]: [0, 1, 2, 3, 4, 5] });
    expect(g.state()).toBe('Stable');
    // The fenced member's next heartbeat is refused: it must give up its partitions and join again.
    const zombie = g.heartbeat('a', { memberEpoch: 1 });
    expect(g.errorOf(zombie)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('Stable -> Empty when the session timeout (group.consumer.session.timeout.ms) fences the only member', () => {
    const g = startConsumerGroup({ config: { sessionTimeoutMs: 45_000 } });
    g.heartbeat('a', { memberEpoch: 0 });
    g.clock.advanceBy(30_000);
    g.heartbeat('a', { memberEpoch: 1 });
    g.clock.advanceBy(44_999);
    expect(g.state()).toBe('Stable');
    g.clock.advanceBy(1);
    expect(g.state()).toBe('Empty');
    expect(g.group().groupEpoch).toBe(2);
    expect(g.group().members).toEqual({});
  });

  it('a leave (epoch -1) removes the member at once and bumps the group epoch', () => {
    const { g } = twoMembersJoining();
    const leave = g.heartbeat('b', { memberEpoch: -1 });
    expect(g.answer(leave)).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    expect(Object.keys(g.group().members)).toEqual(['a']);
    expect(g.state()).toBe('Assigning');
  });

  it('offset commits carry the member epoch: STALE_MEMBER_EPOCH for an old one, UNKNOWN_MEMBER_ID for a stranger', () => {
    const g = startConsumerGroup();
    g.heartbeat('a', { memberEpoch: 0 });
    expect(g.commitErrorOf(g.commit('a', 0, 10))).toBe('STALE_MEMBER_EPOCH');
    expect(g.commitErrorOf(g.commit('x', 1, 10))).toBe('UNKNOWN_MEMBER_ID');
    expect(g.commitErrorOf(g.commit('', -1, 10))).toBe('UNKNOWN_MEMBER_ID');
    expect(g.commitErrorOf(g.commit('a', 1, 10))).toBe('NONE');
    expect(g.group().offsets['t-0']?.offset).toBe(10);
  });

  it('a heartbeat whose records cannot be written answers NOT_COORDINATOR and changes nothing', () => {
    const g = startConsumerGroup({ failAppends: true });
    const join = g.heartbeat('a', { memberEpoch: 0 });
    expect(g.errorOf(join)).toBe('NOT_COORDINATOR');
    expect(g.state()).toBe('Empty');
    expect(g.group().members).toEqual({});
  });

  it('replaying the written records on a new coordinator (failover) gives the same group: epochs, members, assignments', () => {
    const { g } = twoMembersJoining();
    g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    const replayed = replayAnyGroupRecords(g.appended.flat(), 0).get('g');
    expect(replayed?.kind).toBe('consumer');
    expect(replayed?.data).toEqual(g.group());
    // The new coordinator's actor continues from there: a's revocation moves it to the target epoch.
    const next = startConsumerGroup({ group: g.group() });
    expect(next.state()).toBe('Reconciling');
    const kept = g.group().members.a?.assignedPartitions[T] ?? [];
    const revoked = next.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: kept }] });
    expect(next.answer(revoked)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
  });

  it('records the rebalance (protocol CONSUMER) from the join that bumped the epoch until every member reached it', () => {
    const { g } = twoMembersJoining();
    const first = g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    g.clock.advanceBy(500);
    g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: g.assignmentOf(first)?.[T] ?? [] }] });
    g.heartbeat('b', { memberEpoch: 2 });
    const records = g.actor.getSnapshot().context.rebalances.records;
    expect(records.map((record) => [record.trigger, record.protocol, record.fromGeneration, record.toGeneration])).toEqual([
      ['join', 'CONSUMER', 0, 1],
      ['join', 'CONSUMER', 1, 2],
    ]);
    const second = records[1];
    expect(second?.durationMs).toBe(500);
    expect(second?.partitionsMoved).toBe(3);
    expect(second?.members.map((member) => [member.memberId, member.revoked.flatMap((topic) => topic.partitions).length, member.added.flatMap((topic) => topic.partitions).length])).toEqual([
      ['a', 3, 0],
      ['b', 0, 3],
    ]);
  });

  it('a join that arrives while another join is being written waits for it, so each gets its own epoch and no partition has two owners', () => {
    const g = startConsumerGroup({ holdAppends: true });
    const a = g.heartbeat('a', { memberEpoch: 0 });
    const b = g.heartbeat('b', { memberEpoch: 0 });
    expect(g.appended).toHaveLength(1);
    g.heldAppends.shift()?.({ ok: true });
    expect(g.answer(a)).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    expect(g.answer(b)).toBeUndefined();
    g.heldAppends.shift()?.({ ok: true });
    expect(g.answer(b)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(g.assignmentOf(b)).toEqual({});
    expect(g.group().members.a?.assignedPartitions).toEqual({ [T]: [0, 1, 2, 3, 4, 5] });
  });

  it('heartbeats still waiting when the coordinator moves are answered NOT_COORDINATOR', () => {
    const g = startConsumerGroup({ holdAppends: true });
    const a = g.heartbeat('a', { memberEpoch: 0 });
    const b = g.heartbeat('b', { memberEpoch: 0 });
    g.actor.send({ type: 'group.unload' });
    expect([g.errorOf(a), g.errorOf(b)]).toEqual(['NOT_COORDINATOR', 'NOT_COORDINATOR']);
  });

  it('past its bound of heartbeats waiting behind a change being written (MAX_DEFERRED_HEARTBEATS), the next is answered COORDINATOR_NOT_AVAILABLE', () => {
    expect(MAX_DEFERRED_HEARTBEATS).toBe(10_000);
    const g = startConsumerGroup({ holdAppends: true, config: { maxDeferredHeartbeats: 3 } });
    g.heartbeat('a', { memberEpoch: 0 });
    for (const memberId of ['b', 'c', 'd']) g.heartbeat(memberId, { memberEpoch: 0 });
    expect(g.actor.getSnapshot().context.deferred).toHaveLength(3);
    const refused = g.heartbeat('late', { memberEpoch: 0 });
    expect(g.errorOf(refused)).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(g.actor.getSnapshot().context.deferred).toHaveLength(3);
  });

  it('Stable -> Assigning -> Stable when a subscribed topic grows: the next heartbeat bumps the epoch and assigns the new partitions (trigger partition-change)', () => {
    const g = startConsumerGroup();
    g.heartbeat('a', { memberEpoch: 0 });
    g.setTopics({ t: 8 });
    const grown = g.heartbeat('a', { memberEpoch: 1 });
    expect(g.answer(grown)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(g.assignmentOf(grown)).toEqual({ [T]: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(g.visited.slice(-3)).toEqual(['Assigning', 'Reconciling', 'Stable']);
    expect(g.actor.getSnapshot().context.rebalances.records.at(-1)).toMatchObject({ trigger: 'partition-change', protocol: 'CONSUMER', fromGeneration: 1, toGeneration: 2 });
  });

  it('TxnOffsetCommit of a member at its epoch is pending until its transaction commits; at another epoch it is refused', () => {
    const g = startConsumerGroup();
    g.heartbeat('a', { memberEpoch: 0 });
    const txn = (generationId: number, correlationId: number) => {
      const ref = { connectionId: 'p', correlationId, api: 'txnOffsetCommit' as const, version: 3, remoteAddress: '/p' };
      const body = { transactionalId: 'tx', groupId: 'g', producerId: 7, producerEpoch: 0, generationId, memberId: 'a', groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 33, committedLeaderEpoch: -1, committedMetadata: null }] }] };
      g.actor.send({ type: 'request.txnOffsetCommit', ref, body });
      const topics = g.answer(correlationId)?.topics as Array<{ partitions: Array<{ errorCode: number }> }>;
      return topics[0]?.partitions[0]?.errorCode;
    };
    expect(txn(0, 901)).not.toBe(0);
    expect(txn(1, 902)).toBe(0);
    expect(g.group().offsets['t-0']).toBeUndefined();
    g.actor.send({ type: 'txn.completed', producerId: 7, result: 'COMMIT' });
    expect(g.group().offsets['t-0']?.offset).toBe(33);
  });

  it('Reconciling stays Reconciling when a session timeout that expired while the member\'s own heartbeat was being written comes after that heartbeat renewed the session: the member is not fenced and the partitions it is revoking stay its own', () => {
    // Found by the mass-restart swarm (seed 2): __consumer_offsets writes stalled while a broker was down, a
    // member's heartbeat and then its session timeout both waited behind the write, and the stale timeout fenced
    // the member right after the coordinator had asked it to revoke, handing its partitions to another member
    // while it still owned them.
    const g = startConsumerGroup({ holdAppends: true, config: { sessionTimeoutMs: 10_000 } });
    const release = () => g.heldAppends.shift()?.({ ok: true });
    g.heartbeat('a', { memberEpoch: 0, rebalanceTimeoutMs: 300_000 });
    release();
    g.heartbeat('b', { memberEpoch: 0, rebalanceTimeoutMs: 300_000 });
    release();
    g.clock.advanceBy(5_000);
    g.heartbeat('b', { memberEpoch: 2 });
    while (g.heldAppends.length > 0) release();
    g.clock.advanceBy(4_000);
    // a's heartbeat asks it to revoke; its records are not written yet when its old session timeout passes.
    const revoking = g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    g.clock.advanceBy(1_000);
    expect(g.actor.getSnapshot().context.deferred.map((event) => event.type)).toEqual(['timer.memberSessionExpired']);
    release();
    expect(g.answer(revoking)).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    while (g.heldAppends.length > 0) release();
    expect(g.group().members.a?.state).toBe('UNREVOKED_PARTITIONS');
    expect(g.actor.getSnapshot().context.deferred).toEqual([]);
    const early = g.heartbeat('b', { memberEpoch: 2 });
    while (g.heldAppends.length > 0) release();
    expect(g.assignmentOf(early) ?? {}).toEqual({});
    expect(g.group().members.b?.assignedPartitions).toEqual({});
    // The renewed session still ends a full session timeout after the heartbeat that renewed it.
    g.clock.advanceBy(9_999);
    expect(g.group().members.a).toBeDefined();
    g.clock.advanceBy(1);
    while (g.heldAppends.length > 0) release();
    expect(g.group().members.a).toBeUndefined();
  });

  it('a member that was revoking when the coordinator moved gets its rebalance timeout again on the new coordinator, and is fenced when it passes', () => {
    const { g } = twoMembersJoining(10_000);
    g.heartbeat('a', { memberEpoch: 1, owned: [{ topicId: T, partitions: [0, 1, 2, 3, 4, 5] }] });
    const next = startConsumerGroup({ group: g.group() });
    next.clock.advanceBy(9_999);
    expect(next.group().members.a).toBeDefined();
    next.clock.advanceBy(1);
    expect(next.group().members.a).toBeUndefined();
    expect(next.state()).toBe('Assigning');
  });

  it('the rebalance record names the server assignor the members asked for (group.remote.assignor)', () => {
    const g = startConsumerGroup();
    g.heartbeat('a', { memberEpoch: 0, serverAssignor: 'range' });
    expect(g.actor.getSnapshot().context.rebalances.records.at(-1)?.protocolName).toBe('range');
  });
});
