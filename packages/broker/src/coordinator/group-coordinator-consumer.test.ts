/**
 * Consumer groups (KIP-848) hosted beside classic groups by the GroupCoordinator: routing of ConsumerGroupHeartbeat and
 * ConsumerGroupDescribe, the refusals between the two kinds (Kafka's GroupMetadataManager), ListGroups' group types,
 * and a consumer group rebuilt by replaying its records on a new coordinator (failover). One in-memory log stands for
 * the replicated `__consumer_offsets` partition; the image holds it and the subscribed topic `orders` (6 partitions).
 */
import { errorForCode, type ApiName, type MetadataImage, type RequestBody } from '@kactor/protocol';
import { SimulatedClock, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { collectingResponder, openTestInternalLog, testInternalPartitionHost, testInternalTopicImage, type TestInternalLog } from '../coordinator-runtime/internal-partition-test-support.js';
import { OFFSETS_TOPIC } from './group-coordinator.js';
import { testGroupCoordinator, testJoinGroupBody } from './group-test-support.js';
import { encodeGroupRecordBatch, type GroupRecord } from './group-records.js';
import { newConsumerGroupMember } from './consumer/consumer-group-data.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, partitionMetadataRecord, targetAssignmentEpochRecord, targetAssignmentRecord } from './consumer/consumer-group-records.js';

const me = 1;
/** The topic id of `orders`: a Kafka UUID, as KIP-848's records name topics. */
const ORDERS_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

function image(leader: number, leaderEpoch: number): MetadataImage {
  const partition = (partitionIndex: number) => ({ partitionIndex, leader, leaderEpoch, partitionEpoch: leaderEpoch, replicas: [1, 2, 3], isr: [1, 2, 3] });
  const orders = { name: 'orders', topicId: ORDERS_ID, isInternal: false, configs: [], partitions: [0, 1, 2, 3, 4, 5].map(partition) };
  return testInternalTopicImage({ topic: OFFSETS_TOPIC, topicId: 'offsets-id', replicas: [1, 2, 3] }, leader, leaderEpoch, { others: [orders] });
}

/** A coordinator over `log` (a new one per call: a restarted or failed-over coordinator replays the same log). */
function coordinatorOver(log: TestInternalLog, clock: SimulatedClock) {
  const replica = { state: 'Leader', leaderEpoch: 0 };
  const partitions = testInternalPartitionHost(OFFSETS_TOPIC, log, replica);
  const { responder, answers } = collectingResponder();
  let current: MetadataImage | null = null;
  let correlation = 0;
  let unique = 0;
  const coordinator = testGroupCoordinator({ clock, responder, ids: { next: () => `id-${(unique += 1)}` }, partitions, currentImage: () => current });
  /** This broker leads the offsets partition in `leaderEpoch`: it starts loading it. */
  const elect = (leaderEpoch: number) => {
    replica.leaderEpoch = leaderEpoch;
    current = image(me, leaderEpoch);
    coordinator.onImage(current);
  };
  /** Elected, and the partition loaded. */
  const lead = async (leaderEpoch: number) => {
    elect(leaderEpoch);
    await clock.advanceByAsync(0);
  };
  const request = <A extends ApiName>(api: A, body: RequestBody<A>) => {
    correlation += 1;
    const ref: RequestRef = { connectionId: 'client', correlationId: correlation, api, version: api === 'joinGroup' ? 9 : 0, remoteAddress: '/client' };
    coordinator.handle({ api, ref, body } as never);
    return answers.get(correlation);
  };
  const heartbeat = (memberId: string, memberEpoch: number, owned: number[] | null = memberEpoch === 0 ? [] : null) =>
    request('consumerGroupHeartbeat', {
      groupId: 'g',
      memberId,
      memberEpoch,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: memberEpoch === 0 ? 300_000 : -1,
      subscribedTopicNames: memberEpoch === 0 ? ['orders'] : null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: owned === null ? null : owned.length === 0 ? [] : [{ topicId: ORDERS_ID, partitions: owned }],
    }) as { errorCode: number; errorMessage: string | null; memberEpoch: number; assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null };
  const join = (memberId: string) =>
    request('joinGroup', testJoinGroupBody({ memberId })) as { errorCode: number; memberId: string } | undefined;
  const listGroups = (typesFilter: string[] = [], statesFilter: string[] = []) =>
    (request('listGroups', { statesFilter, typesFilter }) as { groups: Array<{ groupId: string; groupType: string; groupState: string; protocolType: string }> }).groups;
  const describeGroups = () => (request('describeGroups', { groups: ['g'] }) as { groups: Array<{ errorCode: number; groupState: string }> }).groups[0];
  const consumerGroupDescribe = () =>
    (request('consumerGroupDescribe', { groupIds: ['g'], includeAuthorizedOperations: false }) as { groups: Array<{ errorCode: number; errorMessage: string | null; groupState: string; groupEpoch: number; assignmentEpoch: number }> }).groups[0];
  return { coordinator, elect, lead, request, heartbeat, join, listGroups, describeGroups, consumerGroupDescribe };
}

function setUp() {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const log = openTestInternalLog(clock, OFFSETS_TOPIC, 'offsets-id', me);
  const write = (records: GroupRecord[]) => log.append(encodeGroupRecordBatch(records, clock.now()), { leaderEpoch: 0, recordCount: records.length });
  return { clock, log, write };
}

/** The records of a consumer group `g` with one member `m1` owning orders-0..5 at epoch 1, Stable (as a heartbeat writes them). */
function oneMemberGroupRecords(): GroupRecord[] {
  const member = { ...newConsumerGroupMember('m1'), clientId: 'c1', subscribedTopicNames: ['orders'], rebalanceTimeoutMs: 300_000, memberEpoch: 1, previousMemberEpoch: 0, assignedPartitions: { [ORDERS_ID]: [0, 1, 2, 3, 4, 5] } };
  return [
    memberMetadataRecord('g', member),
    partitionMetadataRecord('g', { orders: { topicId: ORDERS_ID, numPartitions: 6 } }),
    groupEpochRecord('g', 1),
    targetAssignmentRecord('g', 'm1', { [ORDERS_ID]: [0, 1, 2, 3, 4, 5] }),
    targetAssignmentEpochRecord('g', 1),
    currentAssignmentRecord('g', member),
  ];
}

const errorName = (code: number | undefined) => (code === undefined ? undefined : errorForCode(code).name);

describe('GroupCoordinator hosts consumer groups (KIP-848) beside classic groups', () => {
  it('loads a consumer group from its records: ListGroups gives its type and state, and honours typesFilter', async () => {
    const { clock, log, write } = setUp();
    write(oneMemberGroupRecords());
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    expect(t.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);
    expect(t.listGroups(['classic'])).toEqual([]);
    expect(t.listGroups(['consumer'], ['stable'])).toHaveLength(1);
  });

  it('DescribeGroups of a consumer group answers GROUP_ID_NOT_FOUND; ConsumerGroupDescribe describes it', async () => {
    const { clock, log, write } = setUp();
    write(oneMemberGroupRecords());
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    expect(errorName(t.describeGroups()?.errorCode)).toBe('GROUP_ID_NOT_FOUND');
    expect(t.consumerGroupDescribe()).toMatchObject({ errorCode: 0, groupState: 'Stable', groupEpoch: 1, assignmentEpoch: 1 });
  });

  it('a JoinGroup for a consumer group with members is refused INCONSISTENT_GROUP_PROTOCOL', async () => {
    const { clock, log, write } = setUp();
    write(oneMemberGroupRecords());
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    expect(errorName(t.join('')?.errorCode)).toBe('INCONSISTENT_GROUP_PROTOCOL');
  });

  it('ConsumerGroupDescribe of a classic group, and a ConsumerGroupHeartbeat for one with members, answer GROUP_ID_NOT_FOUND', async () => {
    const { clock, log } = setUp();
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    const memberId = t.join('')?.memberId ?? '';
    t.join(memberId);
    const described = t.consumerGroupDescribe();
    expect(errorName(described?.errorCode)).toBe('GROUP_ID_NOT_FOUND');
    expect(described?.errorMessage).toBe('Group g is not a consumer group.');
    const answer = t.heartbeat('m1', 0);
    expect(errorName(answer.errorCode)).toBe('GROUP_ID_NOT_FOUND');
    expect(answer.errorMessage).toBe('Group g is not a consumer group.');
    expect(t.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'PreparingRebalance', groupType: 'classic' }]);
  });

  it('a heartbeat while the partition loads answers COORDINATOR_LOAD_IN_PROGRESS, and NOT_COORDINATOR where another broker leads', async () => {
    const { clock, log, write } = setUp();
    write(oneMemberGroupRecords());
    const t = coordinatorOver(log, clock);
    expect(errorName(t.heartbeat('m1', 1).errorCode)).toBe('NOT_COORDINATOR');
    t.elect(1);
    expect(errorName(t.heartbeat('m1', 1).errorCode)).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    await clock.advanceByAsync(0);
    expect(t.heartbeat('m1', 1)).toMatchObject({ errorCode: 0, memberEpoch: 1 });
  });

  it('a heartbeat other than a join for an unknown group answers GROUP_ID_NOT_FOUND and creates nothing', async () => {
    const { clock, log } = setUp();
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    expect(errorName(t.heartbeat('m1', 3).errorCode)).toBe('GROUP_ID_NOT_FOUND');
    expect(t.listGroups()).toEqual([]);
  });

  it('a refused join (an assignor the broker does not offer) leaves no group behind', async () => {
    const { clock, log } = setUp();
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    const body = { groupId: 'g', memberId: 'm1', memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 300_000, subscribedTopicNames: ['orders'], subscribedTopicRegex: null, serverAssignor: 'sticky', topicPartitions: [] };
    const answer = t.request('consumerGroupHeartbeat', body) as { errorCode: number };
    expect(errorName(answer.errorCode)).toBe('UNSUPPORTED_ASSIGNOR');
    expect(t.listGroups()).toEqual([]);
  });

  it('two members join and reconcile with the uniform assignor; a coordinator that takes over replays the group and the members continue', async () => {
    const { clock, log } = setUp();
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    const a = t.heartbeat('a', 0);
    expect(a).toMatchObject({ errorCode: 0, memberEpoch: 1, assignment: { topicPartitions: [{ topicId: ORDERS_ID, partitions: [0, 1, 2, 3, 4, 5] }] } });
    const b = t.heartbeat('b', 0);
    expect(b).toMatchObject({ errorCode: 0, memberEpoch: 2, assignment: { topicPartitions: [] } });
    // a is asked to give up half of its partitions (uniform: balanced, sticky) and keeps the rest meanwhile.
    const revoking = t.heartbeat('a', 1, [0, 1, 2, 3, 4, 5]);
    const kept = revoking.assignment?.topicPartitions[0]?.partitions ?? [];
    expect(revoking.memberEpoch).toBe(1);
    expect(kept).toHaveLength(3);
    expect(t.consumerGroupDescribe()).toMatchObject({ groupState: 'Reconciling', groupEpoch: 2, assignmentEpoch: 2 });

    const recorded = t.request('describeRebalances', { groupId: 'g', limit: null }) as { records: Array<{ protocol: string; trigger: string; toGeneration: number }> };
    expect(recorded.records.map((record) => [record.protocol, record.trigger, record.toGeneration])).toEqual([['CONSUMER', 'join', 1]]);

    // The coordinator moves: another broker loads the same log (leader epoch 2) and the members go on where they were.
    t.coordinator.closeAll();
    const next = coordinatorOver(log, clock);
    await next.lead(2);
    expect(next.consumerGroupDescribe()).toMatchObject({ groupState: 'Reconciling', groupEpoch: 2, assignmentEpoch: 2 });
    expect(next.heartbeat('a', 1, kept)).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    const given = next.heartbeat('b', 2, []);
    expect(given).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect([...kept, ...(given.assignment?.topicPartitions[0]?.partitions ?? [])].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(next.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);
    const described = next.request('consumerGroupDescribe', { groupIds: ['g'], includeAuthorizedOperations: false }) as {
      groups: Array<{ assignorName: string; members: Array<{ memberId: string; memberEpoch: number; memberState: string; assignment: { topicPartitions: Array<{ topicName: string; partitions: number[] }> } }> }>;
    };
    expect(described.groups[0]?.assignorName).toBe('uniform');
    expect(described.groups[0]?.members.map((member) => [member.memberId, member.memberEpoch, member.memberState, member.assignment.topicPartitions[0]?.topicName])).toEqual([
      ['a', 2, 'STABLE', 'orders'],
      ['b', 2, 'STABLE', 'orders'],
    ]);
    // DescribeRebalances shows the consumer group's rebalance since this coordinator loaded it (none completed before).
    const rebalances = next.request('describeRebalances', { groupId: 'g', limit: null }) as { errorCode: number; records: Array<{ protocol: string }> };
    expect(rebalances.errorCode).toBe(0);
  });

  it('DeleteGroups of a consumer group: NON_EMPTY_GROUP while it has members, then once the last one left it is gone, also for a coordinator that replays', async () => {
    const { clock, log, write } = setUp();
    write(oneMemberGroupRecords());
    const t = coordinatorOver(log, clock);
    await t.lead(1);
    const deleteGroup = () => (t.request('deleteGroups', { groupsNames: ['g'] }) as { results: Array<{ errorCode: number }> }).results[0]?.errorCode;
    expect(errorName(deleteGroup())).toBe('NON_EMPTY_GROUP');
    expect(t.heartbeat('m1', -1)).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    expect(t.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Empty', groupType: 'consumer' }]);
    expect(errorName(deleteGroup())).toBe('NONE');
    expect(t.listGroups()).toEqual([]);
    t.coordinator.closeAll();
    const next = coordinatorOver(log, clock);
    await next.lead(2);
    expect(next.listGroups()).toEqual([]);
  });
});
