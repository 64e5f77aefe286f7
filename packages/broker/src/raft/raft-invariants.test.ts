import { describe, expect, it } from 'vitest';
import { recordGrantedVote } from './epoch-election.js';
import { RaftInvariantError, assertEpochMove, assertHighWatermarkMove } from './raft-errors.js';
import type { QuorumState, QuorumTransition } from './quorum-state.js';
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
import { LOCAL_ID, started, step, voter } from './test-support.js';

const now = step(0);

describe('what is persisted before it takes effect (QuorumState.durableTransitionTo / memoryTransitionTo)', () => {
  it('every change of epoch, leader or vote is durable; Prospective without a vote and Resigned are memory only', () => {
    const voters = [LOCAL_ID, 1, 2];
    const unattached = started(voters);
    const prospective = transitionToProspective(unattached, now);
    const prospectiveVoted = prospectiveAddVotedState(prospective.quorum, 0, { id: 1 }, now);
    const candidate = transitionToCandidate(prospective.quorum, now);
    const granted: QuorumState =
      candidate.quorum.state.name === 'Candidate' ? { ...candidate.quorum, state: { ...candidate.quorum.state, election: recordGrantedVote(candidate.quorum.state.election, 1) } } : candidate.quorum;
    const leader = transitionToLeader(granted, 0, now);
    const resigned = transitionToResigned(leader.quorum, [], now);
    const cases: [string, QuorumTransition, unknown][] = [
      ['Unattached (higher epoch)', transitionToUnattached(unattached, 3, undefined, now), { epoch: 3 }],
      ['Unattached + vote', unattachedAddVotedState(unattached, 0, { id: 2 }, now), { epoch: 0, votedKey: { id: 2 } }],
      ['Follower', transitionToFollower(unattached, 1, 1, voter(1).endpoints, now), { epoch: 1, leaderId: 1 }],
      ['Prospective', prospective, undefined],
      ['Prospective + vote', prospectiveVoted, { epoch: 0, votedKey: { id: 1 } }],
      ['Candidate', candidate, { epoch: 1, votedKey: { id: LOCAL_ID } }],
      ['Leader', leader, { epoch: 1, leaderId: LOCAL_ID }],
      ['Resigned', resigned, undefined],
    ];
    for (const [name, transition, persist] of cases) expect([name, transition.persist]).toEqual([name, persist]);
  });
});

describe('invariant assertions', () => {
  it('epochs never go back and a known high watermark never decreases, each with a named error', () => {
    expect(() => assertEpochMove(5, 4)).toThrow(expect.objectContaining({ name: 'RaftInvariantError', invariant: 'epoch-decreased' }));
    expect(() => assertEpochMove(5, 5)).not.toThrow();
    expect(() => assertHighWatermarkMove(10, 9)).toThrow(expect.objectContaining({ invariant: 'high-watermark-decreased' }));
    expect(() => assertHighWatermarkMove(undefined, 0)).not.toThrow();
    expect(new RaftInvariantError('two-leaders-in-epoch', 'x').message).toBe('raft invariant "two-leaders-in-epoch" violated: x');
  });
});
