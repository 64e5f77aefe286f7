/**
 * The client's KIP-848 membership (group.protocol=consumer) against the real group coordinator of a simulated
 * cluster: two members share a topic, the second one's arrival moves partitions only after the first revoked them
 * (never two owners), each reads only its own partitions, a member that leaves hands its partitions back, and the
 * consumer's lifecycle events carry Kafka's MemberState names.
 */
import type { Consumer, ConsumerEvent } from '@kactor/client';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupClients, Ownership } from '@kactor/simulation';

const consumerProtocol = { 'group.protocol': 'consumer' };

let sim: GroupClients | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const heldCount = (ownership: Ownership, member: Consumer): number => ownership.held.get(member)?.size ?? 0;

const stable = (member: Consumer): boolean => member.groupMembership()?.state === 'STABLE';

/** A cluster of seed `seed` with `orders` (4 partitions) and two members of `groupId` holding two partitions each; the second's state changes are kept. */
async function twoStableMembers(seed: number, groupId: string) {
  const clients = new GroupClients(seed);
  sim = clients;
  await clients.cluster.startAll();
  await clients.createTopic('orders', 4);
  const ownership = new Ownership();
  const [first, second] = ['member-a', 'member-b'].map((name) => {
    const member = clients.consumer(groupId, name, consumerProtocol);
    ownership.watch(member);
    member.subscribe(['orders']);
    return member;
  }) as [Consumer, Consumer];
  const secondStates: string[] = [];
  second.on('event', (event: ConsumerEvent) => {
    if (event.type === 'state') secondStates.push(event.to);
  });
  await clients.pollUntil([first, second], () => heldCount(ownership, first) === 2 && heldCount(ownership, second) === 2 && stable(first) && stable(second), 'two members hold two partitions each');
  return { sim: clients, ownership, first, second, secondStates };
}

describe('group.protocol=consumer (KIP-848) against a simulated cluster', () => {
  it('two members share four partitions, with no partition owned twice, and the survivor takes all back after a leave', async () => {
    sim = new GroupClients(14);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 4);
    await sim.fill('orders', 4, 10);
    const ownership = new Ownership();
    const states: string[] = [];
    const first = sim.consumer('g848', 'member-a', consumerProtocol);
    ownership.watch(first);
    const firstChanges: string[] = [];
    first.on('event', (event: ConsumerEvent) => {
      if (event.type === 'state') states.push(event.to);
      if (event.type === 'assigned' || event.type === 'revoked') firstChanges.push(`${event.type} ${event.partitions.length}`);
    });
    first.subscribe(['orders']);
    await sim.pollUntil([first], () => heldCount(ownership, first) === 4, 'the first member holds all four partitions');
    expect(first.groupMembership()).toMatchObject({ state: 'STABLE' });

    const second = sim.consumer('g848', 'member-b', consumerProtocol);
    ownership.watch(second);
    second.subscribe(['orders']);
    await sim.pollUntil(
      [first, second],
      () => heldCount(ownership, first) === 2 && heldCount(ownership, second) === 2 && first.groupMembership()?.state === 'STABLE' && second.groupMembership()?.state === 'STABLE',
      'two members hold two partitions each',
    );
    expect(ownership.doubleOwned).toEqual([]);
    expect(ownership.lost).toEqual([]);
    expect(ownership.revoked.get(first)).toHaveLength(2);
    expect(states.slice(0, 4)).toEqual(['JOINING', 'RECONCILING', 'ACKNOWLEDGING', 'STABLE']);
    // Kafka's reconciliation: onPartitionsRevoked first, then onPartitionsAssigned with what was added, even none.
    expect(firstChanges).toEqual(['assigned 4', 'revoked 2', 'assigned 0']);
    expect(first.groupMembership()!.memberId).not.toBe(second.groupMembership()!.memberId);
    const epochs = [first, second].map((member) => member.groupMembership()!.generationId);
    expect(Math.min(...epochs)).toBeGreaterThan(0);

    // Every record of the topic was read once, each by the owner of its partition at the time.
    await sim.pollUntil([first, second], () => sim!.records(first).length + sim!.records(second).length >= 40, 'all forty records read');
    const read = [...sim.records(first), ...sim.records(second)].map((record) => `${record.partition}:${record.offset}`);
    expect(new Set(read).size).toBe(40);
    // OffsetCommit carries each member's epoch (KIP-848): the coordinator takes it from the owners.
    await sim.settle(Promise.all([first.commitSync(), second.commitSync()]));
    const committed = await sim.settle(first.committed([0, 1, 2, 3].map((partition) => ({ topic: 'orders', partition }))));
    expect(committed.map((entry) => entry.offset)).toEqual([10, 10, 10, 10]);

    await sim.settle(second.close());
    await sim.pollUntil([first], () => heldCount(ownership, first) === 4, 'the survivor holds all four partitions again');
    expect(ownership.doubleOwned).toEqual([]);
  });

  it('a member that stops polling for max.poll.interval.ms goes STALE, leaves, loses its partitions on its next poll and joins again', async () => {
    const { sim: clients, ownership, first, second, secondStates } = await twoStableMembers(15, 'g848-stale');
    const epochBefore = second.groupMembership()!.generationId;

    // Only the first member polls: past max.poll.interval.ms (20 s here) the second leaves and the first gets everything.
    await clients.pollUntil([first], () => heldCount(ownership, first) === 4 && stable(first), 'the first member holds all four partitions', 120_000);
    expect(second.groupMembership()?.state).toBe('STALE');
    expect(second.groupMembership()?.generationId).toBe(0);

    await clients.pollUntil([first, second], () => heldCount(ownership, first) === 2 && heldCount(ownership, second) === 2 && stable(first) && stable(second), 'the stale member is back with two partitions');
    expect(ownership.lost).toHaveLength(2);
    expect(secondStates.slice(secondStates.indexOf('STALE'), secondStates.indexOf('STALE') + 2)).toEqual(['STALE', 'JOINING']);
    expect(second.groupMembership()!.generationId).toBeGreaterThan(epochBefore);
    const rebalances = second.rebalances();
    expect(rebalances.some((record) => record.trigger === 'poll-timeout' && record.lost.length === 2 && record.completed)).toBe(true);
  });

  it('a member cut off past the session timeout is fenced: it loses its partitions and joins again with the same member id', async () => {
    const { sim: clients, ownership, first, second, secondStates } = await twoStableMembers(16, 'g848-fenced');
    const memberId = second.groupMembership()!.memberId;

    // group.consumer.session.timeout.ms (45 s) without a heartbeat: the coordinator fences the member and reassigns.
    clients.isolate(second);
    await clients.pollUntil([first, second], () => heldCount(ownership, first) === 4 && stable(first), 'the first member holds all four partitions', 180_000);
    clients.heal(second);
    await clients.pollUntil([first, second], () => heldCount(ownership, first) === 2 && heldCount(ownership, second) === 2 && stable(first) && stable(second), 'the fenced member is back with two partitions', 180_000);
    expect(secondStates).toContain('FENCED');
    expect(secondStates.slice(secondStates.indexOf('FENCED'), secondStates.indexOf('FENCED') + 2)).toEqual(['FENCED', 'JOINING']);
    expect(ownership.lost).toHaveLength(2);
    expect(second.groupMembership()!.memberId).toBe(memberId);
  });

  it('a static member closed (epoch -2) and restarted within its session gets its partitions back while the other keeps its own', async () => {
    sim = new GroupClients(17);
    await sim.cluster.startAll();
    await sim.createTopic('orders', 4);
    const ownership = new Ownership();
    const staticMember = (name: string, instance: string) => {
      const member = sim!.consumer('g848-static', name, { ...consumerProtocol, 'group.instance.id': instance });
      ownership.watch(member);
      member.subscribe(['orders']);
      return member;
    };
    const first = staticMember('member-a', 'instance-a');
    const second = staticMember('member-b', 'instance-b');
    await sim.pollUntil([first, second], () => heldCount(ownership, first) === 2 && heldCount(ownership, second) === 2 && stable(first) && stable(second), 'two members hold two partitions each');
    const secondHeld = [...(ownership.held.get(second) ?? [])].sort();
    const firstRevokedBefore = ownership.revoked.get(first)?.length ?? 0;

    await sim.settle(second.close());
    // Two heartbeat intervals of the first member go by: a member that left with -1 would have its partitions moved to it.
    const closedAtMs = sim.cluster.clock.now();
    await sim.pollUntil([first], () => sim!.cluster.clock.now() >= closedAtMs + 12_000, 'twelve seconds pass');
    expect(heldCount(ownership, first)).toBe(2);
    const restarted = staticMember('member-b2', 'instance-b');
    await sim.pollUntil([first, restarted], () => heldCount(ownership, restarted) === 2 && stable(restarted), 'the restarted static member holds two partitions');
    expect([...(ownership.held.get(restarted) ?? [])].sort()).toEqual(secondHeld);
    expect(heldCount(ownership, first)).toBe(2);
    expect(ownership.revoked.get(first)?.length ?? 0).toBe(firstRevokedBefore);
    expect(ownership.doubleOwned).toEqual([]);
  });
});
