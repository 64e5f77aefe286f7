import type { MetadataRecord } from '../controller/metadata-records.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NotLeaderError } from './not-leader-error.js';
import { QuorumTestCluster, type QuorumTestNode } from './test-support.js';

// Kafka's defaults: controller.quorum.election.timeout.ms 1000, controller.quorum.fetch.timeout.ms 2000.
const ELECTION_TIMEOUT_MS = 1000;
const VOTERS = [0, 1, 2];
const OBSERVER = 3;

const fence = (brokerId: number, brokerEpoch: number): MetadataRecord => ({ type: 'FenceBroker', brokerId, brokerEpoch });

/** Every committed record a node was told of, in delivery order. */
const committedRecords = (node: QuorumTestNode) => node.committed.flatMap((batch) => batch.records);

let cluster: QuorumTestCluster | undefined;
afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

async function startQuorum(withObserver: boolean, maxFetchBytes?: number): Promise<QuorumTestCluster> {
  const started = new QuorumTestCluster(VOTERS, 1, maxFetchBytes === undefined ? {} : { maxFetchBytes });
  cluster = started;
  for (const id of VOTERS) await started.start(id);
  if (withObserver) await started.start(OBSERVER);
  return started;
}

async function electedLeader(quorum: QuorumTestCluster, maxVirtualMs = 5 * ELECTION_TIMEOUT_MS): Promise<QuorumTestNode> {
  await quorum.until(() => quorum.agreedLeader() !== undefined, 'one leader every running node agrees on', maxVirtualMs);
  return quorum.node(quorum.agreedLeader()!);
}

describe('RaftReplicaHost: three voters over RPC on the in-memory transport', () => {
  it('elects one leader within a few election timeouts, and tells each node who leads (isLocal on the leader only)', async () => {
    const quorum = await startQuorum(false);
    const startMs = quorum.clock.now();
    const leader = await electedLeader(quorum);
    expect(quorum.clock.now() - startMs).toBeLessThan(5 * ELECTION_TIMEOUT_MS);
    const epoch = leader.host.leader().epoch;
    await quorum.until(() => quorum.nodes.every((node) => node.leaderChanges.at(-1)?.leaderId === leader.id), 'every node told of the leader');
    for (const node of quorum.nodes) {
      expect(node.leaderChanges.at(-1)).toEqual({
        leaderId: leader.id,
        epoch,
        isLocal: node.id === leader.id,
        epochStartOffset: node.id === leader.id ? expect.any(Number) : undefined,
      });
      expect(node.fatal).toEqual([]);
    }
  });

  it('commits records appended on the leader (one batch, its offsets returned) and delivers identical committed batches to every voter', async () => {
    const quorum = await startQuorum(false);
    const leader = await electedLeader(quorum);
    const first = leader.host.append([fence(1, 10), fence(2, 20)], quorum.clock.now());
    expect(first.lastOffset - first.baseOffset).toBe(1);
    const second = leader.host.append([fence(3, 30)], quorum.clock.now());
    expect(second.baseOffset).toBe(first.lastOffset + 1);
    await quorum.until(() => quorum.nodes.every((node) => committedRecords(node).length === 3), 'three records committed on every voter');
    const expected = [
      { offset: first.baseOffset, record: fence(1, 10) },
      { offset: first.lastOffset, record: fence(2, 20) },
      { offset: second.baseOffset, record: fence(3, 30) },
    ];
    for (const node of quorum.nodes) {
      expect(committedRecords(node)).toEqual(expected);
      // The high watermark delivered only grows, and every batch ends below it.
      const marks = node.committed.map((batch) => batch.highWatermark);
      expect(marks).toEqual([...marks].sort((a, b) => a - b));
      expect(new Set(marks).size).toBe(marks.length);
    }
  });

  it('append on a follower throws NotLeaderError naming the leader', async () => {
    const quorum = await startQuorum(false);
    const leader = await electedLeader(quorum);
    const follower = quorum.nodes.find((node) => node.id !== leader.id)!;
    const logEndOffset = follower.host.logEndOffset;
    const attempt = () => follower.host.append([fence(1, 1)], quorum.clock.now());
    expect(attempt).toThrow(NotLeaderError);
    expect(attempt).toThrow(expect.objectContaining({ name: 'NotLeaderError', leaderId: leader.id, epoch: leader.host.leader().epoch }));
    expect(follower.host.logEndOffset).toBe(logEndOffset);
  });

  it('elects a new leader when the leader is halted; the old one, restarted, rejoins as a follower and catches up', async () => {
    const quorum = await startQuorum(false);
    const oldLeader = await electedLeader(quorum);
    const oldEpoch = oldLeader.host.leader().epoch;
    oldLeader.host.append([fence(1, 1)], quorum.clock.now());
    await quorum.until(() => quorum.nodes.every((node) => committedRecords(node).length === 1), 'the first record committed everywhere');

    quorum.halt(oldLeader.id);
    const newLeader = await electedLeader(quorum, 10 * ELECTION_TIMEOUT_MS);
    expect(newLeader.id).not.toBe(oldLeader.id);
    expect(newLeader.host.leader().epoch).toBeGreaterThan(oldEpoch);
    newLeader.host.append([fence(2, 2)], quorum.clock.now());
    await quorum.until(() => quorum.nodes.every((node) => committedRecords(node).length === 2), 'the second record committed by the two voters left');

    const restarted = await quorum.start(oldLeader.id);
    await quorum.until(() => committedRecords(restarted).length === 2 && quorum.agreedLeader() === newLeader.id, 'the restarted voter follows and catches up', 10 * ELECTION_TIMEOUT_MS);
    expect(restarted.host.leader()).toEqual(newLeader.host.leader());
    // A restarted replica replays the committed log from its start, each record once.
    expect(committedRecords(restarted)).toEqual(committedRecords(newLeader));
    expect(() => restarted.host.append([fence(3, 3)], quorum.clock.now())).toThrow(NotLeaderError);
  });

  it('a follower far behind catches up one Fetch answer of at most maxFetchBytes at a time (a first batch always goes whole)', async () => {
    const quorum = await startQuorum(false, 1);
    const leader = await electedLeader(quorum);
    const behind = quorum.nodes.find((node) => node.id !== leader.id)!;
    quorum.halt(behind.id);
    for (let brokerId = 1; brokerId <= 5; brokerId += 1) leader.host.append([fence(brokerId, brokerId)], quorum.clock.now());
    await quorum.until(() => committedRecords(leader).length === 5, 'five records committed by the two voters left');

    const restarted = await quorum.start(behind.id);
    await quorum.until(() => committedRecords(restarted).length === 5, 'the restarted voter caught up');
    expect(committedRecords(restarted)).toEqual(committedRecords(leader));
    // Each answer carried one batch, so the high watermark (and each delivery) moved one record at a time.
    expect(restarted.committed.every((batch) => batch.records.length <= 1)).toBe(true);
  });

  it('a leader cut off from the others: they elect a new leader (its requests time out meanwhile); healed, it follows and drops what it appended alone', async () => {
    const quorum = await startQuorum(false);
    const oldLeader = await electedLeader(quorum);
    const cutOff = `node-${oldLeader.id}`;
    quorum.network.setLinkFilter((from, to) => (from === cutOff || to === cutOff ? 'drop' : 'deliver'));
    // Appended where no majority can see it: never committed.
    oldLeader.host.append([fence(66, 66)], quorum.clock.now());
    const others = quorum.nodes.filter((node) => node.id !== oldLeader.id);
    await quorum.until(
      () => others.every((node) => node.host.leader().leaderId !== undefined && node.host.leader().leaderId !== oldLeader.id),
      'the majority elects a new leader',
      10 * ELECTION_TIMEOUT_MS,
    );
    const newLeader = quorum.node(others[0]!.host.leader().leaderId!);
    newLeader.host.append([fence(1, 1)], quorum.clock.now());

    quorum.network.setLinkFilter(undefined);
    await quorum.until(() => quorum.agreedLeader() === newLeader.id && quorum.nodes.every((node) => committedRecords(node).length === 1), 'healed, everyone follows the new leader', 20 * ELECTION_TIMEOUT_MS);
    for (const node of quorum.nodes) {
      expect(committedRecords(node).map((entry) => entry.record)).toEqual([fence(1, 1)]);
      expect(node.host.logEndOffset).toBe(newLeader.host.logEndOffset);
      expect(node.fatal).toEqual([]);
    }
  });
});
