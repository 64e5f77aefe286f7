import { describe, expect, it } from 'vitest';
import { completeFollowerFetch, decideFollowerFetch, overrideFetchTimeout, truncationOffsetFor, type RaftFetchResponse } from './follower-fetch-response.js';
import type { RaftLogView } from './log-view.js';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower } from './quorum-transitions.js';
import { RaftInvariantError } from './raft-errors.js';
import { FETCH_TIMEOUT_MS, LOCAL_ID, epochLookup, started, step, voter } from './test-support.js';

const now = step(0);
// The follower wrote epochs 1 (offsets 0-2) and 2 (3-5) while the leader of epoch 3 kept epoch 1 and moved on.
const followerLog: RaftLogView = { logEndOffset: 6, lastFetchedEpoch: 2, epochs: epochLookup([[1, 0], [2, 3]]) };
const ok = (highWatermark: number, extra: Partial<RaftFetchResponse> = {}): RaftFetchResponse => ({ errorCode: 'NONE', highWatermark, leaderId: 1, leaderEpoch: 3, ...extra });

function follower(highWatermark?: number): QuorumState {
  const quorum = transitionToFollower(started([LOCAL_ID, 1, 2]), 3, 1, voter(1).endpoints, now).quorum;
  return highWatermark === undefined ? quorum : completeFollowerFetch(quorum, { leaderHighWatermark: highWatermark, logEndOffset: highWatermark, nowMs: 0 });
}

describe('the follower handling the leader\'s Fetch answer', () => {
  it('testFollowerLogReconciliation: DivergingEpoch (1, 3) truncates to 3, then fetches again', () => {
    const decision = decideFollowerFetch(follower(), ok(-1, { divergingEpoch: { epoch: 1, offset: 3 } }), followerLog, now);
    expect(decision).toMatchObject({ kind: 'truncate', truncateToOffset: 3 });
  });

  it('truncates to the smaller of both ends of a shared epoch, or to where its own nearest lower epoch ends', () => {
    expect(truncationOffsetFor(followerLog, { epoch: 2, offset: 4 })).toBe(4);
    expect(truncationOffsetFor(followerLog, { epoch: 2, offset: 9 })).toBe(6);
    const gapLog: RaftLogView = { logEndOffset: 8, lastFetchedEpoch: 3, epochs: epochLookup([[1, 0], [3, 3]]) };
    expect(truncationOffsetFor(gapLog, { epoch: 2, offset: 5 })).toBe(3);
    expect(truncationOffsetFor(gapLog, { epoch: 0, offset: 5 })).toBe(5);
  });

  it('a DivergingEpoch below the local high watermark is fatal: committed data never diverges', () => {
    expect(() => decideFollowerFetch(follower(4), ok(-1, { divergingEpoch: { epoch: 1, offset: 3 } }), followerLog, now)).toThrow(RaftInvariantError);
    expect(decideFollowerFetch(follower(3), ok(-1, { divergingEpoch: { epoch: 1, offset: 3 } }), followerLog, now).kind).toBe('truncate');
  });

  it('records are appended, then HW := min(leader HW, LEO); it never goes back', () => {
    const quorum = follower();
    expect(decideFollowerFetch(quorum, ok(8), followerLog, now).kind).toBe('append');
    const after = completeFollowerFetch(quorum, { leaderHighWatermark: 8, logEndOffset: 6, nowMs: 500 });
    expect(after.state).toMatchObject({ name: 'Follower', highWatermark: 6, hasFetchedFromLeader: true, fetchDeadlineMs: 500 + FETCH_TIMEOUT_MS });
    expect(completeFollowerFetch(after, { leaderHighWatermark: -1, logEndOffset: 6, nowMs: 600 }).state).toMatchObject({ highWatermark: 6 });
    expect(() => completeFollowerFetch(after, { leaderHighWatermark: 5, logEndOffset: 6, nowMs: 700 })).toThrow(RaftInvariantError);
  });

  it('an answer from a newer epoch moves the replica on instead of fetching', () => {
    const decision = decideFollowerFetch(follower(), { errorCode: 'FENCED_LEADER_EPOCH', highWatermark: -1, leaderId: 2, leaderEpoch: 4 }, followerLog, now);
    expect(decision).toMatchObject({ kind: 'no-fetch-progress', errorCode: 'FENCED_LEADER_EPOCH', persist: { epoch: 4, leaderId: 2 } });
    expect(decision.quorum.state).toMatchObject({ name: 'Follower', epoch: 4, leaderId: 2 });
    const stale = decideFollowerFetch(follower(), ok(5, { leaderEpoch: 2 }), followerLog, now);
    expect(stale.kind).toBe('no-fetch-progress');
  });

  it('EndQuorumEpoch: the follower starts its election after its successor backoff instead of the fetch timeout', () => {
    expect(overrideFetchTimeout(follower(), 1000, 250).state).toMatchObject({ fetchDeadlineMs: 1250 });
  });
});
