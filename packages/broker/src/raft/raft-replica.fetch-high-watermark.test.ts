/**
 * KIP-1166 in the Raft replica statechart: followers and observers report the high watermark they know in every
 * Fetch, and the leader answers a held Fetch as soon as its own high watermark is above that one (as it does when
 * records arrive), so a commit reaches the followers' listeners without waiting out MaxWaitMs. The leader tells the
 * host each fetcher's progress (`raft.replica-progress`). Mirrors KafkaRaftClientTest's
 * testHandleCommitCallbackFiresAfterFollowerHighWatermarkAdvances and testPurgatoryFetchCompletedByFollowerTransition.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_ID, ELECTION_TIMEOUT_MS, electedLeader, fetchRequest, grant, startReplica, stateOf, type Started } from './raft-replica.test-support.js';

function fetchReporting(from: number, epoch: number, fetchOffset: number, lastFetchedEpoch: number, highWatermark?: number) {
  const fetch = fetchRequest(from, epoch, fetchOffset, lastFetchedEpoch);
  return { ...fetch, request: { ...fetch.request, ...(highWatermark === undefined ? {} : { highWatermark }) } };
}

/** Leader of epoch 1 among five voters (a majority is three), its LeaderChangeMessage at offset 0. */
function electedAmongFive(): Started {
  const replica = startReplica([0, 1, 2, 3, 4]);
  replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
  grant(replica, 1);
  grant(replica, 2);
  grant(replica, 1);
  grant(replica, 2);
  expect(stateOf(replica)).toBe('Leader');
  return replica;
}

const answersTo = (replica: Started, to: number) => replica.sent.filter((m) => m.type === 'raft.send.fetch-answer' && m.to === to);

describe('raft replica statechart: KIP-1166 high watermark in Fetch', () => {
  it('Follower -> Follower on a Fetch answer: the next Fetch reports the high watermark it now knows (-1 before)', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    const fetches = () => replica.sent.flatMap((m) => (m.type === 'raft.send.fetch' ? [m.request] : []));
    expect(fetches().at(-1)?.highWatermark).toBe(-1);
    replica.actor.send({ type: 'raft.fetch.response', from: 1, response: { errorCode: 'NONE', leaderId: 1, leaderEpoch: 3, highWatermark: 1, records: [{ epoch: 3, payload: 'a' }] } });
    expect(fetches().at(-1)).toEqual(expect.objectContaining({ fetchOffset: 1, highWatermark: 1 }));
  });

  it('Leader.Serving -> Leader.Serving when another voter\'s Fetch moves the high watermark: the held Fetch is answered at once with it', () => {
    const leader = electedAmongFive();
    for (const voter of [1, 2]) leader.actor.send(fetchReporting(voter, 1, 0, 0, -1)); // each takes the LeaderChangeMessage
    // Voter 1 is caught up; only the leader and voter 1 hold offset 0, so the HW is still unknown: held.
    leader.actor.send(fetchReporting(1, 1, 1, 1, -1));
    expect(answersTo(leader, 1)).toHaveLength(1);
    leader.actor.send(fetchReporting(2, 1, 1, 1, -1)); // now 0, 1 and 2 hold offset 0: HW 1
    // Voter 2's own Fetch is answered at once with the HW it made (it reported -1); voter 1's held one too.
    expect(answersTo(leader, 2).at(-1)).toEqual({ type: 'raft.send.fetch-answer', to: 2, response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: 1 } });
    expect(answersTo(leader, 1).at(-1)).toEqual({ type: 'raft.send.fetch-answer', to: 1, response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: 1 } });
    expect(leader.actor.getSnapshot().context.parkedFetches).toEqual([]);
    expect(leader.clock.now()).toBe(ELECTION_TIMEOUT_MS); // no MaxWaitMs went by
  });

  it('testHandleCommitCallbackFiresAfterFollowerHighWatermarkAdvances: a follower at the high watermark is held until it moves, then hears it at once', () => {
    const leader = electedAmongFive();
    for (const voter of [1, 2]) leader.actor.send(fetchReporting(voter, 1, 1, 1, -1));
    leader.actor.send({ type: 'raft.append', records: ['a'] }); // offset 1
    // Both voters know HW 1; voter 1 takes record 1 and comes back with nothing new to read: held.
    leader.actor.send(fetchReporting(1, 1, 1, 1, 1));
    leader.actor.send(fetchReporting(1, 1, 2, 1, 1));
    const answered = answersTo(leader, 1).length;
    leader.clock.advanceBy(100);
    expect(answersTo(leader, 1)).toHaveLength(answered);
    // Voter 2 reaches offset 2 too: a majority holds record 1, HW 2, and voter 1's held Fetch returns with it.
    leader.actor.send(fetchReporting(2, 1, 2, 1, 1));
    expect(answersTo(leader, 1).at(-1)).toEqual({ type: 'raft.send.fetch-answer', to: 1, response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: 2 } });
    expect(leader.sent.filter((m) => m.type === 'raft.high-watermark').at(-1)).toEqual({ type: 'raft.high-watermark', highWatermark: 2 });
  });

  it('Leader.Serving holds a Fetch from a fetcher that does not report a high watermark for its MaxWaitMs, even behind', () => {
    const leader = electedLeader();
    leader.actor.send(fetchReporting(1, 1, 1, 1)); // makes the HW 1, reports none
    expect(answersTo(leader, 1)).toEqual([]);
    leader.clock.advanceBy(500);
    expect(answersTo(leader, 1)).toHaveLength(1);
  });

  it('Leader emits raft.replica-progress for every valid Fetch, voters and observers, with the high watermark they reported', () => {
    const leader = electedLeader();
    leader.actor.send(fetchReporting(1, 1, 0, 0, -1));
    leader.actor.send(fetchReporting(7, 1, 1, 1, 1)); // an observer (broker 7)
    leader.actor.send(fetchReporting(2, 0, 0, 0, -1)); // a stale epoch: FENCED_LEADER_EPOCH, no progress
    leader.actor.send(fetchReporting(2, 1, 5, 1, -1)); // past the leader's log end: diverging, no progress
    expect(leader.progress).toEqual([
      { type: 'raft.replica-progress', replicaId: 1, fetchOffset: 0, highWatermark: undefined },
      { type: 'raft.replica-progress', replicaId: 7, fetchOffset: 1, highWatermark: 1 },
    ]);
    // A held Fetch answered later is not counted twice.
    leader.clock.advanceBy(500);
    expect(leader.progress).toHaveLength(2);
  });

  it('testPurgatoryFetchCompletedByFollowerTransition: Leader -> Follower on BeginQuorumEpoch of a later epoch answers the held Fetch with NOT_LEADER_OR_FOLLOWER and the new leader', () => {
    const leader = electedLeader();
    leader.actor.send(fetchReporting(1, 1, 1, 1, 1));
    expect(answersTo(leader, 1)).toEqual([]);
    leader.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 2, request: { clusterId: CLUSTER_ID, leaderId: 2, leaderEpoch: 2, leaderEndpoints: ['127.0.0.1:9992'] } });
    expect(stateOf(leader)).toBe('Follower');
    expect(answersTo(leader, 1)).toEqual([{ type: 'raft.send.fetch-answer', to: 1, response: { errorCode: 'NOT_LEADER_OR_FOLLOWER', highWatermark: -1, leaderId: 2, leaderEpoch: 2 } }]);
  });
});
