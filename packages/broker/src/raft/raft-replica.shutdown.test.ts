/**
 * `raft.shutdown` (contract C1) in the Raft replica statechart: a Leader resigns first, so EndQuorumEpoch naming its
 * preferred successors (most caught-up first) goes out and its held Fetches are answered, then the replica stops
 * answering; `raft.shutdown-complete` follows (at once when it was not leading). Mirrors the shutdown half of
 * KafkaRaftClientTest's testEndQuorumEpochSentBasedOnFetchOffset.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_ID, ELECTION_TIMEOUT_MS, FETCH_TIMEOUT_MS, electedLeader, fetchRequest, startReplica, stateOf } from './raft-replica.test-support.js';

describe('raft replica statechart: raft.shutdown', () => {
  it('Leader -> ShutDown on raft.shutdown: held Fetches answered, EndQuorumEpoch with successors by fetch offset, then raft.shutdown-complete', () => {
    const leader = electedLeader();
    leader.actor.send(fetchRequest(1, 1, 1, 1)); // voter 1 lags at offset 1 and is held
    leader.actor.send({ type: 'raft.append', records: ['foo', 'bar'] });
    leader.actor.send(fetchRequest(2, 1, 3, 1)); // voter 2 is close, held at the log end
    const before = leader.sent.length;
    leader.actor.send({ type: 'raft.shutdown' });
    expect(stateOf(leader)).toBe('ShutDown');
    expect(leader.sent.slice(before)).toEqual([
      { type: 'raft.send.fetch-answer', to: 2, response: { errorCode: 'NOT_LEADER_OR_FOLLOWER', highWatermark: -1, leaderId: 0, leaderEpoch: 1 } },
      ...[1, 2].map((to) => ({
        type: 'raft.send.end-quorum-epoch',
        to,
        request: { clusterId: CLUSTER_ID, leaderId: 0, leaderEpoch: 1, preferredSuccessors: [2, 1] },
      })),
      { type: 'raft.shutdown-complete' },
    ]);
    expect(leader.leaderChanges.at(-1)).toEqual({ type: 'raft.leader-changed', leaderId: undefined, epoch: 1, isLocal: false, epochStartOffset: undefined });
    // Nothing is persisted for it: a leader found in quorum-state at startup starts Resigned anyway.
    expect(leader.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, leaderId: 0 }));
  });

  it('Follower -> ShutDown on raft.shutdown: raft.shutdown-complete at once, then no answers, no elections, appends refused', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    const before = replica.sent.length;
    replica.actor.send({ type: 'raft.shutdown' });
    expect(replica.sent.slice(before)).toEqual([{ type: 'raft.shutdown-complete' }]);
    replica.actor.send({
      type: 'raft.vote.request',
      from: 2,
      request: { clusterId: CLUSTER_ID, topicName: '__cluster_metadata', partitionIndex: 0, candidate: { id: 2 }, replicaEpoch: 4, voterKey: { id: 0 }, lastOffsetEpoch: 0, lastOffset: 0, preVote: false },
    });
    replica.actor.send(fetchRequest(2, 3, 0, 0));
    replica.clock.advanceBy(FETCH_TIMEOUT_MS + ELECTION_TIMEOUT_MS * 2);
    replica.actor.send({ type: 'raft.append', records: ['a'] });
    expect(stateOf(replica)).toBe('ShutDown');
    expect(replica.sent.slice(before)).toEqual([
      { type: 'raft.shutdown-complete' },
      { type: 'raft.append-rejected', errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: 1, leaderEpoch: 3 },
    ]);
    expect(replica.entries).toEqual([]);
  });

  it('Unattached -> ShutDown on raft.shutdown for an observer: it stops asking the voters', () => {
    const observer = startReplica([0, 1, 2], { localId: 5 });
    observer.actor.send({ type: 'raft.shutdown' });
    observer.actor.send({ type: 'raft.request.failed', to: 0, api: 'fetch' });
    observer.clock.advanceBy(1000);
    expect(observer.sent.filter((m) => m.type === 'raft.send.fetch')).toHaveLength(1);
    expect(observer.sent.at(-1)).toEqual({ type: 'raft.shutdown-complete' });
  });
});
