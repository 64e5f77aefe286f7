/**
 * Cooperative rebalancing (KIP-429) and static membership (KIP-345) with the real clients against the
 * real group coordinator of a simulated cluster (reliability-tests section 4, scenarios 7 and 13):
 * members with cooperative-sticky joining one by one never give up a partition that does not then go to
 * the newcomer, never pause, and no partition ever has two owners; a static member restarted within its
 * session gets its partitions back in the same generation, without a rebalance of the others.
 */
import type { Consumer } from '@kactor/client';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupClients, Ownership, sortedNames } from '@kactor/simulation';

let sim: GroupClients;
afterEach(async () => {
  await sim?.close();
});

const cooperative = { 'partition.assignment.strategy': 'cooperative-sticky' };

/** Every member stable in one generation, the six partitions split evenly between them. */
function balanced(members: readonly Consumer[]): boolean {
  const generation = members[0]?.groupMembership()?.generationId;
  const owned = members.map((member) => sortedNames(member.assignment()));
  return (
    members.every((member) => member.groupMembership()?.state === 'stable' && member.groupMembership()?.generationId === generation) &&
    owned.flat().length === 6 &&
    new Set(owned.flat()).size === 6 &&
    owned.every((partitions) => partitions.length === 6 / members.length)
  );
}

describe('cooperative rebalancing and static members with real clients and the real coordinator', () => {
  it('three cooperative-sticky members joining one by one over six partitions revoke only what goes to the newcomer, and never pause', async () => {
    sim = new GroupClients(21);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 6);
    const ownership = new Ownership();
    const members: Consumer[] = [];
    const movedPerJoin: number[] = [];
    for (const name of ['a', 'b', 'c']) {
      const revokedBefore = [...ownership.revoked.values()].flat().length;
      const before = new Map(members.map((member) => [member, sortedNames(member.assignment())]));
      const member = sim.consumer('cooperative', name, cooperative);
      ownership.watch(member);
      member.subscribe(['orders']);
      members.push(member);
      await sim.pollUntil(members, () => balanced(members), `${members.length} members balanced`);
      const newcomerHolds = new Set(sortedNames(member.assignment()));
      // Each partition an earlier member gave up went to the newcomer; what it kept stayed put.
      for (const [old, partitions] of before) {
        const now = new Set(sortedNames(old.assignment()));
        for (const partition of partitions) expect(now.has(partition) || newcomerHolds.has(partition)).toBe(true);
      }
      movedPerJoin.push([...ownership.revoked.values()].flat().length - revokedBefore);
    }
    // The fewest moves that balance the group: 3 to the second member, then 1 from each to the third.
    expect(movedPerJoin).toEqual([0, 3, 2]);
    expect(ownership.doubleOwned).toEqual([]);
    expect(ownership.lost).toEqual([]);
    for (const member of members) {
      for (const record of member.rebalances()) {
        expect(record).toMatchObject({ protocol: 'COOPERATIVE', pausedMs: 0, lost: [], completed: true });
      }
    }
    // The first member went through a two-round rebalance for each newcomer.
    expect(members[0]!.rebalances().slice(1).map((record) => record.generations.length)).toEqual([2, 2]);
  });

  it('a static member restarted within its session gets its partitions back in the same generation, and the others do not rebalance', async () => {
    sim = new GroupClients(22);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 6);
    const first = sim.consumer('static', 'a', { 'group.instance.id': 'reader-a' });
    const second = sim.consumer('static', 'b', { 'group.instance.id': 'reader-b' });
    for (const member of [first, second]) member.subscribe(['orders']);
    await sim.pollUntil([first, second], () => balanced([first, second]), 'two static members balanced');
    const generation = first.groupMembership()?.generationId;
    const held = sortedNames(first.assignment());
    const secondRebalances = second.rebalances().length;
    sim.kill(first);
    // A new process with the same group.instance.id, well within session.timeout.ms (10 s).
    const restarted = sim.consumer('static', 'a-restarted', { 'group.instance.id': 'reader-a' });
    restarted.subscribe(['orders']);
    await sim.pollUntil([restarted, second], () => restarted.groupMembership()?.state === 'stable' && restarted.assignment().length > 0, 'the restarted member is back');
    expect(restarted.groupMembership()?.generationId).toBe(generation);
    expect(sortedNames(restarted.assignment())).toEqual(held);
    expect(second.groupMembership()).toMatchObject({ state: 'stable', generationId: generation });
    expect(second.rebalances()).toHaveLength(secondRebalances);
    // Long after the old process's session would have expired, nothing changed.
    const sinceMs = sim.cluster.clock.now();
    await sim.pollUntil([restarted, second], () => sim.cluster.clock.now() >= sinceMs + 15_000, 'past a session timeout');
    expect([restarted, second].map((member) => member.groupMembership()?.generationId)).toEqual([generation, generation]);
  });
});
