import { describe, expect, it } from 'vitest';
import { recordGrantedVote } from './epoch-election.js';
import { IllegalRaftTransitionError, RaftInvariantError } from './raft-errors.js';
import { isObserver, type QuorumState } from './quorum-state.js';
import {
  prospectiveAddVotedState,
  transitionToCandidate,
  transitionToFollower,
  transitionToLeader,
  transitionToProspective,
  transitionToResigned,
  transitionToUnattached,
  unattachedAddVotedState,
} from './quorum-transitions.js';
import { ELECTION_TIMEOUT_MS, LOCAL_ID, started, step, voter } from './test-support.js';
import { highWatermarkOf } from './epoch-state.js';

const now = step(0, 2500);
const endpointsOf = (id: number): readonly string[] => voter(id).endpoints;

function grant(quorum: QuorumState, voterId: number): QuorumState {
  const state = quorum.state;
  if (state.name !== 'Candidate' && state.name !== 'Prospective') throw new Error(`not a nominee: ${state.name}`);
  return { ...quorum, state: { ...state, election: recordGrantedVote(state.election, voterId) } };
}

function leaderOf(voters: readonly number[]): QuorumState {
  let quorum = transitionToCandidate(transitionToProspective(started(voters), now).quorum, now).quorum;
  for (const id of voters.filter((id) => id !== LOCAL_ID)) quorum = grant(quorum, id);
  return transitionToLeader(quorum, 0, now).quorum;
}

describe('QuorumState transitions (QuorumStateTest)', () => {
  it('testCannotFollowOrVoteForSelf: neither Follower of itself nor a vote for itself', () => {
    const quorum = started([LOCAL_ID]);
    expect(() => transitionToFollower(quorum, 0, LOCAL_ID, endpointsOf(LOCAL_ID), now)).toThrow(IllegalRaftTransitionError);
    expect(() => unattachedAddVotedState(quorum, 0, { id: LOCAL_ID }, now)).toThrow(IllegalRaftTransitionError);
  });

  it('testUnattachedVotedSameEpoch: the vote is persisted and restarts the election timer', () => {
    const unattached = transitionToUnattached(started([LOCAL_ID, 1]), 5, undefined, now).quorum;
    const voted = unattachedAddVotedState(unattached, 5, { id: 1 }, step(0, 2500));
    expect(voted.quorum.state).toMatchObject({ name: 'Unattached', epoch: 5, votedKey: { id: 1 } });
    expect(voted.persist).toEqual({ epoch: 5, votedKey: { id: 1 } });
    expect(voted.quorum.state.name === 'Unattached' && voted.quorum.state.electionDeadlineMs).toBe(ELECTION_TIMEOUT_MS + 2500);
    // A second vote in the same epoch, for anyone, is refused.
    expect(() => unattachedAddVotedState(voted.quorum, 5, { id: 1 }, now)).toThrow(IllegalRaftTransitionError);
  });

  it('testAllStatesToUnattachedFailInSameEpoch: only Prospective may become Unattached without a higher epoch', () => {
    const voters = [LOCAL_ID, 1, 2];
    const unattachedVoted = unattachedAddVotedState(transitionToUnattached(started(voters), 5, undefined, now).quorum, 5, { id: 1 }, now).quorum;
    expect(() => unattachedAddVotedState(unattachedVoted, 5, { id: 2 }, now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToUnattached(unattachedVoted, 5, undefined, now)).toThrow(IllegalRaftTransitionError);

    const follower = transitionToFollower(started(voters), 5, 1, endpointsOf(1), now).quorum;
    expect(() => transitionToUnattached(follower, 5, undefined, now)).toThrow(IllegalRaftTransitionError);

    const candidate = transitionToCandidate(transitionToProspective(started(voters), now).quorum, now).quorum;
    expect(() => transitionToUnattached(candidate, candidate.state.epoch, undefined, now)).toThrow(IllegalRaftTransitionError);

    const leader = leaderOf(voters);
    expect(() => transitionToUnattached(leader, leader.state.epoch, undefined, now)).toThrow(IllegalRaftTransitionError);

    const resigned = transitionToResigned(leader, [], now).quorum;
    expect(() => transitionToUnattached(resigned, resigned.state.epoch, undefined, now)).toThrow(IllegalRaftTransitionError);
    // Each of them may move to a higher epoch.
    for (const quorum of [unattachedVoted, follower, candidate, leader, resigned]) {
      expect(transitionToUnattached(quorum, quorum.state.epoch + 1, undefined, now).quorum.state.name).toBe('Unattached');
    }
  });

  it('testHighWatermarkRetained: kept through every state, unknown again on becoming Leader', () => {
    let quorum = transitionToFollower(started([LOCAL_ID, 1]), 5, 1, endpointsOf(1), now).quorum;
    quorum = { ...quorum, state: { ...quorum.state, highWatermark: 10 } as typeof quorum.state };
    quorum = transitionToUnattached(quorum, 6, undefined, now).quorum;
    expect(highWatermarkOf(quorum.state)).toBe(10);
    quorum = unattachedAddVotedState(quorum, 6, { id: 1 }, now).quorum;
    expect(highWatermarkOf(quorum.state)).toBe(10);
    quorum = transitionToProspective(quorum, now).quorum;
    expect(highWatermarkOf(quorum.state)).toBe(10);
    quorum = transitionToCandidate(quorum, now).quorum;
    expect(highWatermarkOf(quorum.state)).toBe(10);
    quorum = grant(quorum, 1);
    quorum = transitionToLeader(quorum, 10, now).quorum;
    expect(highWatermarkOf(quorum.state)).toBeUndefined();
  });

  it('testObserverCannotBecomeCandidateOrLeader: observers only move between Unattached and Follower', () => {
    const observer = started([1, 2]);
    expect(isObserver(observer.config)).toBe(true);
    expect(observer.state).toMatchObject({ name: 'Unattached', electionDeadlineMs: Infinity });
    expect(() => transitionToProspective(observer, now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToCandidate(observer, now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToLeader(observer, 0, now)).toThrow(IllegalRaftTransitionError);
    const follower = transitionToFollower(observer, 1, 1, endpointsOf(1), now).quorum;
    expect(follower.state.name).toBe('Follower');
    const unattached = transitionToUnattached(follower, 2, undefined, now).quorum;
    expect(unattached.state).toMatchObject({ name: 'Unattached', epoch: 2, electionDeadlineMs: Infinity });
  });

  it('testUnattachedToProspective: same epoch, fresh election timer, nothing persisted', () => {
    const quorum = started([LOCAL_ID, 1, 2]);
    const prospective = transitionToProspective(quorum, step(0, 2500));
    expect(prospective.persist).toBeUndefined();
    expect(prospective.quorum.state).toMatchObject({ name: 'Prospective', epoch: 0, retries: 1, electionDeadlineMs: ELECTION_TIMEOUT_MS + 2500 });
  });

  it('testProspectiveToUnattachedInSameEpoch: a lost pre-vote returns to Unattached in the same epoch', () => {
    const prospective = transitionToProspective(started([LOCAL_ID, 1, 2]), now).quorum;
    const unattached = transitionToUnattached(prospective, 0, undefined, now);
    expect(unattached.persist).toEqual({ epoch: 0 });
    expect(unattached.quorum.state.name).toBe('Unattached');
  });

  it('a Prospective keeps its same-epoch vote when it falls back to Unattached or Follower', () => {
    const prospective = prospectiveAddVotedState(transitionToProspective(started([LOCAL_ID, 1, 2]), now).quorum, 0, { id: 1 }, now);
    expect(prospective.persist).toEqual({ epoch: 0, votedKey: { id: 1 } });
    expect(transitionToUnattached(prospective.quorum, 0, undefined, now).persist).toEqual({ epoch: 0, votedKey: { id: 1 } });
    expect(transitionToFollower(prospective.quorum, 0, 2, endpointsOf(2), now).persist).toEqual({ epoch: 0, leaderId: 2, votedKey: { id: 1 } });
    expect(transitionToFollower(prospective.quorum, 1, 2, endpointsOf(2), now).persist).toEqual({ epoch: 1, leaderId: 2 });
  });

  it('Candidate bumps the epoch and persists its self-vote; retries grow across lost rounds', () => {
    const candidate = transitionToCandidate(transitionToProspective(started([LOCAL_ID, 1, 2]), now).quorum, now);
    expect(candidate.persist).toEqual({ epoch: 1, votedKey: { id: LOCAL_ID } });
    expect(candidate.quorum.state).toMatchObject({ name: 'Candidate', epoch: 1, retries: 1 });
    const again = transitionToProspective(candidate.quorum, now).quorum;
    expect(again.state).toMatchObject({ name: 'Prospective', epoch: 1, retries: 2 });
    expect(transitionToCandidate(again, now).quorum.state).toMatchObject({ epoch: 2, retries: 2 });
  });

  it('only Prospective becomes Candidate, only a Candidate with a majority becomes Leader, only a Leader resigns', () => {
    const unattached = started([LOCAL_ID, 1, 2]);
    expect(() => transitionToCandidate(unattached, now)).toThrow(IllegalRaftTransitionError);
    const candidate = transitionToCandidate(transitionToProspective(unattached, now).quorum, now).quorum;
    expect(() => transitionToLeader(candidate, 0, now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToResigned(candidate, [], now)).toThrow(IllegalRaftTransitionError);
    const leader = transitionToLeader(grant(candidate, 2), 7, now);
    expect(leader.persist).toEqual({ epoch: 1, leaderId: LOCAL_ID });
    expect(leader.quorum.state.name === 'Leader' && leader.quorum.state.leader).toMatchObject({ epochStartOffset: 7, grantingVoters: [LOCAL_ID, 2] });
    expect(() => transitionToProspective(leader.quorum, now)).toThrow(IllegalRaftTransitionError);
    const resigned = transitionToResigned(leader.quorum, [2, 1], now);
    expect(resigned.persist).toBeUndefined();
    expect(resigned.quorum.state).toMatchObject({ name: 'Resigned', epoch: 1, unackedVoters: [1, 2], preferredSuccessors: [2, 1] });
  });

  it('Follower needs endpoints, a higher epoch, or more endpoints in the same epoch; never a second leader in one epoch', () => {
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 5, 1, endpointsOf(1), now).quorum;
    expect(() => transitionToFollower(follower, 6, 2, [], now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToFollower(follower, 4, 2, endpointsOf(2), now)).toThrow(IllegalRaftTransitionError);
    expect(() => transitionToFollower(follower, 5, 1, endpointsOf(1), now)).toThrow(IllegalRaftTransitionError);
    expect(transitionToFollower(follower, 5, 1, ['a:1', 'b:2'], now).quorum.state).toMatchObject({ leaderEndpoints: ['a:1', 'b:2'] });
    const unattachedKnowingLeader = transitionToUnattached(follower, 6, 1, now).quorum;
    expect(() => transitionToFollower(unattachedKnowingLeader, 6, 2, endpointsOf(2), now)).toThrow(RaftInvariantError);
    expect(transitionToFollower(unattachedKnowingLeader, 6, 1, endpointsOf(1), now).quorum.state).toMatchObject({ name: 'Follower', epoch: 6, leaderId: 1 });
  });

  it('the election timer carries over into Unattached from Candidate, but restarts from Follower', () => {
    const candidate = transitionToCandidate(transitionToProspective(started([LOCAL_ID, 1, 2]), now).quorum, step(0, 1000)).quorum;
    expect(transitionToUnattached(candidate, 3, undefined, step(4000, 2500)).quorum.state).toMatchObject({ electionDeadlineMs: 6000 });
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 5, 1, endpointsOf(1), now).quorum;
    expect(transitionToUnattached(follower, 6, undefined, step(4000, 2500)).quorum.state).toMatchObject({ electionDeadlineMs: 4000 + ELECTION_TIMEOUT_MS + 2500 });
  });
});
