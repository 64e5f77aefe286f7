import { describe, expect, it } from 'vitest';
import { handleFollowerFetch, type FollowerFetchRequest, type LeaderViewForFetch } from './follower-fetch.js';
import { followerAt, epochLookup } from './test-support.js';

const view: LeaderViewForFetch = {
  leaderEpoch: 10,
  replicas: [0, 1, 2],
  logStartOffset: 0,
  logEndOffset: 17,
  epochs: epochLookup([[0, 0], [3, 2], [4, 8], [7, 13], [9, 14], [10, 17]]),
  followers: [{ ...followerAt(1, 12, 500, 15), brokerEpoch: 41 }],
  nowMs: 1000,
};
const request: FollowerFetchRequest = { replicaId: 1, brokerEpoch: 41, currentLeaderEpoch: 10, fetchOffset: 15, lastFetchedEpoch: 9, logStartOffset: 0 };

describe('handleFollowerFetch', () => {
  it('records the position of a valid fetch (caught up to the LEO seen at the previous fetch)', () => {
    const outcome = handleFollowerFetch(view, request);
    expect(outcome).toEqual({
      kind: 'read',
      follower: { brokerId: 1, logEndOffset: 15, logStartOffset: 0, lastFetchLeaderLogEndOffset: 17, lastFetchTimeMs: 1000, lastCaughtUpTimeMs: 500, brokerEpoch: 41 },
    });
  });

  it('starts from an unknown state for a follower that has not fetched in this epoch', () => {
    const outcome = handleFollowerFetch({ ...view, followers: [] }, { ...request, fetchOffset: 17, lastFetchedEpoch: 10 });
    expect(outcome).toMatchObject({ kind: 'read', follower: { brokerId: 1, logEndOffset: 17, lastCaughtUpTimeMs: 1000 } });
  });

  it('updates nothing and answers the error for a stale or future epoch, an unassigned replica, or an old incarnation', () => {
    expect(handleFollowerFetch(view, { ...request, currentLeaderEpoch: 9 })).toEqual({ kind: 'error', error: 'FENCED_LEADER_EPOCH' });
    expect(handleFollowerFetch(view, { ...request, currentLeaderEpoch: 11 })).toEqual({ kind: 'error', error: 'UNKNOWN_LEADER_EPOCH' });
    expect(handleFollowerFetch(view, { ...request, replicaId: 3 })).toEqual({ kind: 'error', error: 'UNKNOWN_LEADER_EPOCH' });
    expect(handleFollowerFetch(view, { ...request, brokerEpoch: 40 })).toEqual({ kind: 'error', error: 'NOT_LEADER_OR_FOLLOWER' });
    expect(handleFollowerFetch(view, { ...request, lastFetchedEpoch: 11 })).toEqual({ kind: 'error', error: 'OFFSET_OUT_OF_RANGE' });
  });

  it('answers DivergingEpoch without recording a position', () => {
    expect(handleFollowerFetch(view, { ...request, lastFetchedEpoch: 6, fetchOffset: 6 })).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 4, endOffset: 13 } });
  });
});
