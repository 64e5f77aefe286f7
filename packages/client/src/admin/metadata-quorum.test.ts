import { isKafkaError } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster, type FakeQuorum } from '../test-support/fake-cluster.js';
import { Admin } from './admin.js';
import { NoQuorumLeaderError } from './metadata-quorum.js';

let cluster: FakeCluster;
let admin: Admin;

const nowMs = 1_700_000_000_000;

/** Three voters (0, 1, 2) led by `leaderId`, voter 2 five offsets behind and broker 3 observing. */
function quorumLedBy(leaderId: number): FakeQuorum {
  return {
    leaderId,
    leaderEpoch: 4,
    highWatermark: 20,
    voters: [
      { replicaId: 2, logEndOffset: 15, lastFetchTimestamp: nowMs - 300, lastCaughtUpTimestamp: nowMs - 900 },
      { replicaId: 0, logEndOffset: 20, lastFetchTimestamp: nowMs - 100, lastCaughtUpTimestamp: nowMs - 100 },
      { replicaId: 1, logEndOffset: 20, lastFetchTimestamp: nowMs, lastCaughtUpTimestamp: nowMs },
    ].map((voter) => (voter.replicaId === leaderId ? { ...voter, logEndOffset: 20, lastFetchTimestamp: nowMs, lastCaughtUpTimestamp: nowMs } : voter)),
    observers: [{ replicaId: 3, logEndOffset: -1, lastFetchTimestamp: -1, lastCaughtUpTimestamp: -1 }],
  };
}

async function setUp(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 4 });
  admin = Admin.create({ 'bootstrap.servers': 'broker-3:9092', 'request.timeout.ms': 2_000, 'default.api.timeout.ms': 5_000 }, cluster.clientRuntime());
}

afterEach(async () => {
  admin.close();
  await cluster.close();
});

const askedNodes = (): number[] => cluster.requestsOf('describeQuorum').map((request) => request.brokerId);

describe('Admin.describeMetadataQuorum (DescribeQuorum, KIP-836)', () => {
  it('asks the controller Metadata names first; as the quorum leader it answers with every replica, lags computed from its log end', async () => {
    await setUp();
    cluster.controllerId = 1;
    cluster.quorum = quorumLedBy(1);
    const info = await cluster.settle(admin.describeMetadataQuorum());
    expect(askedNodes()).toEqual([1]);
    expect(cluster.requestsOf('describeQuorum')[0]!.body).toEqual({ topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] });
    expect(info).toEqual({
      leaderId: 1,
      leaderEpoch: 4,
      highWatermark: 20,
      voters: [
        { replicaId: 0, logEndOffset: 20, lag: 0, lastFetchTimestamp: nowMs - 100, lastCaughtUpTimestamp: nowMs - 100 },
        { replicaId: 1, logEndOffset: 20, lag: 0, lastFetchTimestamp: nowMs, lastCaughtUpTimestamp: nowMs },
        { replicaId: 2, logEndOffset: 15, lag: 5, lastFetchTimestamp: nowMs - 300, lastCaughtUpTimestamp: nowMs - 900 },
      ],
      // An observer the leader has no offset for lags by the whole log.
      observers: [{ replicaId: 3, logEndOffset: -1, lag: 20, lastFetchTimestamp: -1, lastCaughtUpTimestamp: -1 }],
    });
  });

  it('a node that does not lead answers NOT_LEADER_OR_FOLLOWER with the leader it knows: that leader is asked next', async () => {
    await setUp();
    cluster.controllerId = 0;
    cluster.quorum = quorumLedBy(2);
    const info = await cluster.settle(admin.describeMetadataQuorum());
    expect(askedNodes()).toEqual([0, 2]);
    expect(info.leaderId).toBe(2);
  });

  it('a node that names no leader or a stale one is passed over: every other known node is tried once', async () => {
    await setUp();
    cluster.controllerId = 0;
    cluster.quorum = { ...quorumLedBy(3), knownLeaderOf: { 0: -1, 1: 0, 2: -1 } };
    const info = await cluster.settle(admin.describeMetadataQuorum());
    expect(askedNodes()).toEqual([0, 1, 2, 3]);
    expect(info.leaderId).toBe(3);
  });

  it('rejects with NoQuorumLeaderError ("the metadata quorum has no leader") when every node answers that it knows no leader', async () => {
    await setUp();
    cluster.quorum = { ...quorumLedBy(-1), leaderEpoch: 7 };
    const failure = await cluster.settle(admin.describeMetadataQuorum()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoQuorumLeaderError);
    expect((failure as NoQuorumLeaderError).message).toMatch(/^the metadata quorum has no leader/);
    expect((failure as NoQuorumLeaderError).leaderEpoch).toBe(7);
    expect(askedNodes().sort()).toEqual([0, 1, 2, 3]);
  });

  it('a named leader that does not answer (a dead leader a voter still names): no leader, naming it, after every other node was asked', async () => {
    await setUp();
    cluster.quorum = quorumLedBy(2);
    await cluster.stopBroker(2);
    const failure = await cluster.settle(admin.describeMetadataQuorum()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoQuorumLeaderError);
    const { unreachableLeader, message } = failure as NoQuorumLeaderError;
    expect(unreachableLeader?.nodeId).toBe(2);
    expect(isKafkaError(unreachableLeader?.error)).toBe(true);
    expect(message).toMatch(/^the metadata quorum has no leader \(asked nodes 0, 2, 1, 3; latest epoch 4; node 2, named as leader, did not answer: [A-Z_]+\)$/);
    expect(askedNodes().sort()).toEqual([0, 1, 3]);
  });

  it('brokers that run no quorum (they refuse DescribeQuorum): the refusal itself', async () => {
    await setUp();
    const failure = await cluster.settle(admin.describeMetadataQuorum()).catch((error: unknown) => error);
    expect(isKafkaError(failure, 'INVALID_REQUEST')).toBe(true);
  });
});
