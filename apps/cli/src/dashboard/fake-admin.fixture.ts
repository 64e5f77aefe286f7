/**
 * A fake admin client for the dashboard's tests: a two-broker cluster with one topic and one Stable group
 * of two members, answering the calls the dashboard makes from fixed data (no cluster, no sockets).
 */
import type { GroupDescription, GroupRebalanceRecord, PartitionDescription, QuorumInfo, TopicDescription, TransactionDescription } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import type { DashboardAdmin } from './cluster-source.js';

const partition = (index: number, leader: number): PartitionDescription => ({
  partition: index,
  leader,
  leaderEpoch: 0,
  replicas: [leader],
  isr: [leader],
  offlineReplicas: [],
  logStartOffset: 0,
  logEndOffset: 100 + index,
  highWatermark: 100 + index,
});

export const fakeTopic: TopicDescription = { name: 'orders', topicId: 't-1', isInternal: false, error: null, partitions: [partition(0, 0), partition(1, 1)] };

export const fakeGroup: GroupDescription = {
  groupId: 'analytics',
  type: 'classic',
  state: 'Stable',
  protocolType: 'consumer',
  protocol: 'range',
  generationId: 3,
  leaderId: 'member-a',
  coordinator: { nodeId: 0, host: '127.0.0.1', port: 9100, url: 'ws://127.0.0.1:9100' },
  error: null,
  members: [
    { memberId: 'member-a', groupInstanceId: null, clientId: 'a', host: '/127.0.0.1', assignment: [{ topic: 'orders', partition: 0 }] },
    { memberId: 'member-b', groupInstanceId: null, clientId: 'b', host: '/127.0.0.1', assignment: [{ topic: 'orders', partition: 1 }] },
  ],
};

export const fakeRebalance: GroupRebalanceRecord = {
  groupId: 'analytics',
  sequence: 1,
  trigger: 'session-timeout',
  reason: 'member-c timed out',
  protocol: 'EAGER',
  protocolName: 'range',
  fromGeneration: 2,
  toGeneration: 3,
  generations: [3],
  startMs: 1_000,
  endMs: 1_400,
  durationMs: 400,
  partitionsMoved: 1,
  members: [
    { memberId: 'member-a', groupInstanceId: null, clientId: 'a', owned: [{ topic: 'orders', partitions: [0] }], assigned: [{ topic: 'orders', partitions: [0] }], revoked: [], added: [], pausedMs: 120, partiallyPausedMs: 0, remained: true },
    { memberId: 'member-b', groupInstanceId: null, clientId: 'b', owned: [], assigned: [{ topic: 'orders', partitions: [1] }], revoked: [], added: [{ topic: 'orders', partitions: [1] }], pausedMs: 0, partiallyPausedMs: 0, remained: true },
  ],
};

/** A copier's transactional id with a transaction open on two partitions, at broker 1's transaction coordinator. */
export const fakeTransaction: TransactionDescription = {
  transactionalId: 'copier-1',
  coordinatorId: 1,
  state: 'Ongoing',
  producerId: 4_000,
  producerEpoch: 2,
  transactionTimeoutMs: 60_000,
  transactionStartTimeMs: 1_000,
  topicPartitions: [
    { topic: 'orders', partition: 0 },
    { topic: 'orders', partition: 1 },
  ],
  error: null,
};

/** A consumer group (KIP-848) reconciling: member-d still owns orders-1, which the assignor gave to member-c. */
export const fakeConsumerGroup: GroupDescription = {
  ...fakeGroup,
  groupId: 'g848',
  type: 'consumer',
  state: 'Reconciling',
  protocol: 'uniform',
  generationId: 7,
  groupEpoch: 7,
  targetAssignmentEpoch: 7,
  assignorName: 'uniform',
  leaderId: '',
  members: [
    { memberId: 'member-c', groupInstanceId: null, clientId: 'c', host: '/127.0.0.1', assignment: [], memberEpoch: 7, memberState: 'UNRELEASED_PARTITIONS', targetAssignment: [{ topic: 'orders', partition: 1 }], partitionsPendingRevocation: [] },
    {
      memberId: 'member-d',
      groupInstanceId: null,
      clientId: 'd',
      host: '/127.0.0.1',
      assignment: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }],
      memberEpoch: 6,
      memberState: 'UNREVOKED_PARTITIONS',
      targetAssignment: [{ topic: 'orders', partition: 0 }],
      partitionsPendingRevocation: [{ topic: 'orders', partition: 1 }],
    },
  ],
};

const deadGroup = (groupId: string): GroupDescription => ({ ...fakeGroup, groupId, state: 'Dead', protocol: '', generationId: -1, leaderId: '', members: [] });

/**
 * `brokers` can be changed between calls to simulate a broker that disappears from Metadata, `partitions`
 * (the topic's, fakeTopic's by default) to simulate elections and ISR changes.
 */
export function fakeAdmin(state: { brokers: number[]; partitions?: PartitionDescription[]; failWith?: KafkaProtocolError; quorum?: QuorumInfo | Error } = { brokers: [0, 1] }): DashboardAdmin {
  const fail = () => {
    if (state.failWith !== undefined) throw state.failWith;
  };
  const admin: DashboardAdmin = {
    describeCluster: async () => {
      fail();
      return { clusterId: 'cluster-1', controllerId: 0, brokers: state.brokers.map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9100 + nodeId, url: `ws://127.0.0.1:${9100 + nodeId}`, rack: null })) };
    },
    listTopics: async () => [{ name: 'orders', topicId: 't-1', isInternal: false }],
    describeTopics: async (names) => names.map((name) => (name === 'orders' ? { ...fakeTopic, partitions: state.partitions ?? fakeTopic.partitions } : { ...fakeTopic, name, partitions: [] })),
    listGroups: async () => [
      { groupId: 'analytics', type: 'classic', protocolType: 'consumer', state: 'Stable', coordinatorId: 0 },
      { groupId: 'g848', type: 'consumer', protocolType: 'consumer', state: 'Reconciling', coordinatorId: 0 },
    ],
    describeGroups: async (ids) => ids.map((id) => (id === 'analytics' ? fakeGroup : id === 'g848' ? fakeConsumerGroup : deadGroup(id))),
    listConsumerGroupOffsets: async (id) => (id === 'analytics' ? [{ topic: 'orders', partition: 0, offset: 90, metadata: null, leaderEpoch: 0 }] : []),
    // Without a quorum the nodes refuse DescribeQuorum, as today's brokers do.
    describeMetadataQuorum: async () => {
      const quorum = state.quorum ?? KafkaProtocolError.from('INVALID_REQUEST', 'describeQuorum is not served by brokers');
      if (quorum instanceof Error) throw quorum;
      return quorum;
    },
    listTransactions: async () => [
      { transactionalId: 'copier-1', coordinatorId: 1, producerId: 4_000, state: 'Ongoing' },
      // Expired between the list and the describe: left out.
      { transactionalId: 'expired', coordinatorId: 0, producerId: 4_001, state: 'CompleteCommit' },
    ],
    describeTransactions: async (ids) =>
      ids.map((id) =>
        id === 'copier-1' ? fakeTransaction : { ...fakeTransaction, transactionalId: id, coordinatorId: 0, state: null, topicPartitions: [], error: KafkaProtocolError.from('TRANSACTIONAL_ID_NOT_FOUND', `${id} not found`) },
      ),
    describeRebalances: async (id) => {
      if (id !== 'analytics') throw KafkaProtocolError.from('GROUP_ID_NOT_FOUND', `group ${id} not found`);
      return [fakeRebalance];
    },
  };
  return admin;
}
