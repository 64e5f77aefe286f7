// Kafka's PartitionTest cases, replayed on the pure core with their values: the log holds 10 records of leader
// epoch 4 and the broker (id 0) becomes leader in epoch 5.
import { describe, expect, it } from 'vitest';
import { nextHighWatermark } from './high-watermark.js';
import { applyAlterPartitionAnswer, canJoinIsr, leaderIsrState, maximalIsr, outOfSyncReplicas, proposeIsrExpand, proposeIsrShrink, type LeaderIsrState } from './isr-changes.js';
import { followerFetched, followerStateForNewLeader, type FollowerReplicaState } from './replica-state.js';

const leaderId = 0;
const leaderEpoch = 5;

function fetch(follower: FollowerReplicaState, fetchOffset: number, fetchTimeMs: number, leaderLogEndOffset: number): FollowerReplicaState {
  return followerFetched(follower, { fetchOffset, logStartOffset: 0, fetchTimeMs, leaderLogEndOffset });
}

function highWatermark(state: LeaderIsrState, followers: FollowerReplicaState[], previous: number, leaderLogEndOffset: number, nowMs: number, minInsyncReplicas: number): number {
  return nextHighWatermark({ leaderId, leaderLogEndOffset, highWatermark: previous, isr: state.isr, maximalIsr: maximalIsr(state), followers, minInsyncReplicas, nowMs, replicaLagTimeMaxMs: 30000 });
}

describe('PartitionTest', () => {
  it('testHighWatermarkAdvanceShouldNotAdvanceWhenUnderMinISR', () => {
    // min.insync.replicas 3, replicas [0, 1, 2], ISR [0, 1].
    let state = leaderIsrState(leaderId, [0, 1], leaderEpoch, 1);
    let follower1 = followerStateForNewLeader(1, true, 0);
    let follower2 = followerStateForNewLeader(2, false, 0);
    let hw = highWatermark(state, [follower1, follower2], 0, 10, 0, 3);
    expect(hw).toBe(0);

    follower1 = fetch(follower1, 10, 0, 10);
    hw = highWatermark(state, [follower1, follower2], hw, 10, 0, 3);
    expect(hw).toBe(0);

    // Follower 2 catches up: an expansion goes out, the maximal ISR has 3 members, the HW still does not move.
    follower2 = fetch(follower2, 10, 0, 10);
    const proposal = proposeIsrExpand({ state, follower: follower2, highWatermark: hw, leaderEpochStartOffset: 10, isrEligible: true })!;
    state = proposal.state;
    expect(maximalIsr(state)).toHaveLength(3);
    hw = highWatermark(state, [follower1, follower2], hw, 10, 0, 3);
    expect(hw).toBe(0);

    state = applyAlterPartitionAnswer(state, { error: 'NONE', leaderEpoch, partitionEpoch: 2, isr: [0, 1, 2] }).state;
    expect(highWatermark(state, [follower1, follower2], hw, 10, 0, 3)).toBe(10);
  });

  it('testShouldNotShrinkIsrIfPreviousFetchIsCaughtUp', () => {
    // Kafka runs this with the 30000 ms default; 10000 here makes the case discriminate: without the previous-fetch
    // rule the follower, last caught up when the leader took over 10001 ms ago, would be out.
    const replicaLagTimeMaxMs = 10000;
    const state = leaderIsrState(leaderId, [0, 1], leaderEpoch, 1);
    let follower = followerStateForNewLeader(1, true, 0);

    // A first fetch 5000 ms in, not yet at the log end (10).
    follower = fetch(follower, 5, 5000, 10);
    expect(follower).toMatchObject({ lastCaughtUpTimeMs: 0, logEndOffset: 5 }); // still the time the leader took over
    expect(highWatermark(state, [follower], 0, 10, 5000, 1)).toBe(5);

    // 5 more records (LEO 15); the follower reaches the old end (10) 5001 ms later.
    follower = fetch(follower, 10, 10001, 15);
    expect(follower).toMatchObject({ lastCaughtUpTimeMs: 5000, logEndOffset: 10 });
    expect(highWatermark(state, [follower], 5, 15, 10001, 1)).toBe(10);

    expect(outOfSyncReplicas({ state, followers: [follower], leaderLogEndOffset: 15, nowMs: 10001, replicaLagTimeMaxMs })).toEqual([]);
  });

  it('testShouldNotShrinkIsrIfFollowerCaughtUpToLogEnd', () => {
    const state = leaderIsrState(leaderId, [0, 1], leaderEpoch, 1);
    const follower = fetch(followerStateForNewLeader(1, true, 0), 10, 0, 10);
    expect(highWatermark(state, [follower], 0, 10, 0, 1)).toBe(10);
    expect(outOfSyncReplicas({ state, followers: [follower], leaderLogEndOffset: 10, nowMs: 30001, replicaLagTimeMaxMs: 30000 })).toEqual([]);
  });

  it('testIsrNotShrunkIfUpdateFails', () => {
    let state = leaderIsrState(leaderId, [0, 1], leaderEpoch, 1);
    const follower = followerStateForNewLeader(1, true, 0);
    const outOfSync = outOfSyncReplicas({ state, followers: [follower], leaderLogEndOffset: 10, nowMs: 30001, replicaLagTimeMaxMs: 30000 });
    expect(outOfSync).toEqual([1]);
    state = proposeIsrShrink(state, outOfSync)!.state;
    expect(state.isr).toEqual([0, 1]);
    expect(highWatermark(state, [follower], 0, 10, 30001, 1)).toBe(0);

    const failed = applyAlterPartitionAnswer(state, { error: 'INVALID_UPDATE_VERSION' });
    expect(failed.outcome).toBe('awaiting-metadata');
    expect(failed.state.pendingIsrChange?.kind).toBe('shrink');
    expect(failed.state.isr).toEqual([0, 1]);
    expect(highWatermark(failed.state, [follower], 0, 10, 30001, 1)).toBe(0);
  });

  // handleAlterIsrFailure: replicas [0, 1], ISR [0]; the follower fetches offset 10 and an expansion goes out.
  describe('a failed ISR expansion', () => {
    const committed = leaderIsrState(leaderId, [0], leaderEpoch, 1);
    const follower = fetch(followerStateForNewLeader(1, false, 0), 10, 0, 10);

    it('starts from HW 10 and sends one expansion', () => {
      expect(highWatermark(committed, [followerStateForNewLeader(1, false, 0)], 0, 10, 0, 1)).toBe(10);
      expect(follower.lastCaughtUpTimeMs).toBe(0);
      expect(canJoinIsr({ state: committed, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true })).toBe(true);
    });

    it.each(['NEW_LEADER_ELECTED', 'UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_UPDATE_VERSION'] as const)('%s: ISR [0], maximal ISR [0, 1], no retry', (error) => {
      const pending = proposeIsrExpand({ state: committed, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true })!.state;
      const result = applyAlterPartitionAnswer(pending, { error });
      expect(result.outcome).toBe('awaiting-metadata');
      expect(result.state.isr).toEqual([0]);
      expect(maximalIsr(result.state)).toEqual([0, 1]);
    });

    it('UNKNOWN_SERVER_ERROR: retried', () => {
      const pending = proposeIsrExpand({ state: committed, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true })!.state;
      const result = applyAlterPartitionAnswer(pending, { error: 'UNKNOWN_SERVER_ERROR' });
      expect(result.outcome).toBe('retry');
      expect(maximalIsr(result.state)).toEqual([0, 1]);
    });
  });
  it('testUpdateFollowerFetchState', () => {
    // 6 records; replicas [0, 1], both in the ISR when the leader took over at time 0.
    let follower = followerStateForNewLeader(1, true, 0);
    follower = fetch(follower, 3, 500, 6);
    expect(follower).toMatchObject({ lastCaughtUpTimeMs: 0, logStartOffset: 0, logEndOffset: 3 });
    follower = fetch(follower, 6, 1000, 6);
    expect(follower).toMatchObject({ lastCaughtUpTimeMs: 1000, logStartOffset: 0, logEndOffset: 6 });
  });

  it('testIsrExpansion', () => {
    // 10 records, replicas [0, 1], ISR [0]: the HW is the leader's LEO at once.
    const state = leaderIsrState(leaderId, [0], leaderEpoch, 1);
    let follower = followerStateForNewLeader(1, false, 0);
    expect(highWatermark(state, [follower], 0, 10, 0, 1)).toBe(10);
    follower = fetch(follower, 3, 0, 10);
    expect(proposeIsrExpand({ state, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true })).toBeUndefined();
    follower = fetch(follower, 10, 0, 10);
    const proposal = proposeIsrExpand({ state, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true });
    expect(proposal?.request.newIsrWithEpochs.map((member) => member.brokerId)).toEqual([0, 1]);
    expect(proposal?.state.isr).toEqual([0]);
  });

  it('testInvalidAlterPartitionRequestsAreNotRetried', () => {
    const state = leaderIsrState(leaderId, [0], leaderEpoch, 1);
    const follower = fetch(followerStateForNewLeader(1, false, 0), 10, 0, 10);
    const pending = proposeIsrExpand({ state, follower, highWatermark: 10, leaderEpochStartOffset: 10, isrEligible: true })!.state;
    const result = applyAlterPartitionAnswer(pending, { error: 'INVALID_REQUEST' });
    expect(result.outcome).toBe('awaiting-metadata');
    expect(result.state.isr).toEqual([0]);
    expect(maximalIsr(result.state)).toEqual([0, 1]);
  });

  it('testFollowerDoesNotJoinISRUntilCaughtUpToOffsetWithinCurrentLeaderEpoch', () => {
    // Leader epoch 8, replicas [0, 1, 2], ISR [0, 2]; batches of 2 and 3 records (offsets 0-1 and 2-4).
    let state = leaderIsrState(leaderId, [0, 2], 8, 1);
    let follower2 = followerStateForNewLeader(2, true, 0);
    let hw = highWatermark(state, [follower2], 0, 5, 0, 1);
    expect(hw).toBe(0);
    follower2 = fetch(follower2, 0, 0, 5);
    follower2 = fetch(follower2, 2, 0, 5); // last offset of the first batch + 1
    hw = highWatermark(state, [follower2], hw, 5, 0, 1);
    expect(hw).toBe(2);

    // Follower in epoch 9, leader again in epoch 10: the epoch starts at the LEO, 5; then 2 more records (LEO 7).
    state = leaderIsrState(leaderId, [0, 2], 10, 1);
    const currentLeaderEpochStartOffset = 5;
    let follower1 = followerStateForNewLeader(1, false, 0);
    const joins = (follower: FollowerReplicaState) => canJoinIsr({ state, follower, highWatermark: hw, leaderEpochStartOffset: currentLeaderEpochStartOffset, isrEligible: true });
    follower1 = fetch(follower1, 0, 0, 7);
    expect(joins(follower1)).toBe(false);
    follower1 = fetch(follower1, 1, 0, 7);
    expect(joins(follower1)).toBe(false);
    follower1 = fetch(follower1, 4, 0, 7); // past the HW (2), still short of the epoch start
    expect(joins(follower1)).toBe(false);
    follower1 = fetch(follower1, currentLeaderEpochStartOffset, 0, 7);
    const proposal = proposeIsrExpand({ state, follower: follower1, highWatermark: hw, leaderEpochStartOffset: currentLeaderEpochStartOffset, isrEligible: true })!;
    expect(proposal.state.isr).toEqual([0, 2]);
    expect(maximalIsr(proposal.state)).toEqual([0, 2, 1]);
    expect([...proposal.request.newIsrWithEpochs.map((member) => member.brokerId)].sort()).toEqual([0, 1, 2]);
  });
});
