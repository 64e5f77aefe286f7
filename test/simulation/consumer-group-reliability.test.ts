/**
 * Kafka's and librdkafka's consumer-group reliability scenarios (docs: reliability-tests sections 2 and 4)
 * with the real Consumer, Producer and Admin against the real brokers and group coordinator of a
 * simulated three-broker cluster, on simulated time: one owner per partition after every rebalance,
 * idle members, max.poll.interval.ms exceeded, a member cut off by a network partition, a killed member,
 * restart from committed offsets, independent groups, a restarted coordinator, and the same run for the
 * same seed. Coordinator failover to another broker (a replicated __consumer_offsets) is in coordinator-failover.test.ts.
 */
import { CommitFailedError, type Consumer, type TopicPartition } from '@kactor/client';
import { afterEach, describe, expect, it } from 'vitest';
import { Assignments, GroupClients, sortedNames } from '@kactor/simulation';

let sim: GroupClients;
afterEach(async () => {
  await sim?.close();
});

const partitionsOf = (topic: string, count: number): string[] => sortedNames(Array.from({ length: count }, (_, partition) => ({ topic, partition })));
const offsetsOn = (records: ReadonlyArray<{ partition: number; offset: number }>, partition: number): number[] =>
  records.filter((record) => record.partition === partition).map((record) => record.offset);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

describe('consumer groups with real clients and the real coordinator', () => {
  it('gives every partition exactly one owner after every rebalance as three members join one by one and one leaves', async () => {
    sim = new GroupClients(11);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 6);
    const assignments = new Assignments();
    const members: Consumer[] = [];
    const sizesAtStablePoints: number[][] = [];
    const generation = () => members[0]?.groupMembership()?.generationId ?? 0;
    const expectOneOwnerEach = () => {
      const owned = members.map((member) => sortedNames(member.assignment()));
      expect(owned.flat().sort()).toEqual(partitionsOf('orders', 6));
      sizesAtStablePoints.push(owned.map((partitions) => partitions.length).sort());
    };
    for (const name of ['a', 'b', 'c']) {
      const member = sim.consumer('analytics', name);
      assignments.watch(member);
      member.subscribe(['orders']);
      const before = generation();
      members.push(member);
      await sim.pollUntil(members, () => assignments.settled(members, before), `${members.length} members stable`);
      expectOneOwnerEach();
    }
    const leaving = members.pop() as Consumer;
    const before = generation();
    await sim.settle(leaving.close());
    await sim.pollUntil(members, () => assignments.settled(members, before), 'two members stable after one left');
    expectOneOwnerEach();
    expect(sizesAtStablePoints).toEqual([[6], [3, 3], [2, 2, 2], [3, 3]]);
    // Not only at the stable points: no generation ever handed a partition to two members.
    expect(assignments.doubleOwners()).toEqual([]);
  });

  it('keeps a fourth member of a three-partition topic in the group with nothing assigned, without rebalancing', async () => {
    sim = new GroupClients(12);
    await sim.cluster.startAll();
    await sim.createTopic('small', 3);
    const assignments = new Assignments();
    const members = ['a', 'b', 'c', 'd'].map((name) => sim.consumer('wide', name));
    for (const member of members) {
      assignments.watch(member);
      member.subscribe(['small']);
    }
    await sim.pollUntil(members, () => assignments.settled(members), 'four members stable');
    expect(members.map((member) => member.assignment().length).sort()).toEqual([0, 1, 1, 1]);
    const generation = members[0]?.groupMembership()?.generationId;
    // Several session timeouts later the idle member is still there: it heartbeats like the others.
    const sinceMs = sim.cluster.clock.now();
    await sim.pollUntil(members, () => sim.cluster.clock.now() >= sinceMs + 30_000, 'three session timeouts');
    const [described] = await sim.settle(sim.admin().describeGroups(['wide']));
    expect(described).toMatchObject({ state: 'Stable', generationId: generation });
    expect(described?.members).toHaveLength(4);
    expect(described?.members.map((member) => member.assignment.length).sort()).toEqual([0, 1, 1, 1]);
    expect(members.map((member) => member.groupMembership())).toEqual(members.map(() => expect.objectContaining({ state: 'stable', generationId: generation })));
  });

  it('max.poll.interval.ms exceeded: the member leaves, the other gets everything, its stale commit fails and is not applied, it sees exactly one lost callback, then rejoins on poll', async () => {
    sim = new GroupClients(21);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 2);
    await sim.fill('orders', 2, 5);
    const lost: TopicPartition[][] = [];
    let revocations = 0;
    const slow = sim.consumer('analytics', 'slow');
    const steady = sim.consumer('analytics', 'steady');
    slow.subscribe(['orders'], { onPartitionsLost: (partitions) => void lost.push(partitions), onPartitionsRevoked: () => void (revocations += 1) });
    steady.subscribe(['orders']);
    const oneEach = () => [slow, steady].every((member) => member.groupMembership()?.state === 'stable' && member.assignment().length === 1);
    await sim.pollUntil([slow, steady], () => oneEach() && sim.records(slow).length >= 5, 'one partition each, read');
    const slowPartition = slow.assignment()[0] as TopicPartition;
    // It processed all five records of its partition but committed only the first two.
    await sim.settle(slow.commitSync([{ ...slowPartition, offset: 2 }]));
    const revocationsBefore = revocations;
    const readBeforeTakeover = sim.records(steady).length;
    const takenOver = () => offsetsOn(sim.records(steady).slice(readBeforeTakeover), slowPartition.partition);
    const stoppedAtMs = sim.cluster.clock.now();
    await sim.pollUntil([steady], () => steady.groupMembership()?.state === 'stable' && steady.assignment().length === 2, 'the steady member owns both');
    const tookMs = sim.cluster.clock.now() - stoppedAtMs;
    expect(tookMs).toBeGreaterThanOrEqual(20_000);
    expect(tookMs).toBeLessThanOrEqual(20_000 + 3 * 1_000);
    expect(slow.groupMembership()).toMatchObject({ state: 'rebalancing', generationId: -1 });
    // Having left, it has no generation to commit in: the client refuses the commit itself, as Kafka's does.
    const stale = await sim.settle(slow.commitSync([{ ...slowPartition, offset: 5 }])).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(CommitFailedError);
    const committed = await sim.settle(sim.admin().listConsumerGroupOffsets('analytics'));
    expect(committed.find((entry) => entry.partition === slowPartition.partition)?.offset).toBe(2);
    // The new owner starts at the committed offset: records 2..4 are read again, none is lost.
    await sim.pollUntil([steady], () => takenOver().length >= 3, 'the new owner reads the uncommitted records');
    expect(takenOver()).toEqual([2, 3, 4]);
    await sim.pollUntil([slow, steady], oneEach, 'the slow member rejoined');
    expect(lost).toEqual([[slowPartition]]);
    expect(revocations).toBe(revocationsBefore);
  });

  it('a member cut off from the cluster past session.timeout.ms is removed by the coordinator: after the network heals its commit is refused (CommitFailedError, not applied), its partitions are lost once, and it rejoins', async () => {
    sim = new GroupClients(25);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 2);
    await sim.fill('orders', 2, 5);
    const lost: TopicPartition[][] = [];
    const cut = sim.consumer('analytics', 'cut');
    const other = sim.consumer('analytics', 'other');
    cut.subscribe(['orders'], { onPartitionsLost: (partitions) => void lost.push(partitions) });
    other.subscribe(['orders']);
    const oneEach = () => [cut, other].every((member) => member.groupMembership()?.state === 'stable' && member.assignment().length === 1);
    await sim.pollUntil([cut, other], () => oneEach() && sim.records(cut).length >= 5, 'one partition each, read');
    const cutPartition = cut.assignment()[0] as TopicPartition;
    const generation = cut.groupMembership()?.generationId ?? -1;
    sim.isolate(cut);
    const isolatedAtMs = sim.cluster.clock.now();
    // Both keep polling, as applications do; only the coordinator's session timer decides.
    await sim.pollUntil([cut, other], () => other.groupMembership()?.state === 'stable' && other.assignment().length === 2, 'the other member owns both');
    expect(sim.cluster.clock.now() - isolatedAtMs).toBeLessThanOrEqual(10_000 + 2 * 1_000 + 1_000);
    expect(cut.groupMembership()?.generationId).toBe(generation);
    sim.heal(cut);
    const stale = await sim.settle(cut.commitSync([{ ...cutPartition, offset: 5 }])).catch((error: unknown) => error);
    // Still in its old generation, it sent the commit; the coordinator, which removed it, refused it.
    expect(stale).toBeInstanceOf(CommitFailedError);
    expect((stale as CommitFailedError).cause).toMatchObject({ errorName: 'UNKNOWN_MEMBER_ID' });
    const committed = await sim.settle(sim.admin().listConsumerGroupOffsets('analytics'));
    expect(committed.find((entry) => entry.partition === cutPartition.partition)).toBeUndefined();
    await sim.pollUntil([cut, other], oneEach, 'the cut-off member rejoined');
    expect(lost).toEqual([[cutPartition]]);
    expect(cut.groupMembership()?.generationId).toBeGreaterThan(generation + 1);
  });

  it('a killed member (no LeaveGroup) loses its partitions to the survivor within session.timeout.ms plus a rebalance, which resumes from their committed offsets', async () => {
    sim = new GroupClients(31);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 4);
    await sim.fill('orders', 4, 5);
    const survivor = sim.consumer('analytics', 'survivor');
    const victim = sim.consumer('analytics', 'victim');
    for (const member of [survivor, victim]) member.subscribe(['orders']);
    const twoEach = () => [survivor, victim].every((member) => member.groupMembership()?.state === 'stable' && member.assignment().length === 2);
    await sim.pollUntil([survivor, victim], () => twoEach() && sim.records(victim).length >= 10, 'two partitions each, read');
    const victimPartitions = victim.assignment();
    // It processed all five records of each partition and died after committing three.
    await sim.settle(victim.commitSync(victimPartitions.map((tp) => ({ ...tp, offset: 3 }))));
    sim.kill(victim);
    const killedAtMs = sim.cluster.clock.now();
    await sim.pollUntil([survivor], () => survivor.groupMembership()?.state === 'stable' && survivor.assignment().length === 4, 'the survivor owns all four');
    expect(sim.cluster.clock.now() - killedAtMs).toBeLessThanOrEqual(10_000 + 2 * 1_000 + 1_000);
    await sim.pollUntil([survivor], () => victimPartitions.every((tp) => offsetsOn(sim.records(survivor), tp.partition).length >= 2), 'the survivor reads the uncommitted records');
    for (const tp of victimPartitions) expect(offsetsOn(sim.records(survivor), tp.partition)).toEqual([3, 4]);
    const [described] = await sim.settle(sim.admin().describeGroups(['analytics']));
    expect(described?.members.map((member) => member.clientId)).toEqual(['survivor']);
  });

  it('a consumer started after a clean stop resumes exactly at the committed offsets: position == committed, nothing skipped', async () => {
    sim = new GroupClients(41);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 2);
    await sim.fill('orders', 2, 10);
    const first = sim.consumer('analytics', 'first', { 'max.poll.records': 3 });
    first.subscribe(['orders']);
    await sim.pollUntil([first], () => sim.records(first).length >= 9, 'nine records');
    await sim.settle(first.commitSync());
    const positions = await sim.settle(Promise.all(first.assignment().map((tp) => first.position(tp))));
    const committed = (await sim.settle(first.committed(first.assignment()))).map((entry) => entry.offset ?? -1);
    expect(committed).toEqual(positions);
    expect(committed.reduce((sum, offset) => sum + offset, 0)).toBeLessThan(20);
    await sim.settle(first.close());
    const second = sim.consumer('analytics', 'second');
    let positionsAtAssignment: number[] = [];
    second.subscribe(['orders'], { onPartitionsAssigned: async (partitions) => void (positionsAtAssignment = await Promise.all(partitions.map((tp) => second.position(tp)))) });
    const remaining = committed.reduce((sum, offset) => sum + 10 - offset, 0);
    await sim.pollUntil([second], () => sim.records(second).length >= remaining, 'the rest of the records');
    expect(positionsAtAssignment).toEqual(committed);
    committed.forEach((offset, partition) => expect(offsetsOn(sim.records(second), partition)).toEqual(range(offset, 10)));
  });

  it('two groups on one topic each read every record exactly once, and the commits of one leave the other untouched', async () => {
    sim = new GroupClients(51);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 4);
    await sim.fill('orders', 4, 5);
    const analytics = [sim.consumer('analytics', 'a1'), sim.consumer('analytics', 'a2')];
    const billing = sim.consumer('billing', 'b1');
    for (const member of [...analytics, billing]) member.subscribe(['orders']);
    const readBy = (members: readonly Consumer[]) => members.flatMap((member) => sim.records(member).map((record) => `${record.partition}/${record.offset}`));
    await sim.pollUntil([...analytics, billing], () => readBy(analytics).length >= 20 && readBy([billing]).length >= 20, 'both groups read everything');
    for (const members of [analytics, [billing]]) {
      expect(readBy(members)).toHaveLength(20);
      expect(new Set(readBy(members)).size).toBe(20);
    }
    for (const member of analytics) await sim.settle(member.commitSync());
    await sim.settle(billing.commitSync([{ topic: 'orders', partition: 0, offset: 1 }]));
    const offsets = async (group: string) => (await sim.settle(sim.admin().listConsumerGroupOffsets(group))).map((entry) => [entry.partition, entry.offset]).sort();
    expect(await offsets('analytics')).toEqual([[0, 5], [1, 5], [2, 5], [3, 5]]);
    expect(await offsets('billing')).toEqual([[0, 1]]);
  });

  for (const stop of ['shutdown', 'kill'] as const) {
    it(`a coordinator broker that is down (${stop === 'shutdown' ? 'controlled shutdown' : 'kill -9'}) for longer than session.timeout.ms rebuilds the group and its offsets from __consumer_offsets when it restarts: no rebalance, no committed record read again`, async () => {
      sim = new GroupClients(stop === 'shutdown' ? 61 : 62);
      await sim.cluster.startAll();
      // A group coordinated by a broker other than the controller, so that the controller sees it go and come back.
      const candidates = await sim.settle(sim.admin().describeGroups(['analytics', 'billing', 'audit', 'search', 'alerts', 'reports']));
      const chosen = candidates.find((candidate) => candidate.state === 'Dead' && (candidate.coordinator?.nodeId ?? 0) !== 0);
      expect(chosen).toBeDefined();
      const group = chosen?.groupId ?? '';
      const coordinatorId = chosen?.coordinator?.nodeId ?? -1;
      await sim.createTopic('orders', 2);
      await sim.fill('orders', 2, 10);
      const members = [sim.consumer(group, 'a'), sim.consumer(group, 'b')];
      for (const member of members) member.subscribe(['orders']);
      const readAll = () => members.flatMap((member) => sim.records(member).map((record) => `${record.partition}/${record.offset}`));
      const oneEach = () => members.every((member) => member.groupMembership()?.state === 'stable' && member.assignment().length === 1);
      await sim.pollUntil(members, () => oneEach() && readAll().length >= 20, 'one partition each, read');
      for (const member of members) await sim.settle(member.commitSync());
      const committed = await sim.settle(sim.admin().listConsumerGroupOffsets(group));
      expect(committed.map((entry) => entry.offset)).toEqual([10, 10]);
      const generation = members[0]?.groupMembership()?.generationId;

      await (stop === 'shutdown' ? sim.cluster.shutdown(coordinatorId) : sim.cluster.kill(coordinatorId));
      // 15 s: past the members' session.timeout.ms (10 s) and, once killed, past broker.session.timeout.ms (9 s),
      // so the controller fences it. The members keep polling and keep their generation meanwhile, as in Kafka.
      const stoppedAtMs = sim.cluster.clock.now();
      await sim.pollUntil(members, () => sim.cluster.clock.now() >= stoppedAtMs + 15_000, 'the coordinator stays down past the session timeout');
      await sim.cluster.start(coordinatorId);
      await sim.cluster.until(() => sim.cluster.node(coordinatorId).brokerState() === 'RUNNING', 'the coordinator broker runs again');
      expect(await sim.settle(sim.admin().listConsumerGroupOffsets(group))).toEqual(committed);
      await sim.fill('orders', 2, 10, 10);
      await sim.pollUntil(members, () => readAll().length >= 40, 'the new records');
      // Every record read once: none of the committed ones again, none of the new ones lost.
      expect(new Set(readAll()).size).toBe(40);
      expect(readAll()).toHaveLength(40);
      const [described] = await sim.settle(sim.admin().describeGroups([group]));
      expect(described).toMatchObject({ state: 'Stable', generationId: generation, coordinator: expect.objectContaining({ nodeId: coordinatorId }) });
      expect(described?.members.map((member) => member.clientId).sort()).toEqual(['a', 'b']);
      expect(members.map((member) => member.groupMembership()?.generationId)).toEqual([generation, generation]);
    });
  }

  it('runs the same way twice for the same seed: the same consumer events at the same simulated times, with the same member ids', async () => {
    const run = async (seed: number): Promise<string[]> => {
      sim = new GroupClients(seed);
      const trace: string[] = [];
      await sim.cluster.startAll();
      await sim.createTopic('orders', 4);
      await sim.fill('orders', 4, 3);
      const [a, b] = ['a', 'b'].map((name) => {
        const member = sim.consumer('analytics', name);
        member.on('event', (event) => trace.push(`${sim.cluster.clock.now()} ${name} ${member.groupMembership()?.memberId} ${JSON.stringify(event)}`));
        return member;
      }) as [Consumer, Consumer];
      a.subscribe(['orders']);
      await sim.pollUntil([a], () => sim.records(a).length >= 12, 'a reads everything');
      b.subscribe(['orders']);
      await sim.pollUntil([a, b], () => [a, b].every((member) => member.groupMembership()?.state === 'stable' && member.assignment().length === 2), 'two each');
      await sim.settle(a.close());
      await sim.pollUntil([b], () => b.groupMembership()?.state === 'stable' && b.assignment().length === 4, 'b owns all four');
      await sim.close();
      return trace;
    };
    const first = await run(71);
    const second = await run(71);
    expect(second).toEqual(first);
    // The trace covers three generations and both members: joins, revocations and assignments.
    expect(first.filter((line) => line.includes('"type":"assigned"')).length).toBeGreaterThanOrEqual(4);
    expect(first.some((line) => line.includes('"generation":3'))).toBe(true);
  });
});
