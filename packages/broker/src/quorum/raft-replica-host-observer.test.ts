import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { NotLeaderError } from './not-leader-error.js';
import { QuorumTestCluster, type QuorumTestNode } from './test-support.js';

const ELECTION_TIMEOUT_MS = 1000;
const VOTERS = [0, 1, 2];
const OBSERVER = 3;
const fence = (brokerId: number): MetadataRecord => ({ type: 'FenceBroker', brokerId, brokerEpoch: 1 });
const committedRecords = (node: QuorumTestNode) => node.committed.flatMap((batch) => batch.records);

let cluster: QuorumTestCluster | undefined;
afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

async function quorumWithObserver(): Promise<{ quorum: QuorumTestCluster; leader: QuorumTestNode; observer: QuorumTestNode }> {
  const quorum = new QuorumTestCluster(VOTERS);
  cluster = quorum;
  for (const id of [...VOTERS, OBSERVER]) await quorum.start(id);
  await quorum.until(() => quorum.agreedLeader() !== undefined, 'every node, the observer too, agrees on one leader', 5 * ELECTION_TIMEOUT_MS);
  return { quorum, leader: quorum.node(quorum.agreedLeader()!), observer: quorum.node(OBSERVER) };
}

describe('RaftReplicaHost: an observer (a broker-only node) and a graceful shutdown', () => {
  it('the observer finds the leader by fetching from a voter, gets the same committed batches as every voter, and DescribeQuorum lists it', async () => {
    const { quorum, leader, observer } = await quorumWithObserver();
    await quorum.until(() => observer.leaderChanges.at(-1)?.leaderId === leader.id, 'the observer told who leads');
    expect(observer.leaderChanges.at(-1)).toMatchObject({ leaderId: leader.id, isLocal: false, epochStartOffset: undefined });
    leader.host.append([fence(1), fence(2)], quorum.clock.now());
    leader.host.append([fence(3)], quorum.clock.now());
    await quorum.until(() => quorum.nodes.every((node) => committedRecords(node).length === 3), 'three records committed on every node');
    for (const node of quorum.nodes) expect(committedRecords(node)).toEqual(committedRecords(leader));
    expect(() => observer.host.append([fence(4)], quorum.clock.now())).toThrow(NotLeaderError);

    const described = leader.host.describe().topics[0]!.partitions[0]!;
    expect(described.currentVoters.map((voter) => voter.replicaId)).toEqual(VOTERS);
    expect(described.observers.map((replica) => replica.replicaId)).toEqual([OBSERVER]);
    expect(described.observers[0]!.logEndOffset).toBe(leader.host.logEndOffset);
  });

  it('a leader that shuts down resigns (EndQuorumEpoch): the others elect a new leader that the observer follows, and the stopped host refuses requests', async () => {
    const { quorum, leader, observer } = await quorumWithObserver();
    const oldEpoch = leader.host.leader().epoch;
    let stopped = false;
    void leader.host.shutdown().then(() => (stopped = true));
    await quorum.until(() => stopped, 'the shutdown finished', 5 * ELECTION_TIMEOUT_MS);
    await quorum.until(
      () => {
        const next = observer.host.leader();
        return next.leaderId !== undefined && next.leaderId !== leader.id && next.epoch > oldEpoch;
      },
      'the observer follows a new leader',
      10 * ELECTION_TIMEOUT_MS,
    );
    const newLeader = quorum.node(observer.host.leader().leaderId!);
    newLeader.host.append([fence(9)], quorum.clock.now());
    await quorum.until(() => committedRecords(observer).some((entry) => entry.record.type === 'FenceBroker' && entry.record.brokerId === 9), 'the observer got the new leader\'s record');
    const refused = await quorum.request(leader.id, 'describeQuorum', { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] });
    expect(refused.ok ? undefined : refused.error.name).toBe('BROKER_NOT_AVAILABLE');
  });

  it('the leader halted: the observer\'s fetches fail (disconnect), it asks the other voters and follows the new leader', async () => {
    const { quorum, leader, observer } = await quorumWithObserver();
    quorum.halt(leader.id);
    await quorum.until(() => quorum.agreedLeader() !== undefined, 'the voters left and the observer agree on a new leader', 10 * ELECTION_TIMEOUT_MS);
    const newLeader = quorum.node(quorum.agreedLeader()!);
    expect(newLeader.id).not.toBe(leader.id);
    newLeader.host.append([fence(7)], quorum.clock.now());
    await quorum.until(() => committedRecords(observer).length === 1, 'the observer got the new leader\'s record');
    expect(committedRecords(observer)).toEqual(committedRecords(newLeader));
  });
});
