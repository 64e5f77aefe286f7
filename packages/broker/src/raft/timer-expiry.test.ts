import { describe, expect, it } from 'vitest';
import { updateCheckQuorumForFollowingVoter } from './check-quorum.js';
import { updateReplicaState } from './leader-state.js';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower, transitionToResigned } from './quorum-transitions.js';
import { nextTimerDeadlineMs, onTimersDue } from './timer-expiry.js';
import { ELECTION_TIMEOUT_MS, FETCH_TIMEOUT_MS, LOCAL_ID, electedLeader, started, step, voter } from './test-support.js';

describe('timers running out', () => {
  it('testVoterBecomeCandidateAfterFetchTimeout: a voting Follower pre-votes once the fetch timeout passes', () => {
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 2, 1, voter(1).endpoints, step(0)).quorum;
    expect(nextTimerDeadlineMs(follower)).toBe(FETCH_TIMEOUT_MS);
    expect(onTimersDue(follower, step(FETCH_TIMEOUT_MS - 1)).quorum).toBe(follower);
    const expired = onTimersDue(follower, step(FETCH_TIMEOUT_MS));
    expect(expired.quorum.state).toMatchObject({ name: 'Prospective', epoch: 2, leaderId: 1 });
    expect(expired.persist).toBeUndefined();
  });

  it('testFollowerAsObserverDoesNotBecomeCandidateAfterFetchTimeout', () => {
    const observer = transitionToFollower(started([1, 2]), 2, 1, voter(1).endpoints, step(0)).quorum;
    expect(nextTimerDeadlineMs(observer)).toBe(Infinity);
    expect(onTimersDue(observer, step(FETCH_TIMEOUT_MS * 10)).quorum).toBe(observer);
  });

  it('an Unattached voter pre-votes after its election timeout; a Prospective then falls back to Unattached', () => {
    const unattached = started([LOCAL_ID, 1, 2], { epoch: 3 });
    const prospective = onTimersDue(unattached, step(ELECTION_TIMEOUT_MS, 700)).quorum;
    expect(prospective.state).toMatchObject({ name: 'Prospective', epoch: 3, electionDeadlineMs: ELECTION_TIMEOUT_MS * 2 + 700 });
    expect(onTimersDue(prospective, step(ELECTION_TIMEOUT_MS * 2 + 700)).quorum.state).toMatchObject({ name: 'Unattached', epoch: 3 });
  });

  it('a Candidate pre-votes again when its backoff (or election timer) runs out', () => {
    let candidate: QuorumState = started([LOCAL_ID, 1, 2], { epoch: 3, votedKey: { id: LOCAL_ID } });
    if (candidate.state.name !== 'Candidate') throw new Error('expected Candidate');
    candidate = { ...candidate, state: { ...candidate.state, backoffDeadlineMs: 200 } };
    expect(nextTimerDeadlineMs(candidate)).toBe(200);
    expect(onTimersDue(candidate, step(200)).quorum.state).toMatchObject({ name: 'Prospective', epoch: 3, retries: 2 });
  });

  it('a Resigned leader moves to the next epoch once its election timer expires', () => {
    const resigned = transitionToResigned(electedLeader([LOCAL_ID, 1, 2], 1, 0), [], step(0)).quorum;
    const next = onTimersDue(resigned, step(ELECTION_TIMEOUT_MS));
    expect(next.quorum.state).toMatchObject({ name: 'Unattached', epoch: 3 });
    expect(next.persist).toEqual({ epoch: 3 });
  });

  it('testLeaderShouldResignLeadershipIfNotGetFetchRequestFromMajorityVoters: observer fetches do not keep it leading', () => {
    let leader = electedLeader([LOCAL_ID, 1, 2, 3, 4], 1, 0);
    if (leader.state.name !== 'Leader') throw new Error('expected Leader');
    const checkQuorumMs = FETCH_TIMEOUT_MS * 1.5;
    let leaderState = updateCheckQuorumForFollowingVoter(leader.state.leader, { id: 9 }, checkQuorumMs / 2); // an observer
    leaderState = updateCheckQuorumForFollowingVoter(leaderState, { id: 1 }, checkQuorumMs / 2); // one voter: no majority yet
    leaderState = updateReplicaState(leaderState, { id: 2 }, 0, 0).state;
    leader = { ...leader, state: { ...leader.state, leader: leaderState } };
    expect(onTimersDue(leader, step(checkQuorumMs - 1)).quorum.state.name).toBe('Leader');
    const resigned = onTimersDue(leader, step(checkQuorumMs));
    expect(resigned.quorum.state).toMatchObject({ name: 'Resigned', epoch: 2, preferredSuccessors: [2, 1, 3, 4] });
    expect(resigned.persist).toBeUndefined();
  });

  it('a single-voter leader never resigns for lack of fetches', () => {
    const alone = electedLeader([LOCAL_ID], 0, 0);
    expect(nextTimerDeadlineMs(alone)).toBe(Infinity);
    expect(onTimersDue(alone, step(10 * FETCH_TIMEOUT_MS)).quorum.state.name).toBe('Leader');
  });

});
