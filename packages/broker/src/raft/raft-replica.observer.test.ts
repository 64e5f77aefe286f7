/**
 * Observers (brokers: no id, or an id outside the voter set) and unanswered requests in the Raft replica statechart:
 * an Unattached observer asks a random voter who leads and follows the leader named in the answer (Kafka's
 * pollUnattachedAsObserver); `raft.request.failed` backs a fetcher off `controller.quorum.retry.backoff.ms` (20 ms
 * here) and an observer whose leader stops answering asks the other voters (pollFollowerAsObserver). Mirrors
 * KafkaRaftClientTest's testObserverLeaderRediscoveryAfterRequestTimeout and
 * testFollowerAsObserverDoesNotBecomeCandidateAfterFetchTimeout.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_ID, FETCH_TIMEOUT_MS, quorumOf, startReplica, stateOf, type Started } from './raft-replica.test-support.js';

const RETRY_BACKOFF_MS = 20;

const fetchesSent = (replica: Started) => replica.sent.flatMap((m) => (m.type === 'raft.send.fetch' ? [m] : []));
const chartState = (replica: Started) => replica.actor.getSnapshot().value;

function answer(replica: Started, from: number, errorCode: 'NONE' | 'NOT_LEADER_OR_FOLLOWER' | 'FENCED_LEADER_EPOCH', leaderId: number, leaderEpoch: number) {
  replica.actor.send({ type: 'raft.fetch.response', from, response: { errorCode, leaderId, leaderEpoch, highWatermark: -1 } });
}

describe('raft replica statechart: observers discover the leader', () => {
  it('Unattached.Waiting -> Unattached.Discovering at start: an observer Fetches from a random voter', () => {
    const observer = startReplica([0, 1, 2], { localId: 5, jitter: 1 }); // random(3) answers 1
    expect(chartState(observer)).toEqual({ Unattached: 'Discovering' });
    expect(fetchesSent(observer)).toEqual([
      {
        type: 'raft.send.fetch',
        to: 1,
        request: expect.objectContaining({ replica: { id: 5 }, currentLeaderEpoch: 0, fetchOffset: 0, lastFetchedEpoch: 0, highWatermark: -1, maxWaitMs: 500, clusterId: CLUSTER_ID }),
      },
    ]);
  });

  it('Unattached -> Follower on raft.fetch.response (observer discovers the leader)', () => {
    const observer = startReplica([0, 1, 2], { localId: 5, jitter: 1 });
    answer(observer, 1, 'NOT_LEADER_OR_FOLLOWER', 2, 3);
    expect(chartState(observer)).toEqual({ Follower: 'Fetching' });
    expect(quorumOf(observer).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 3, leaderId: 2 }));
    expect(observer.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 3, leaderId: 2 }));
    expect(fetchesSent(observer).at(-1)).toEqual(expect.objectContaining({ to: 2, request: expect.objectContaining({ currentLeaderEpoch: 3 }) }));
    expect(observer.leaderChanges.at(-1)).toEqual({ type: 'raft.leader-changed', leaderId: 2, epoch: 3, isLocal: false, epochStartOffset: undefined });
  });

  it('Unattached.Discovering -> Unattached.BackingOff on an answer naming no leader, asking again after controller.quorum.retry.backoff.ms', () => {
    const observer = startReplica([0, 1, 2], { localId: 5 });
    answer(observer, 0, 'NOT_LEADER_OR_FOLLOWER', -1, 0);
    expect(chartState(observer)).toEqual({ Unattached: 'BackingOff' });
    observer.clock.advanceBy(RETRY_BACKOFF_MS - 1);
    expect(fetchesSent(observer)).toHaveLength(1);
    observer.clock.advanceBy(1);
    expect(fetchesSent(observer)).toHaveLength(2);
    expect(chartState(observer)).toEqual({ Unattached: 'Discovering' });
  });

  it('Unattached.Discovering -> Unattached.BackingOff on raft.request.failed for the voter it asked (another voter\'s failure is not its Fetch)', () => {
    const observer = startReplica([0, 1, 2], { localId: 5, jitter: 2 });
    observer.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetch' });
    expect(chartState(observer)).toEqual({ Unattached: 'Discovering' });
    observer.actor.send({ type: 'raft.request.failed', to: 2, api: 'fetch' });
    expect(chartState(observer)).toEqual({ Unattached: 'BackingOff' });
    observer.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(fetchesSent(observer).map((m) => m.to)).toEqual([2, 2]);
  });

  it('Unattached -> Follower for an observer without an id: it fetches as replica -1', () => {
    const observer = startReplica([0, 1, 2], { localId: null });
    expect(fetchesSent(observer)[0]?.request.replica).toEqual({ id: -1 });
    answer(observer, 0, 'FENCED_LEADER_EPOCH', 1, 4);
    expect(stateOf(observer)).toBe('Follower');
    expect(fetchesSent(observer).at(-1)).toEqual(expect.objectContaining({ to: 1, request: expect.objectContaining({ replica: { id: -1 }, currentLeaderEpoch: 4 }) }));
  });
});

describe('raft replica statechart: unanswered Fetches', () => {
  /** Kafka's values: observer 0, voters 1 and 2, leader 1 in epoch 5, found through voter 1. */
  function observerFollowingLeader1(): Started {
    const observer = startReplica([1, 2], { localId: 0 }); // random(2) answers 0: voter 1
    answer(observer, 1, 'FENCED_LEADER_EPOCH', 1, 5);
    expect(quorumOf(observer).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 5, leaderId: 1 }));
    return observer;
  }

  it('testObserverLeaderRediscoveryAfterRequestTimeout: Follower.Fetching -> Follower.LeaderUnreachable -> Follower.AskingVoters, which asks the other voter', () => {
    const observer = observerFollowingLeader1();
    observer.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetch' });
    expect(chartState(observer)).toEqual({ Follower: 'LeaderUnreachable' });
    observer.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(chartState(observer)).toEqual({ Follower: 'AskingVoters' });
    expect(fetchesSent(observer).at(-1)).toEqual(expect.objectContaining({ to: 2, request: expect.objectContaining({ currentLeaderEpoch: 5, fetchOffset: 0 }) }));
    // Voter 2 still names leader 1 in epoch 5: the observer keeps it, and fetches from it again after the backoff.
    answer(observer, 2, 'FENCED_LEADER_EPOCH', 1, 5);
    expect(quorumOf(observer).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 5, leaderId: 1 }));
    observer.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(chartState(observer)).toEqual({ Follower: 'Fetching' });
    expect(fetchesSent(observer).at(-1)?.to).toBe(1);
  });

  it('Follower.AskingVoters -> Follower on an answer naming a new leader in a later epoch', () => {
    const observer = observerFollowingLeader1();
    observer.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetch' });
    observer.clock.advanceBy(RETRY_BACKOFF_MS);
    answer(observer, 2, 'NOT_LEADER_OR_FOLLOWER', 2, 6);
    expect(quorumOf(observer).state).toEqual(expect.objectContaining({ name: 'Follower', epoch: 6, leaderId: 2 }));
    expect(chartState(observer)).toEqual({ Follower: 'Fetching' });
    expect(fetchesSent(observer).at(-1)).toEqual(expect.objectContaining({ to: 2, request: expect.objectContaining({ currentLeaderEpoch: 6 }) }));
  });

  it('testFollowerAsObserverDoesNotBecomeCandidateAfterFetchTimeout: an observer stays Follower past any fetch timeout', () => {
    const observer = observerFollowingLeader1();
    observer.clock.advanceBy(FETCH_TIMEOUT_MS * 3);
    expect(stateOf(observer)).toBe('Follower');
    expect(quorumOf(observer).state.epoch).toBe(5);
    expect(observer.sent.filter((m) => m.type === 'raft.send.vote')).toEqual([]);
  });

  it('Follower.Fetching -> Follower.BackingOff on raft.request.failed for a voter: it fetches again after the backoff, and its fetch timeout still leads to Prospective', () => {
    const voter = startReplica([0, 1, 2]);
    voter.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    voter.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetch' });
    expect(chartState(voter)).toEqual({ Follower: 'BackingOff' });
    voter.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(fetchesSent(voter).map((m) => m.to)).toEqual([1, 1]);
    // Unanswered retries do not count as hearing from the leader.
    for (let elapsed = RETRY_BACKOFF_MS; elapsed < FETCH_TIMEOUT_MS - RETRY_BACKOFF_MS; elapsed += RETRY_BACKOFF_MS) {
      voter.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetch' });
      voter.clock.advanceBy(RETRY_BACKOFF_MS);
    }
    expect(stateOf(voter)).toBe('Follower');
    voter.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(stateOf(voter)).toBe('Prospective');
  });
});
