import { waitForSimulated } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { Consumer } from '../consumer/consumer.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Admin } from './admin.js';

let cluster: FakeCluster;
let admin: Admin;
const consumers: Consumer[] = [];

async function setUp(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 3 });
  cluster.coordinatorId = 1;
  admin = Admin.create({ 'bootstrap.servers': cluster.bootstrapServers }, cluster.clientRuntime(7, 'admin'));
}

/** Members of `group` on `topic`, polled until all are stable. */
async function activeGroup(group: string, topic: string, members: number): Promise<Consumer[]> {
  const created = Array.from({ length: members }, (_, index) =>
    Consumer.create(
      { 'bootstrap.servers': cluster.bootstrapServers, 'group.id': group, 'client.id': `${group}-${index}`, 'session.timeout.ms': 10_000, 'heartbeat.interval.ms': 1_000 },
      cluster.clientRuntime(index + 1, `${group}-${index}`),
    ),
  );
  consumers.push(...created);
  for (const each of created) each.subscribe([topic]);
  let stop = false;
  const loops = created.map(async (each) => {
    while (!stop) await each.poll(100);
  });
  await waitForSimulated(cluster.clock, () => created.every((each) => each.groupMembership()?.state === 'stable'), 'a stable group');
  stop = true;
  await cluster.settle(Promise.all(loops));
  return created;
}

afterEach(async () => {
  for (const each of consumers.splice(0)) await cluster.settle(each.close()).catch(() => undefined);
  admin.close();
  await cluster.close();
});

describe('Admin group calls', () => {
  it('lists the groups of every broker, with the broker that coordinates each', async () => {
    await setUp();
    cluster.createTopic('orders', 2);
    await activeGroup('analytics', 'orders', 1);
    cluster.groupCoordinator.commit('audit', 'orders', 0, 5);
    expect(await cluster.settle(admin.listGroups())).toEqual([
      { groupId: 'analytics', type: 'classic', protocolType: 'consumer', state: 'Stable', coordinatorId: 1 },
      { groupId: 'audit', type: 'classic', protocolType: 'consumer', state: 'Empty', coordinatorId: 1 },
    ]);
    expect(cluster.groupCoordinator.requestsOf('listGroups')).toHaveLength(1);
    expect(cluster.requestsOf('listGroups').map((request) => request.brokerId).sort()).toEqual([0, 1, 2]);
  });

  it('describes a group at its coordinator, decoding each member assignment', async () => {
    await setUp();
    cluster.createTopic('orders', 3);
    const members = await activeGroup('analytics', 'orders', 2);
    const [description] = await cluster.settle(admin.describeGroups(['analytics']));
    expect(description).toMatchObject({ groupId: 'analytics', state: 'Stable', protocolType: 'consumer', protocol: 'range', generationId: 1, error: null });
    expect(description!.coordinator).toMatchObject({ nodeId: 1, url: cluster.url(1) });
    const byClient = new Map(description!.members.map((member) => [member.clientId, member]));
    for (const member of members) {
      const described = byClient.get(member.groupMembership()!.memberId.replace(/-\d+$/, ''))!;
      expect(described.memberId).toBe(member.groupMembership()!.memberId);
      expect(described.assignment).toEqual(member.assignment());
    }
  });

  it('describes an unknown group as Dead, and looks the coordinator up again after NOT_COORDINATOR', async () => {
    await setUp();
    cluster.groupCoordinator.inject('describeGroups', 'NOT_COORDINATOR');
    const [description] = await cluster.settle(admin.describeGroups(['nobody']));
    expect(description).toMatchObject({ groupId: 'nobody', state: 'Dead', members: [], error: null });
    expect(cluster.requestsOf('findCoordinator')).toHaveLength(2);
  });

  it("lists a group's committed offsets, sorted", async () => {
    await setUp();
    cluster.groupCoordinator.commit('audit', 'payments', 0, 4);
    cluster.groupCoordinator.commit('audit', 'orders', 1, 9);
    cluster.groupCoordinator.commit('audit', 'orders', 0, 7);
    expect(await cluster.settle(admin.listConsumerGroupOffsets('audit'))).toEqual([
      { topic: 'orders', partition: 0, offset: 7, metadata: '', leaderEpoch: -1 },
      { topic: 'orders', partition: 1, offset: 9, metadata: '', leaderEpoch: -1 },
      { topic: 'payments', partition: 0, offset: 4, metadata: '', leaderEpoch: -1 },
    ]);
  });

  it('deletes only empty groups: NON_EMPTY_GROUP for an active one, GROUP_ID_NOT_FOUND for an unknown one', async () => {
    await setUp();
    cluster.createTopic('orders', 1);
    await activeGroup('analytics', 'orders', 1);
    cluster.groupCoordinator.commit('audit', 'orders', 0, 5);
    const results = await cluster.settle(admin.deleteGroups(['analytics', 'audit', 'nobody']));
    expect(results.map((result) => [result.groupId, result.error?.errorName ?? null])).toEqual([
      ['analytics', 'NON_EMPTY_GROUP'],
      ['audit', null],
      ['nobody', 'GROUP_ID_NOT_FOUND'],
    ]);
    expect(cluster.groupCoordinator.group('audit')).toBeUndefined();
  });

  it('alters the offsets of an empty group (generation -1), and gets UNKNOWN_MEMBER_ID for an active one', async () => {
    await setUp();
    cluster.createTopic('orders', 1);
    await activeGroup('analytics', 'orders', 1);
    const empty = await cluster.settle(admin.alterConsumerGroupOffsets('audit', [{ topic: 'orders', partition: 0, offset: 3 }]));
    expect(empty).toEqual([{ topic: 'orders', partition: 0, error: null }]);
    expect(cluster.groupCoordinator.committed('audit', 'orders', 0)).toBe(3);
    expect(cluster.groupCoordinator.requestsOf('offsetCommit').at(-1)!.body).toMatchObject({ generationIdOrMemberEpoch: -1, memberId: '' });
    const active = await cluster.settle(admin.alterConsumerGroupOffsets('analytics', [{ topic: 'orders', partition: 0, offset: 3 }]));
    expect(active[0]!.error?.errorName).toBe('UNKNOWN_MEMBER_ID');
  });
});
