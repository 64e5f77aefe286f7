import { describe, expect, it } from 'vitest';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower, transitionToProspective } from './quorum-transitions.js';
import { RaftInvariantError } from './raft-errors.js';
import { handleVoteResponse, maybeTransitionForward, prospectiveTransitionAfterElectionLoss, type VoteResponse } from './vote-response.js';
import { ELECTION_TIMEOUT_MS, LOCAL_ID, started, step, voter } from './test-support.js';
import { onTimersDue } from './timer-expiry.js';

const inputs = { electionBackoffMaxMs: 1000, logEndOffset: 12 };
const now = step(0);

const answer = (from: number, epoch: number, voteGranted: boolean, leaderId = -1): VoteResponse => ({ from, errorCode: 'NONE', voteGranted, leaderId, leaderEpoch: epoch });

function prospective(stored = { epoch: 2 }): QuorumState {
  return transitionToProspective(started([LOCAL_ID, 1, 2], stored), now).quorum;
}

describe('handleVoteResponse', () => {
  it('a PreVote majority makes a Candidate (epoch + 1, self-vote persisted); a Vote majority makes the Leader', () => {
    const candidate = handleVoteResponse(prospective(), answer(1, 2, true), inputs, now);
    expect(candidate.effect).toBe('became-candidate');
    expect(candidate.persist).toEqual({ epoch: 3, votedKey: { id: LOCAL_ID } });
    // A late PreVote answer from the old epoch is ignored.
    expect(handleVoteResponse(candidate.quorum, answer(2, 2, true), inputs, now).effect).toBe('ignored');
    const leader = handleVoteResponse(candidate.quorum, answer(2, 3, true), inputs, now);
    expect(leader.effect).toBe('became-leader');
    expect(leader.persist).toEqual({ epoch: 3, leaderId: LOCAL_ID });
    expect(leader.quorum.state.name === 'Leader' && leader.quorum.state.leader).toMatchObject({ epochStartOffset: 12, grantingVoters: [LOCAL_ID, 2] });
  });

  it('testProspectiveTransitionsToUnattachedOnElectionFailure: a rejected majority without a known leader', () => {
    const first = handleVoteResponse(prospective(), answer(1, 2, false), inputs, now);
    expect(first.effect).toBe('recorded');
    const lost = handleVoteResponse(first.quorum, answer(2, 2, false), inputs, now);
    expect(lost.effect).toBe('election-lost');
    expect(lost.quorum.state).toMatchObject({ name: 'Unattached', epoch: 2 });
    expect(lost.persist).toEqual({ epoch: 2 });
  });

  it('testProspectiveWithLeaderTransitionsToFollower: a lost pre-vote returns to the known leader', () => {
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 2, 1, voter(1).endpoints, now).quorum;
    const afterTimeout = transitionToProspective(follower, now).quorum;
    expect(afterTimeout.state).toMatchObject({ name: 'Prospective', epoch: 2, leaderId: 1 });
    const lost = handleVoteResponse(handleVoteResponse(afterTimeout, answer(1, 2, false, 1), inputs, now).quorum, answer(2, 2, false, 1), inputs, now);
    expect(lost.effect).toBe('election-lost');
    expect(lost.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 1, hasFetchedFromLeader: false });
    // The same fallback on an election timeout.
    expect(prospectiveTransitionAfterElectionLoss(afterTimeout, now).quorum.state).toMatchObject({ name: 'Follower', leaderId: 1 });
  });

  it('testPreVoteNotSupportedByRemote: UNSUPPORTED_VERSION sends a Prospective straight to Candidate', () => {
    const outcome = handleVoteResponse(prospective(), { ...answer(1, 2, false), errorCode: 'UNSUPPORTED_VERSION' }, inputs, now);
    expect(outcome.effect).toBe('became-candidate');
    expect(outcome.quorum.state).toMatchObject({ name: 'Candidate', epoch: 3 });
  });

  it('testRetryElection: a rejected majority backs the Candidate off 100 ms x random(2 << (retries - 1)) at once', () => {
    const candidate = handleVoteResponse(prospective(), answer(1, 2, true), inputs, now).quorum;
    const first = handleVoteResponse(candidate, answer(1, 3, false), inputs, step(50, 1));
    expect(first.effect).toBe('recorded');
    const lost = handleVoteResponse(first.quorum, answer(2, 3, false), inputs, step(50, 1));
    expect(lost.effect).toBe('election-lost');
    expect(lost.persist).toBeUndefined();
    expect(lost.quorum.state).toMatchObject({ name: 'Candidate', epoch: 3, retries: 1, backoffDeadlineMs: 150 });
    // After the backoff: Prospective again with one more retry, then Candidate in the next epoch.
    const retry = transitionToProspective(lost.quorum, step(150)).quorum;
    expect(retry.state).toMatchObject({ name: 'Prospective', epoch: 3, retries: 2 });
    expect(handleVoteResponse(retry, answer(1, 3, true), inputs, now).quorum.state).toMatchObject({ name: 'Candidate', epoch: 4, retries: 2 });
  });

  it('an answer naming a leader: the same epoch with none known, or a higher epoch, makes a Follower', () => {
    const sameEpoch = handleVoteResponse(prospective(), answer(1, 2, false, 2), inputs, now);
    expect(sameEpoch.effect).toBe('transitioned');
    expect(sameEpoch.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 2 });
    expect(sameEpoch.persist).toEqual({ epoch: 2, leaderId: 2 });
    const higher = handleVoteResponse(prospective(), answer(1, 4, false, 1), inputs, now);
    expect(higher.quorum.state).toMatchObject({ name: 'Follower', epoch: 4, leaderId: 1 });
    const higherNoLeader = handleVoteResponse(prospective(), answer(1, 4, false), inputs, now);
    expect(higherNoLeader.quorum.state).toMatchObject({ name: 'Unattached', epoch: 4 });
  });

  it('a voter flipping its standard vote, or a second leader named for one epoch, is a bug', () => {
    const candidate = handleVoteResponse(prospective(), answer(1, 2, true), inputs, now).quorum;
    const granted = handleVoteResponse(candidate, answer(1, 3, true), inputs, now);
    expect(granted.effect).toBe('became-leader');
    const rejectedFirst = handleVoteResponse(candidate, answer(1, 3, false), inputs, now).quorum;
    expect(() => handleVoteResponse(rejectedFirst, answer(1, 3, true), inputs, now)).toThrow(RaftInvariantError);
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 2, 1, voter(1).endpoints, now).quorum;
    expect(() => handleVoteResponse(follower, { ...answer(2, 2, false, 2), errorCode: 'NOT_LEADER_OR_FOLLOWER' }, inputs, now)).toThrow(RaftInvariantError);
  });

  it('testInitializeSingleMemberQuorum: the only voter is Leader as soon as it is Prospective', () => {
    const alone = transitionToProspective(started([LOCAL_ID]), now).quorum;
    const outcome = maybeTransitionForward(alone, inputs, now);
    expect(outcome.effect).toBe('became-leader');
    expect(outcome.persist).toEqual({ epoch: 1, leaderId: LOCAL_ID });
    expect(maybeTransitionForward(prospective(), inputs, now).effect).toBe('ignored');
  });

  it('a granted PreVote answer that names the leader makes the Prospective follow it', () => {
    const outcome = handleVoteResponse(prospective(), answer(1, 2, true, 1), inputs, now);
    expect(outcome.effect).toBe('transitioned');
    expect(outcome.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 1 });
  });

  it('testPreVoteRequestTimeout (core part): two voters, epoch 1; the retried request\'s grant makes a Candidate in epoch 2', () => {
    const unattached = started([LOCAL_ID, 1], { epoch: 1 });
    const afterTimeout = onTimersDue(unattached, step(ELECTION_TIMEOUT_MS * 2)).quorum;
    expect(afterTimeout.state).toMatchObject({ name: 'Prospective', epoch: 1 });
    const outcome = handleVoteResponse(afterTimeout, answer(1, 1, true), inputs, now);
    expect(outcome.effect).toBe('became-candidate');
    expect(outcome.persist).toEqual({ epoch: 2, votedKey: { id: LOCAL_ID } });
  });
});
