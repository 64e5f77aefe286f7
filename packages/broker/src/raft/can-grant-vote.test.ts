import { describe, expect, it } from 'vitest';
import { canGrantVote } from './can-grant-vote.js';
import { completeFollowerFetch } from './follower-fetch-response.js';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower, transitionToProspective, transitionToResigned, unattachedAddVotedState } from './quorum-transitions.js';
import { LOCAL_ID, electedLeader, started, step, voter } from './test-support.js';

const now = step(0);
const voters = [LOCAL_ID, 1, 2];
const follower = transitionToFollower(started(voters), 1, 1, voter(1).endpoints, now).quorum;
const leader = electedLeader(voters, 1, 0);

/** [state, candidate 2 up-to-date: PreVote, standard vote; not up-to-date: PreVote, standard vote] */
const table: [string, QuorumState, boolean[]][] = [
  ['Unattached', started(voters), [true, true, false, false]],
  ['Unattached voted for 2', unattachedAddVotedState(started(voters), 0, { id: 2 }, now).quorum, [true, true, false, true]],
  ['Unattached voted for 1', unattachedAddVotedState(started(voters), 0, { id: 1 }, now).quorum, [true, false, false, false]],
  ['Unattached knowing a leader', started(voters, { epoch: 1, leaderId: 7 }), [true, false, false, false]],
  ['Prospective', transitionToProspective(started(voters), now).quorum, [true, true, false, false]],
  ['Follower before its first fetch', follower, [true, false, false, false]],
  ['Follower after a fetch', completeFollowerFetch(follower, { leaderHighWatermark: -1, logEndOffset: 0, nowMs: 0 }), [false, false, false, false]],
  ['Candidate', started(voters, { epoch: 1, votedKey: { id: LOCAL_ID } }), [true, false, false, false]],
  ['Leader', leader, [false, false, false, false]],
  ['Resigned', transitionToResigned(leader, [], now).quorum, [true, false, false, false]],
];

describe('canGrantVote per state (UnattachedStateTest, FollowerStateTest, CandidateStateTest, LeaderStateTest, ResignedStateTest testGrantVote)', () => {
  for (const [name, quorum, [preUpToDate, voteUpToDate, preBehind, voteBehind]] of table) {
    it(name, () => {
      const candidate = { id: 2 };
      expect([
        canGrantVote(quorum.state, candidate, true, true),
        canGrantVote(quorum.state, candidate, true, false),
        canGrantVote(quorum.state, candidate, false, true),
        canGrantVote(quorum.state, candidate, false, false),
      ]).toEqual([preUpToDate, voteUpToDate, preBehind, voteBehind]);
    });
  }

  it('a vote recorded with a directory id is only for that directory', () => {
    const voted = unattachedAddVotedState(started(voters), 0, { id: 2, directoryId: 'dir-a' }, now).quorum;
    expect(canGrantVote(voted.state, { id: 2, directoryId: 'dir-a' }, true, false)).toBe(true);
    expect(canGrantVote(voted.state, { id: 2, directoryId: 'dir-b' }, true, false)).toBe(false);
  });
});
