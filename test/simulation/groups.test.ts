/**
 * The group coordinator inside a simulated three-broker cluster, driven with raw requests as a client
 * library would send them: FindCoordinator (creating __consumer_offsets), the two-step join, sync,
 * heartbeats, commits, describe/list/delete, a coordinator restart that replays the partition, and a
 * killed coordinator whose actors all stop with it.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { groupCoordinatorPartition } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCluster, type SimulatedClient } from '@kactor/simulation';

let cluster: SimulatedCluster;
afterEach(async () => {
  for (const node of cluster?.nodes ?? []) await node.halt();
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

async function findCoordinator(client: SimulatedClient, groupId: string): Promise<ResponseBody<'findCoordinator'>> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const answer = await client.call('findCoordinator', { key: groupId, keyType: 0 });
    if (answer.errorCode === 0) return answer;
    expect(answer.errorCode).toBe(15); // COORDINATOR_NOT_AVAILABLE while __consumer_offsets is created
    await cluster.advance(100);
  }
  throw new Error('no coordinator');
}

function joinBody(memberId: string, clientId: string): RequestBody<'joinGroup'> {
  return {
    groupId: 'analytics',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: bytes(`subscription of ${clientId}`) }],
    reason: null,
    clientId,
  };
}

/** Joins one member the way a client does (MEMBER_ID_REQUIRED, then again with the id) and returns the pending answer. */
async function joinMember(client: SimulatedClient, clientId: string): Promise<() => ResponseBody<'joinGroup'> | undefined> {
  const first = await client.call('joinGroup', joinBody('', clientId));
  expect(first.errorCode).toBe(79);
  let answer: ResponseBody<'joinGroup'> | undefined;
  client.rpc.request('joinGroup', joinBody(first.memberId, clientId), (result) => {
    if (result.ok) answer = result.body;
  });
  return () => answer;
}

async function stableGroup(client: SimulatedClient) {
  const a = await joinMember(client, 'a');
  const b = await joinMember(client, 'b');
  await cluster.until(() => a() !== undefined && b() !== undefined, 'join phase completes');
  const answers = [a(), b()] as ResponseBody<'joinGroup'>[];
  const leader = answers.find((answer) => answer.leader === answer.memberId) as ResponseBody<'joinGroup'>;
  const follower = answers.find((answer) => answer.leader !== answer.memberId) as ResponseBody<'joinGroup'>;
  expect(leader.members.map((member) => text(member.metadata)).sort()).toEqual(['subscription of a', 'subscription of b']);
  const syncBody = (memberId: string, assignments: Array<{ memberId: string; assignment: Uint8Array }>): RequestBody<'syncGroup'> => ({
    groupId: 'analytics',
    generationId: leader.generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments,
  });
  let followerSync: ResponseBody<'syncGroup'> | undefined;
  client.rpc.request('syncGroup', syncBody(follower.memberId, []), (result) => {
    if (result.ok) followerSync = result.body;
  });
  const leaderSync = await client.call(
    'syncGroup',
    syncBody(leader.memberId, [
      { memberId: leader.memberId, assignment: bytes('p0,p1') },
      { memberId: follower.memberId, assignment: bytes('p2') },
    ]),
  );
  await cluster.until(() => followerSync !== undefined, 'follower sync answered');
  expect(text(leaderSync.assignment)).toBe('p0,p1');
  expect(text(followerSync?.assignment ?? new Uint8Array())).toBe('p2');
  return { leader, follower };
}

function commitBody(memberId: string, generationId: number, offset: number): RequestBody<'offsetCommit'> {
  return {
    groupId: 'analytics',
    generationIdOrMemberEpoch: generationId,
    memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
  };
}

describe('the group coordinator in a simulated cluster', () => {
  it('FindCoordinator creates __consumer_offsets and names the leader of partition abs(hashCode) % 50', async () => {
    cluster = new SimulatedCluster({ seed: 21 });
    await cluster.startAll();
    const client = cluster.client();
    const answer = await findCoordinator(client, 'analytics');
    const metadata = await client.call('metadata', { topics: ['__consumer_offsets'], allowAutoTopicCreation: false });
    const topic = metadata.topics[0];
    expect(topic).toMatchObject({ name: '__consumer_offsets', isInternal: true });
    expect(topic?.partitions).toHaveLength(50);
    expect(groupCoordinatorPartition('analytics', 50)).toBe(10);
    expect(answer.nodeId).toBe(topic?.partitions[10]?.leaderId);
    expect(answer.url).toBe(`memory://broker-${answer.nodeId}:9100`);
  });

  it('runs a group from the two-step join to Stable, with heartbeats, commits, describe and list', async () => {
    cluster = new SimulatedCluster({ seed: 22 });
    await cluster.startAll();
    const coordinator = cluster.client((await findCoordinator(cluster.client(), 'analytics')).url);
    const { leader, follower } = await stableGroup(coordinator);
    expect((await coordinator.call('heartbeat', { groupId: 'analytics', generationId: leader.generationId, memberId: follower.memberId, groupInstanceId: null })).errorCode).toBe(0);
    const committed = await coordinator.call('offsetCommit', commitBody(leader.memberId, leader.generationId, 42));
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(0);
    const stale = await coordinator.call('offsetCommit', commitBody(leader.memberId, leader.generationId - 1, 7));
    expect(stale.topics[0]?.partitions[0]?.errorCode).toBe(22);
    const fetched = await coordinator.call('offsetFetch', { groupId: 'analytics', topics: [{ name: 'orders', partitionIndexes: [0, 1] }], requireStable: false });
    expect(fetched.topics[0]?.partitions.map((partition) => partition.committedOffset)).toEqual([42, -1]);
    const described = await coordinator.call('describeGroups', { groups: ['analytics'] });
    expect(described.groups[0]).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', generationId: leader.generationId, leaderId: leader.memberId });
    expect(described.groups[0]?.members.map((member) => member.clientId).sort()).toEqual(['a', 'b']);
    const listed = await coordinator.call('listGroups', { statesFilter: [], typesFilter: [] });
    expect(listed.groups).toEqual([{ groupId: 'analytics', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }]);
  });

  it('answers group requests on a broker that does not coordinate the group with NOT_COORDINATOR', async () => {
    cluster = new SimulatedCluster({ seed: 23 });
    await cluster.startAll();
    const coordinatorId = (await findCoordinator(cluster.client(), 'analytics')).nodeId;
    const other = [0, 1, 2].find((id) => id !== coordinatorId) ?? 0;
    const answer = await cluster.client(`memory://broker-${other}:9100`).call('joinGroup', joinBody('', 'a'));
    expect(answer.errorCode).toBe(16);
  });

  it('rebuilds groups and committed offsets by replaying __consumer_offsets when the coordinator restarts', async () => {
    cluster = new SimulatedCluster({ seed: 24 });
    await cluster.startAll();
    const found = await findCoordinator(cluster.client(), 'analytics');
    const coordinator = cluster.client(found.url);
    const { leader } = await stableGroup(coordinator);
    await coordinator.call('offsetCommit', commitBody(leader.memberId, leader.generationId, 1234));
    await cluster.shutdown(found.nodeId);
    await cluster.start(found.nodeId);
    await cluster.until(() => cluster.node(found.nodeId).brokerState() === 'RUNNING', 'coordinator broker running again');
    const again = cluster.client((await findCoordinator(cluster.client(), 'analytics')).url);
    const fetched = await again.call('offsetFetch', { groupId: 'analytics', topics: [{ name: 'orders', partitionIndexes: [0] }], requireStable: false });
    expect(fetched.topics[0]?.partitions[0]?.committedOffset).toBe(1234);
    const described = await again.call('describeGroups', { groups: ['analytics'] });
    expect(described.groups[0]).toMatchObject({ groupState: 'Stable', generationId: leader.generationId, leaderId: leader.memberId });
    expect(described.groups[0]?.members.map((member) => text(member.memberAssignment)).sort()).toEqual(['p0,p1', 'p2']);
  });

  it('a killed coordinator stops with its broker: no group or partition timer outlives the crash', async () => {
    cluster = new SimulatedCluster({ seed: 26 });
    await cluster.startAll();
    const finder = cluster.client();
    const coordinator = cluster.client((await findCoordinator(finder, 'analytics')).url);
    await stableGroup(coordinator);
    for (const client of [finder, coordinator]) client.rpc.close();
    for (const brokerId of [0, 1, 2]) await cluster.kill(brokerId);
    await cluster.advance(1);
    // Every actor of a crashed process is gone (the members' session timers included), so nothing is left to run.
    expect(cluster.clock.pendingTimerCount).toBe(0);
  });

  it('refuses to delete a group with members (NON_EMPTY_GROUP), and deletes it with its offsets once empty', async () => {
    cluster = new SimulatedCluster({ seed: 25 });
    await cluster.startAll();
    const coordinator = cluster.client((await findCoordinator(cluster.client(), 'analytics')).url);
    const { leader, follower } = await stableGroup(coordinator);
    await coordinator.call('offsetCommit', commitBody(leader.memberId, leader.generationId, 5));
    expect((await coordinator.call('deleteGroups', { groupsNames: ['analytics', 'nope'] })).results).toEqual([
      { groupId: 'analytics', errorCode: 68 },
      { groupId: 'nope', errorCode: 69 },
    ]);
    await coordinator.call('leaveGroup', {
      groupId: 'analytics',
      members: [
        { memberId: leader.memberId, groupInstanceId: null, reason: null },
        { memberId: follower.memberId, groupInstanceId: null, reason: null },
      ],
    });
    await cluster.until(() => true, 'leave processed');
    expect((await coordinator.call('describeGroups', { groups: ['analytics'] })).groups[0]?.groupState).toBe('Empty');
    expect((await coordinator.call('deleteGroups', { groupsNames: ['analytics'] })).results).toEqual([{ groupId: 'analytics', errorCode: 0 }]);
    expect((await coordinator.call('describeGroups', { groups: ['analytics'] })).groups[0]?.groupState).toBe('Dead');
    const fetched = await coordinator.call('offsetFetch', { groupId: 'analytics', topics: null, requireStable: false });
    expect(fetched.topics).toEqual([]);
  });
});
