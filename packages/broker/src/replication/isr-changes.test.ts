import { describe, expect, it } from 'vitest';
import {
  applyAlterPartitionAnswer,
  applyPartitionMetadata,
  canJoinIsr,
  leaderIsrState,
  maximalIsr,
  outOfSyncReplicas,
  proposeIsrExpand,
  proposeIsrShrink,
} from './isr-changes.js';
import { ReplicationInvariantError } from './invariants.js';
import { followerFetched } from './replica-state.js';
import { followerAt } from './test-support.js';

const replicaLagTimeMaxMs = 100;
// Kafka's IsrExpirationTest values.
const leaderLogEndOffset = 20;
const state = leaderIsrState(0, [0, 1, 2], 5, 10);

describe('outOfSyncReplicas (IsrExpirationTest, Partition.getOutOfSyncReplicas)', () => {
  it('drops stuck followers (fetching at LEO - 1) once replica.lag.time.max.ms has passed', () => {
    const followers = [followerAt(1, leaderLogEndOffset - 1, 0, leaderLogEndOffset), followerAt(2, leaderLogEndOffset - 1, 0, leaderLogEndOffset)];
    expect(outOfSyncReplicas({ state, followers, leaderLogEndOffset, nowMs: replicaLagTimeMaxMs, replicaLagTimeMaxMs })).toEqual([]);
    expect(outOfSyncReplicas({ state, followers, leaderLogEndOffset, nowMs: replicaLagTimeMaxMs + 1, replicaLagTimeMaxMs })).toEqual([1, 2]);
  });

  it('drops a slow follower and keeps a caught-up idle one', () => {
    const caughtUpIdle = followerAt(1, leaderLogEndOffset, 0, leaderLogEndOffset);
    const slow = followerAt(2, leaderLogEndOffset - 2, 0, leaderLogEndOffset);
    expect(outOfSyncReplicas({ state, followers: [caughtUpIdle, slow], leaderLogEndOffset, nowMs: replicaLagTimeMaxMs + 1, replicaLagTimeMaxMs })).toEqual([2]);
  });

  it('keeps a follower that keeps reaching the LEO the leader had at its previous fetch', () => {
    // Each fetch asks for what the leader had at the previous one, while the leader keeps appending.
    let follower = followerAt(1, 10, 0, 12);
    follower = followerFetched(follower, { fetchOffset: 12, logStartOffset: 0, fetchTimeMs: 90, leaderLogEndOffset: 14 });
    follower = followerFetched(follower, { fetchOffset: 14, logStartOffset: 0, fetchTimeMs: 180, leaderLogEndOffset: 16 });
    expect(outOfSyncReplicas({ state: leaderIsrState(0, [0, 1], 5, 10), followers: [follower], leaderLogEndOffset: 16, nowMs: 185, replicaLagTimeMaxMs })).toEqual([]);
  });

  it('treats an ISR member the leader has no state for as out of sync, and never the leader', () => {
    expect(outOfSyncReplicas({ state, followers: [followerAt(1, leaderLogEndOffset, 0, leaderLogEndOffset)], leaderLogEndOffset, nowMs: 0, replicaLagTimeMaxMs })).toEqual([2]);
  });
});

describe('ISR shrink proposals (testMaybeShrinkIsr, testSingleInFlightAlterIsr)', () => {
  it('proposes the ISR without the out-of-sync followers, with the current epochs and broker epochs', () => {
    const proposal = proposeIsrShrink(state, [2], (id) => 100 + id);
    expect(proposal?.request).toEqual({ leaderId: 0, leaderEpoch: 5, partitionEpoch: 10, newIsrWithEpochs: [{ brokerId: 0, brokerEpoch: 100 }, { brokerId: 1, brokerEpoch: 101 }] });
    expect(proposal?.state.pendingIsrChange).toEqual({ kind: 'shrink', replicas: [2], proposedIsr: [0, 1] });
    // A pending removal does not count until confirmed: the HW still waits for replica 2.
    expect(proposal && maximalIsr(proposal.state)).toEqual([0, 1, 2]);
  });

  it('builds nothing while another change is in flight, or when nobody is out of sync', () => {
    const pending = proposeIsrShrink(state, [2])!.state;
    expect(proposeIsrShrink(pending, [1])).toBeUndefined();
    expect(proposeIsrShrink(state, [])).toBeUndefined();
    expect(proposeIsrShrink(state, [0])).toBeUndefined();
  });
});

describe('ISR expansion (testIsrExpansion, testFollowerDoesNotJoinISRUntilCaughtUpToOffsetWithinCurrentLeaderEpoch)', () => {
  const shrunk = leaderIsrState(0, [0, 1], 5, 10);

  it('needs LEO >= HW and LEO >= the leader epoch start offset', () => {
    const inputs = { state: shrunk, highWatermark: 3, leaderEpochStartOffset: 6, isrEligible: true };
    expect(canJoinIsr({ ...inputs, follower: followerAt(2, 2, 0, 8) })).toBe(false); // below the HW
    expect(canJoinIsr({ ...inputs, follower: followerAt(2, 5, 0, 8) })).toBe(false); // past the HW, still in the previous epoch
    expect(canJoinIsr({ ...inputs, follower: followerAt(2, 6, 0, 8) })).toBe(true);
    expect(canJoinIsr({ ...inputs, follower: followerAt(2, 6, 0, 8), isrEligible: false })).toBe(false); // fenced or shutting down
  });

  it('counts a pending addition in the maximal ISR and allows one change at a time', () => {
    const proposal = proposeIsrExpand({ state: shrunk, follower: followerAt(2, 6, 0, 8), highWatermark: 3, leaderEpochStartOffset: 6, isrEligible: true })!;
    expect(proposal.request.newIsrWithEpochs.map((member) => member.brokerId)).toEqual([0, 1, 2]);
    expect(maximalIsr(proposal.state)).toEqual([0, 1, 2]);
    expect(proposal.state.isr).toEqual([0, 1]);
    expect(proposeIsrExpand({ state: proposal.state, follower: followerAt(3, 6, 0, 8), highWatermark: 3, leaderEpochStartOffset: 6, isrEligible: true })).toBeUndefined();
  });
});

describe('applyAlterPartitionAnswer', () => {
  const pending = proposeIsrShrink(state, [2])!.state;

  it('commits the controller ISR and partition epoch', () => {
    const result = applyAlterPartitionAnswer(pending, { error: 'NONE', leaderEpoch: 5, partitionEpoch: 11, isr: [0, 1] });
    expect(result.outcome).toBe('committed');
    expect(result.state).toMatchObject({ isr: [0, 1], partitionEpoch: 11, pendingIsrChange: undefined });
  });

  it('ignores an answer for another leader epoch or an older partition epoch and keeps waiting for metadata', () => {
    expect(applyAlterPartitionAnswer(pending, { error: 'NONE', leaderEpoch: 6, partitionEpoch: 11, isr: [0, 1] })).toEqual({ state: pending, outcome: 'awaiting-metadata' });
    expect(applyAlterPartitionAnswer(pending, { error: 'NONE', leaderEpoch: 5, partitionEpoch: 9, isr: [0, 1] })).toEqual({ state: pending, outcome: 'awaiting-metadata' });
  });

  it('reverts to the committed ISR on INELIGIBLE_REPLICA and OPERATION_NOT_ATTEMPTED', () => {
    for (const error of ['INELIGIBLE_REPLICA', 'OPERATION_NOT_ATTEMPTED'] as const) {
      const result = applyAlterPartitionAnswer(pending, { error });
      expect(result.outcome).toBe('reverted');
      expect(result.state).toMatchObject({ isr: [0, 1, 2], pendingIsrChange: undefined });
    }
  });

  it('keeps the change pending on FENCED_LEADER_EPOCH and INVALID_UPDATE_VERSION until new metadata', () => {
    for (const error of ['FENCED_LEADER_EPOCH', 'INVALID_UPDATE_VERSION'] as const) {
      const result = applyAlterPartitionAnswer(pending, { error });
      expect(result.outcome).toBe('awaiting-metadata');
      expect(proposeIsrShrink(result.state, [1])).toBeUndefined();
    }
    const refreshed = applyPartitionMetadata(pending, { isr: [0, 1], leaderEpoch: 5, partitionEpoch: 12 });
    expect(refreshed).toMatchObject({ isr: [0, 1], partitionEpoch: 12, pendingIsrChange: undefined });
  });

  it('retries on a transient error and ignores answers when nothing is pending', () => {
    expect(applyAlterPartitionAnswer(pending, { error: 'REQUEST_TIMED_OUT' }).outcome).toBe('retry');
    expect(applyAlterPartitionAnswer(state, { error: 'NONE', leaderEpoch: 5, partitionEpoch: 11, isr: [0] }).outcome).toBe('ignored');
  });
});

describe('applyPartitionMetadata', () => {
  it('ignores an older partition epoch and refuses a leader epoch going back', () => {
    expect(applyPartitionMetadata(state, { isr: [0], leaderEpoch: 5, partitionEpoch: 9 })).toBe(state);
    expect(() => applyPartitionMetadata(state, { isr: [0], leaderEpoch: 4, partitionEpoch: 11 })).toThrow(expect.objectContaining({ invariant: 'leader-epoch-decreased' }));
  });

  it('refuses an ISR without the leader', () => {
    expect(() => leaderIsrState(0, [1, 2], 0, 0)).toThrow(ReplicationInvariantError);
  });
});
