import { describe, expect, it } from 'vitest';
import { OBSERVER_SESSION_TIMEOUT_MS, describeQuorum } from './describe-quorum.js';
import { newLeaderState, updateLocalState, updateReplicaState, type LeaderState } from './leader-state.js';

function leader(): LeaderState {
  return newLeaderState({ localKey: { id: 0 }, epoch: 3, epochStartOffset: 10, voterIds: [0, 1, 2], grantingVoters: [0, 1], fetchTimeoutMs: 2000, nowMs: 0 });
}

describe('describeQuorum (LeaderState.describeQuorum)', () => {
  it('testDescribeQuorumWithMultipleVoters-like: offsets, lag, fetch and caught-up times per voter, HW once known', () => {
    let state = updateLocalState(leader(), 15).state;
    state = updateReplicaState(state, { id: 1 }, 100, 15).state;
    state = updateReplicaState(state, { id: 2 }, 200, 11).state;
    const description = describeQuorum(state, 500);
    expect(description).toEqual({
      leaderId: 0,
      leaderEpoch: 3,
      highWatermark: 15,
      voters: [
        { replicaId: 0, logEndOffset: 15, lag: 0, lastFetchTimestamp: 500, lastCaughtUpTimestamp: 500 },
        { replicaId: 1, logEndOffset: 15, lag: 0, lastFetchTimestamp: 100, lastCaughtUpTimestamp: 100 },
        { replicaId: 2, logEndOffset: 11, lag: 4, lastFetchTimestamp: 200, lastCaughtUpTimestamp: -1 },
      ],
      observers: [],
    });
  });

  it('a follower reaching what the leader had at its previous fetch was caught up as of that fetch', () => {
    let state = updateLocalState(leader(), 15).state;
    state = updateReplicaState(state, { id: 2 }, 200, 11).state;
    state = updateLocalState(state, 20).state;
    state = updateReplicaState(state, { id: 2 }, 300, 15).state;
    expect(describeQuorum(state, 400).voters[2]).toMatchObject({ logEndOffset: 15, lag: 5, lastCaughtUpTimestamp: 200 });
  });

  it('an unknown HW is -1 and observers silent for the session timeout are left out', () => {
    let state = updateLocalState(leader(), 12).state;
    state = updateReplicaState(state, { id: 7 }, 100, 12).state;
    expect(describeQuorum(state, 200)).toMatchObject({ highWatermark: -1, observers: [{ replicaId: 7, logEndOffset: 12, lag: 0 }] });
    expect(describeQuorum(state, 100 + OBSERVER_SESSION_TIMEOUT_MS).observers).toEqual([]);
  });
});
