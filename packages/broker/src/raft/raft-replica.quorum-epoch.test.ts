/**
 * BeginQuorumEpoch and EndQuorumEpoch until acknowledged, in the Raft replica statechart: the leader resends
 * BeginQuorumEpoch every fetch.timeout / 2 to voters that have neither answered it nor fetched; a Resigned leader
 * resends EndQuorumEpoch to voters that have not answered, naming its preferred successors most caught-up first.
 * Mirrors KafkaRaftClientTest's testBeginQuorumEpochHeartbeat and testEndQuorumEpochSentBasedOnFetchOffset.
 */
import { describe, expect, it } from 'vitest';
import { FETCH_TIMEOUT_MS, electedLeader, fetchRequest, quorumOf, stateOf, type Started } from './raft-replica.test-support.js';

const RETRY_BACKOFF_MS = 20;

const beginQuorumEpochTo = (replica: Started) => replica.sent.flatMap((m) => (m.type === 'raft.send.begin-quorum-epoch' ? [m.to] : []));
const endQuorumEpochs = (replica: Started) => replica.sent.flatMap((m) => (m.type === 'raft.send.end-quorum-epoch' ? [m] : []));

function quorumEpochAnswer(type: 'raft.begin-quorum-epoch.response' | 'raft.end-quorum-epoch.response', from: number, leaderEpoch = 1, leaderId = 0) {
  return { type, from, response: { errorCode: 'NONE' as const, leaderId, leaderEpoch } };
}

describe('raft replica statechart: BeginQuorumEpoch until acknowledged', () => {
  it('testBeginQuorumEpochHeartbeat: Leader -> Leader on fetch.timeout / 2, resending only to the voter that did not answer', () => {
    const leader = electedLeader();
    expect(beginQuorumEpochTo(leader)).toEqual([1, 2]);
    leader.actor.send(quorumEpochAnswer('raft.begin-quorum-epoch.response', 1));
    leader.clock.advanceBy(FETCH_TIMEOUT_MS / 2);
    expect(beginQuorumEpochTo(leader)).toEqual([1, 2, 2]);
    // A first Fetch acknowledges as well: nobody is owed one any more.
    leader.actor.send(fetchRequest(2, 1, 0, 0));
    leader.clock.advanceBy(FETCH_TIMEOUT_MS / 2);
    expect(beginQuorumEpochTo(leader)).toEqual([1, 2, 2]);
    expect(stateOf(leader)).toBe('Leader');
  });

  it('Leader -> Follower on a BeginQuorumEpoch answer from a later epoch naming its leader', () => {
    const leader = electedLeader();
    leader.actor.send({ type: 'raft.begin-quorum-epoch.response', from: 2, response: { errorCode: 'FENCED_LEADER_EPOCH', leaderId: 2, leaderEpoch: 4 } });
    expect(quorumOf(leader).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 4, leaderId: 2 }));
    expect(leader.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 4, leaderId: 2 }));
  });
});

describe('raft replica statechart: EndQuorumEpoch until acknowledged', () => {
  it('testEndQuorumEpochSentBasedOnFetchOffset: Leader -> Resigned names the closer follower first', () => {
    const leader = electedLeader(); // leader 0; voter 1 lags, voter 2 is close
    leader.actor.send(fetchRequest(1, 1, 1, 1));
    leader.actor.send({ type: 'raft.append', records: ['foo', 'bar'] });
    leader.actor.send(fetchRequest(2, 1, 3, 1));
    leader.actor.send({ type: 'raft.resign' });
    expect(endQuorumEpochs(leader).map((m) => [m.to, m.request.preferredSuccessors])).toEqual([
      [1, [2, 1]],
      [2, [2, 1]],
    ]);
  });

  it('Resigned.Announcing -> Resigned.BackingOff on an unanswered EndQuorumEpoch, resending only to voters that did not answer', () => {
    const leader = electedLeader();
    leader.actor.send({ type: 'raft.resign' });
    expect(endQuorumEpochs(leader).map((m) => m.to)).toEqual([1, 2]);
    leader.actor.send(quorumEpochAnswer('raft.end-quorum-epoch.response', 1));
    leader.actor.send({ type: 'raft.request.failed', to: 2, api: 'endQuorumEpoch' });
    expect(leader.actor.getSnapshot().value).toEqual({ Resigned: 'BackingOff' });
    leader.clock.advanceBy(RETRY_BACKOFF_MS - 1);
    expect(endQuorumEpochs(leader)).toHaveLength(2);
    leader.clock.advanceBy(1);
    expect(endQuorumEpochs(leader).map((m) => m.to)).toEqual([1, 2, 2]);
    expect(leader.actor.getSnapshot().value).toEqual({ Resigned: 'Announcing' });
  });

  it('Resigned -> Follower on an EndQuorumEpoch answer from a later epoch naming its leader', () => {
    const leader = electedLeader();
    leader.actor.send({ type: 'raft.resign' });
    leader.actor.send({ type: 'raft.end-quorum-epoch.response', from: 1, response: { errorCode: 'FENCED_LEADER_EPOCH', leaderId: 1, leaderEpoch: 2 } });
    expect(quorumOf(leader).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 2, leaderId: 1 }));
  });
});
