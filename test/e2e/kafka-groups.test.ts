/**
 * Issue 16 end to end, the classic group APIs: two members speaking Kafka's own bytes (the tiny wire client)
 * form a group on the Kafka listener of a real `kactor cluster up`. They find the coordinator, join with
 * JoinGroup v2 (no member id and no MEMBER_ID_REQUIRED round trip, as Kafka answers these versions), the
 * leader assigns with Kafka's ConsumerProtocol bytes through SyncGroup v1, both heartbeat; OffsetCommit v2 and
 * OffsetFetch v1/v3 round trip the partitions' end offsets; DescribeGroups and ListGroups see the group over
 * the wire and `kactor groups describe` sees it with kactor's own tools; a member leaves and the other rejoins
 * into a new generation with every partition. Then a KafkaJS 2.2.4 consumer group of two shares the topic,
 * rebalances when a member joins and leaves, and commits what it read.
 */
import { decodeAssignment, encodeAssignment, encodeSubscription } from '@kactor/protocol';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { KafkaWireClient } from './support/kafka-wire-client.js';

const topic = 'orders';
const group = 'wire-app';
const NONE = 0;
const REBALANCE_IN_PROGRESS = 27;
const subscription = encodeSubscription({ topics: [topic] }, 1);

interface GroupDescription {
  group: string;
  state: string;
  members: Array<{ memberId: string; assignment: Array<{ topic: string; partition: number }> }>;
  partitions: Array<{ topic: string; partition: number; committedOffset: number }>;
}

const joinBody = (memberId: string) => ({
  groupId: group,
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  memberId,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription }],
});

const syncBody = (memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Uint8Array }> = []) => ({ groupId: group, generationId, memberId, assignments });

function partitionsOf(assignment: Uint8Array): number[] {
  const decoded = decodeAssignment(assignment);
  if (!decoded.ok) throw new Error(`an assignment that does not decode: ${decoded.problem.message}`);
  return decoded.value.assignedPartitions.flatMap((entry) => (entry.topic === topic ? [...entry.partitions] : [])).sort();
}

describe('the classic group APIs on the Kafka listener of a cluster up', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-kafka-groups');
  const clients: KafkaWireClient[] = [];
  let cluster: RunningCluster;

  async function connect(bootstrap: string): Promise<KafkaWireClient> {
    const connected = await KafkaWireClient.connectTo(bootstrap);
    clients.push(connected);
    return connected;
  }

  const bootstrapDescribe = async (groupId: string) => {
    const client = await connect(cluster.kafkaBootstrap ?? '');
    return client.request('DescribeGroups', 2, { groups: [groupId] });
  };

  const describeGroup = async (): Promise<GroupDescription> => {
    const result = await kactor(['groups', 'describe', group, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as GroupDescription;
  };

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, brokers: 1 });
    const created = await kactor(['topics', 'create', topic, '--partitions', '2', '--replication-factor', '1', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    const produced = await kactor(['produce', topic, '--key-separator', ':', '--bootstrap-server', cluster.bootstrap], { input: 'a:1\nb:2\nc:3\nd:4\ne:5\nf:6\n' });
    expect(produced.code, produced.stderr).toBe(0);
  }, 120_000);

  const consumers: Consumer[] = [];

  afterAll(async () => {
    for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
    for (const client of clients) await client.close();
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('two Kafka members form a group, commit and fetch offsets, are seen by DescribeGroups, ListGroups and kactor groups describe, and one leaves', async () => {
    const bootstrapClient = await connect(cluster.kafkaBootstrap ?? '');
    // The first question creates __consumer_offsets; the coordinator is known once its partition has a leader.
    const coordinator = await eventually(
      async () => {
        const answer = await bootstrapClient.request('FindCoordinator', 1, { key: group, keyType: 0 });
        return answer.errorCode === NONE ? answer : undefined;
      },
      60_000,
      'the group coordinator found',
    );
    expect(`${coordinator.host}:${coordinator.port}`).toBe(cluster.kafkaBootstrap);
    const [first, second] = [await connect(`${coordinator.host}:${coordinator.port}`), await connect(`${coordinator.host}:${coordinator.port}`)];

    // The end offset of each partition, to commit as a consumer that read everything would.
    const latest = await bootstrapClient.request('ListOffsets', 1, { replicaId: -1, topics: [{ name: topic, partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 })) }] });
    const endOffsets = (latest.topics[0]?.partitions ?? []).map((partition) => partition.offset);
    expect(endOffsets.reduce((sum, offset) => sum + offset, 0n)).toBe(6n);

    // Both join without a member id; both answers come after group.initial.rebalance.delay.ms, in one generation.
    const [joinedFirst, joinedSecond] = await Promise.all([
      first.request('JoinGroup', 2, joinBody(''), { clientId: 'wire-first' }),
      second.request('JoinGroup', 2, joinBody(''), { clientId: 'wire-second' }),
    ]);
    for (const joined of [joinedFirst, joinedSecond]) expect(joined).toMatchObject({ errorCode: NONE, generationId: 1, protocolName: 'range' });
    expect(joinedFirst.leader).toBe(joinedSecond.leader);
    const [leader, follower] = joinedFirst.leader === joinedFirst.memberId ? [joinedFirst, joinedSecond] : [joinedSecond, joinedFirst];
    const [leaderClient, followerClient] = leader === joinedFirst ? [first, second] : [second, first];
    expect(leader.members.map((member) => member.memberId).sort()).toEqual([joinedFirst.memberId, joinedSecond.memberId].sort());
    // The subscriptions reach the leader as the members wrote them; the follower is told of no members.
    for (const member of leader.members) expect(member.metadata).toEqual(subscription);
    expect(follower.members).toEqual([]);

    const assignments = [
      { memberId: leader.memberId, assignment: encodeAssignment({ assignedPartitions: [{ topic, partitions: [0] }] }, 1) },
      { memberId: follower.memberId, assignment: encodeAssignment({ assignedPartitions: [{ topic, partitions: [1] }] }, 1) },
    ];
    const [followerSync, leaderSync] = await Promise.all([
      followerClient.request('SyncGroup', 1, syncBody(follower.memberId, 1)),
      leaderClient.request('SyncGroup', 1, syncBody(leader.memberId, 1, assignments)),
    ]);
    expect([leaderSync.errorCode, followerSync.errorCode]).toEqual([NONE, NONE]);
    expect([partitionsOf(leaderSync.assignment), partitionsOf(followerSync.assignment)]).toEqual([[0], [1]]);
    for (const [client, member] of [[leaderClient, leader], [followerClient, follower]] as const) {
      expect((await client.request('Heartbeat', 1, { groupId: group, generationId: 1, memberId: member.memberId })).errorCode).toBe(NONE);
    }

    // Each member commits the end of its partition as a member of generation 1, and reads it back.
    for (const [client, member, partition] of [[leaderClient, leader, 0], [followerClient, follower, 1]] as const) {
      const committed = await client.request('OffsetCommit', 2, {
        groupId: group,
        generationIdOrMemberEpoch: 1,
        memberId: member.memberId,
        retentionTimeMs: -1n,
        topics: [{ name: topic, partitions: [{ partitionIndex: partition, committedOffset: endOffsets[partition] as bigint, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '' }] }],
      });
      expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(NONE);
    }
    const fetchedV1 = await leaderClient.request('OffsetFetch', 1, { groupId: group, topics: [{ name: topic, partitionIndexes: [0, 1] }] });
    expect(fetchedV1.topics[0]?.partitions.map((partition) => [partition.partitionIndex, partition.committedOffset, partition.errorCode])).toEqual([
      [0, endOffsets[0], NONE],
      [1, endOffsets[1], NONE],
    ]);
    const fetchedAll = await bootstrapClient.request('OffsetFetch', 3, { groupId: group, topics: null });
    expect(fetchedAll.errorCode).toBe(NONE);
    expect(fetchedAll.topics.find((entry) => entry.name === topic)?.partitions.map((partition) => partition.committedOffset).sort()).toEqual([...endOffsets].sort());

    // The group seen over the wire and by kactor's own tools.
    const described = await bootstrapClient.request('DescribeGroups', 2, { groups: [group] });
    expect(described.groups[0]).toMatchObject({ errorCode: NONE, groupId: group, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.groups[0]?.members.map((member) => member.clientId).sort()).toEqual(['wire-first', 'wire-second']);
    const listed = await bootstrapClient.request('ListGroups', 2, {});
    expect(listed.groups).toContainEqual(expect.objectContaining({ groupId: group, protocolType: 'consumer' }));
    const seenByKactor = await describeGroup();
    expect(seenByKactor.state).toBe('Stable');
    expect(seenByKactor.members.map((member) => [member.memberId, member.assignment.map((entry) => entry.partition)]).sort()).toEqual(
      [
        [leader.memberId, [0]],
        [follower.memberId, [1]],
      ].sort(),
    );
    expect(seenByKactor.partitions.map((partition) => [partition.partition, partition.committedOffset])).toEqual([
      [0, Number(endOffsets[0])],
      [1, Number(endOffsets[1])],
    ]);

    // The follower leaves; the leader learns of the rebalance by its heartbeat and rejoins into generation 2 with both partitions.
    expect((await followerClient.request('LeaveGroup', 1, { groupId: group, memberId: follower.memberId })).errorCode).toBe(NONE);
    expect((await leaderClient.request('Heartbeat', 1, { groupId: group, generationId: 1, memberId: leader.memberId })).errorCode).toBe(REBALANCE_IN_PROGRESS);
    const rejoined = await leaderClient.request('JoinGroup', 2, joinBody(leader.memberId), { clientId: 'wire-first' });
    expect(rejoined).toMatchObject({ errorCode: NONE, generationId: 2, leader: leader.memberId, memberId: leader.memberId });
    expect(rejoined.members.map((member) => member.memberId)).toEqual([leader.memberId]);
    const everything = encodeAssignment({ assignedPartitions: [{ topic, partitions: [0, 1] }] }, 1);
    const resynced = await leaderClient.request('SyncGroup', 1, syncBody(leader.memberId, 2, [{ memberId: leader.memberId, assignment: everything }]));
    expect(partitionsOf(resynced.assignment)).toEqual([0, 1]);
    // A commit of the old generation is refused; the committed offsets stay.
    const stale = await followerClient.request('OffsetCommit', 2, {
      groupId: group,
      generationIdOrMemberEpoch: 1,
      memberId: follower.memberId,
      retentionTimeMs: -1n,
      topics: [{ name: topic, partitions: [{ partitionIndex: 1, committedOffset: 0n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '' }] }],
    });
    expect(stale.topics[0]?.partitions[0]?.errorCode).not.toBe(NONE);
    const after = await bootstrapClient.request('DescribeGroups', 0, { groups: [group] });
    expect(after.groups[0]).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(after.groups[0]?.members.map((member) => member.memberId)).toEqual([leader.memberId]);
    expect(partitionsOf(after.groups[0]?.members[0]?.memberAssignment ?? new Uint8Array(0))).toEqual([0, 1]);
    expect((await describeGroup()).partitions.map((partition) => partition.committedOffset)).toEqual(endOffsets.map(Number));
  });

  it('a KafkaJS consumer group reads every record, rebalances when a member joins and when it leaves, and commits what it read', async () => {
    const kafka = new Kafka({ clientId: 'kactor-e2e-kafkajs', brokers: (cluster.kafkaBootstrap ?? '').split(','), logLevel: logLevel.NOTHING, retry: { retries: 5 } });
    const read = new Set<string>();
    /** Each consumer's partitions after its last join, from KafkaJS's own GROUP_JOIN event. */
    const assigned = new Map<string, number[]>();
    const start = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({ groupId: 'kafkajs-app', sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 20_000 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (event) => assigned.set(name, [...(event.payload.memberAssignment[topic] ?? [])].sort()));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommitInterval: 200, eachMessage: async ({ partition, message }) => void read.add(`${partition}/${message.offset}`) });
      return consumer;
    };
    const one = await start('one');
    await eventually(async () => (read.size === 6 ? true : undefined), 60_000, 'KafkaJS reads all 6 records');
    await eventually(async () => (JSON.stringify(assigned.get('one')) === '[0,1]' ? true : undefined), 30_000, 'the first member holds both partitions');

    const two = await start('two');
    await eventually(
      async () => (assigned.get('two')?.length === 1 && assigned.get('one')?.length === 1 ? true : undefined),
      60_000,
      'the partitions split between the two members',
    );
    expect([...(assigned.get('one') ?? []), ...(assigned.get('two') ?? [])].sort()).toEqual([0, 1]);
    const split = await bootstrapDescribe('kafkajs-app');
    expect(split.groups[0]).toMatchObject({ groupState: 'Stable', protocolData: 'RoundRobinAssigner' });
    expect(split.groups[0]?.members).toHaveLength(2);

    await two.disconnect();
    await eventually(async () => (JSON.stringify(assigned.get('one')) === '[0,1]' ? true : undefined), 60_000, 'the remaining member holds both partitions again');
    // The records read are committed: the group's offsets are the partitions' ends.
    await eventually(
      async () => {
        const described = await kactor(['groups', 'describe', 'kafkajs-app', '--json', '--bootstrap-server', cluster.bootstrap]);
        const partitions = (JSON.parse(described.stdout) as GroupDescription).partitions;
        return partitions.reduce((sum, partition) => sum + partition.committedOffset, 0) === 6 ? partitions : undefined;
      },
      30_000,
      'KafkaJS committed both partitions\' ends',
    );
    expect(read.size).toBe(6);
    await one.disconnect();
  });
});
