import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RpcResult } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { CLUSTER_ID, QuorumTestCluster, type QuorumTestNode } from './test-support.js';

const VOTERS = [0, 1, 2];
const METADATA = '__cluster_metadata';
const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;
const fence = (brokerId: number): MetadataRecord => ({ type: 'FenceBroker', brokerId, brokerEpoch: 1 });

let cluster: QuorumTestCluster | undefined;
afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

async function quorumWithLeader(): Promise<{ quorum: QuorumTestCluster; leader: QuorumTestNode; follower: QuorumTestNode }> {
  const quorum = new QuorumTestCluster(VOTERS);
  cluster = quorum;
  for (const id of VOTERS) await quorum.start(id);
  await quorum.until(() => quorum.agreedLeader() !== undefined, 'a leader');
  const leader = quorum.node(quorum.agreedLeader()!);
  return { quorum, leader, follower: quorum.nodes.find((node) => node.id !== leader.id)! };
}

function body<A extends 'vote' | 'fetch' | 'describeQuorum'>(result: RpcResult<A>): ResponseBody<A> {
  if (!result.ok) throw new Error(`expected an answer, got ${result.error.name}: ${result.error.message}`);
  return result.body;
}

function vote(overrides: { clusterId?: string | null; topicName?: string; replicaId?: number; replicaEpoch?: number } = {}): RequestBody<'vote'> {
  return {
    clusterId: overrides.clusterId === undefined ? CLUSTER_ID : overrides.clusterId,
    voterId: -1,
    topics: [
      {
        topicName: overrides.topicName ?? METADATA,
        partitions: [{ partitionIndex: 0, replicaEpoch: overrides.replicaEpoch ?? 99, replicaId: overrides.replicaId ?? 1, lastOffsetEpoch: 0, lastOffset: 0, preVote: false }],
      },
    ],
  };
}

function fetch(replicaId: number, clusterId: string | null = CLUSTER_ID): RequestBody<'fetch'> {
  return {
    clusterId,
    replicaId,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1_048_576,
    isolationLevel: 0,
    topics: [{ topic: METADATA, partitions: [{ partition: 0, currentLeaderEpoch: 1, fetchOffset: 0, lastFetchedEpoch: 0, logStartOffset: -1, partitionMaxBytes: 1_048_576 }] }],
  };
}

describe('RaftReplicaHost: what it answers', () => {
  it('DescribeQuorum: the leader lists every voter with its log end offset and fetch times; a follower answers NOT_LEADER_OR_FOLLOWER naming the leader', async () => {
    const { quorum, leader, follower } = await quorumWithLeader();
    leader.host.append([fence(1)], quorum.clock.now());
    await quorum.until(() => quorum.nodes.every((node) => node.committed.some((batch) => batch.records.length > 0)), 'the record committed everywhere');
    const described = body(await quorum.request(leader.id, 'describeQuorum', { topics: [{ topicName: METADATA, partitions: [{ partitionIndex: 0 }] }] }));
    const fromLeader = described.topics[0]!.partitions[0]!;
    const { epoch } = leader.host.leader();
    expect(fromLeader).toMatchObject({ errorCode: 0, leaderId: leader.id, leaderEpoch: epoch, highWatermark: leader.host.logEndOffset });
    expect(fromLeader.currentVoters.map((voter) => voter.replicaId)).toEqual(VOTERS);
    for (const voter of fromLeader.currentVoters) {
      expect(voter.logEndOffset).toBe(leader.host.logEndOffset);
      expect(voter.lastFetchTimestamp).toBeGreaterThan(0);
    }
    expect(described.nodes.map((node) => node.nodeId)).toEqual(VOTERS);
    expect(leader.host.describe().topics[0]!.partitions[0]!.currentVoters.map((voter) => voter.logEndOffset)).toEqual(fromLeader.currentVoters.map((voter) => voter.logEndOffset));

    const fromFollower = body(await quorum.request(follower.id, 'describeQuorum', { topics: [{ topicName: METADATA, partitions: [{ partitionIndex: 0 }] }] })).topics[0]!.partitions[0]!;
    expect(fromFollower).toMatchObject({ errorCode: code('NOT_LEADER_OR_FOLLOWER'), leaderId: leader.id, leaderEpoch: epoch, currentVoters: [], observers: [] });

    const otherPartition = body(await quorum.request(leader.id, 'describeQuorum', { topics: [{ topicName: 'orders', partitions: [{ partitionIndex: 0 }] }] }));
    expect(otherPartition.topics[0]!.partitions[0]!.errorCode).toBe(code('UNKNOWN_TOPIC_OR_PARTITION'));
  });

  it('the leader reports how far each replica has applied (its reported high watermark - 1, KIP-1166)', async () => {
    const { quorum, leader } = await quorumWithLeader();
    const { lastOffset } = leader.host.append([fence(1), fence(2)], quorum.clock.now());
    const followers = VOTERS.filter((id) => id !== leader.id);
    await quorum.until(
      () => followers.every((id) => leader.progress.some((progress) => progress.replicaId === id && progress.appliedOffset >= lastOffset)),
      'every follower reported applying the appended records',
    );
    for (const progress of leader.progress) expect(progress.appliedOffset).toBeLessThan(leader.host.logEndOffset);
  });

  it('bounds what enters: another cluster, another topic, a replica outside the voters, an anonymous or unauthorized fetch; the quorum keeps its leader and epoch', async () => {
    const { quorum, leader, follower } = await quorumWithLeader();
    const before = follower.host.leader();

    expect(body(await quorum.request(follower.id, 'vote', vote({ clusterId: 'another-cluster' }))).errorCode).toBe(code('INCONSISTENT_CLUSTER_ID'));
    expect(body(await quorum.request(follower.id, 'vote', vote({ topicName: 'orders' }))).errorCode).toBe(code('INVALID_REQUEST'));
    const fromStranger = body(await quorum.request(follower.id, 'vote', vote({ replicaId: 7 })));
    expect(fromStranger.topics[0]!.partitions[0]).toMatchObject({ errorCode: code('INCONSISTENT_VOTER_SET'), voteGranted: false, leaderId: leader.id, leaderEpoch: before.epoch });

    expect(body(await quorum.request(leader.id, 'fetch', fetch(1, 'another-cluster'))).errorCode).toBe(code('INCONSISTENT_CLUSTER_ID'));
    expect(body(await quorum.request(leader.id, 'fetch', fetch(-1))).errorCode).toBe(code('INVALID_REQUEST'));
    const unauthorized = body(await quorum.request(leader.id, 'fetch', fetch(1), false));
    expect(unauthorized.responses[0]!.partitions[0]!.errorCode).toBe(code('TOPIC_AUTHORIZATION_FAILED'));
    // The control-plane APIs are refused to clients before the host sees them.
    const refused = await quorum.request(follower.id, 'vote', vote(), false);
    expect(refused.ok ? undefined : refused.error.name).toBe('CLUSTER_AUTHORIZATION_FAILED');

    // None of it moved the quorum: a refused Vote of epoch 99 did not bump anyone's epoch.
    expect(follower.host.leader()).toEqual(before);
    expect(quorum.agreedLeader()).toBe(leader.id);
  });
});
