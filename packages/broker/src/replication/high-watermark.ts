/**
 * The leader's high watermark (Partition.maybeIncrementLeaderHW): the lowest LEO among the maximal ISR (the
 * committed ISR plus a pending addition, KIP-497) and any caught-up follower eligible to join it. It only moves up,
 * never passes the leader's LEO, and does not move while the committed ISR is smaller than min.insync.replicas
 * (KAFKA-15583, part 1 of KIP-966: https://cwiki.apache.org/confluence/display/KAFKA/KIP-966%3A+Eligible+Leader+Replicas).
 */
import { assertHighWatermarkMove } from './invariants.js';
import { isFollowerCaughtUp, type FollowerReplicaState } from './replica-state.js';

/** The effective min.insync.replicas: a partition never needs more in-sync replicas than it has replicas. */
export function effectiveMinInsyncReplicas(minInsyncReplicas: number, replicaCount: number): number {
  return Math.min(minInsyncReplicas, replicaCount);
}

export interface HighWatermarkInputs {
  readonly leaderId: number;
  readonly leaderLogEndOffset: number;
  readonly highWatermark: number;
  /** The ISR the controller has committed; decides "under min ISR". */
  readonly isr: readonly number[];
  /** Committed ISR plus a pending addition (see isr-changes.ts `maximalIsr`). */
  readonly maximalIsr: readonly number[];
  readonly followers: readonly FollowerReplicaState[];
  /** Already effective (see effectiveMinInsyncReplicas). */
  readonly minInsyncReplicas: number;
  readonly nowMs: number;
  readonly replicaLagTimeMaxMs: number;
  /** Unfenced, not shutting down, matching broker epoch (KIP-841, KIP-903); defaults to every replica. */
  readonly isReplicaIsrEligible?: (brokerId: number) => boolean;
}

export function isUnderMinIsr(isr: readonly number[], minInsyncReplicas: number): boolean {
  return isr.length < minInsyncReplicas;
}

/**
 * The HW after a follower fetch, a local append, an ISR change or a leadership change. A caught-up follower about
 * to join the ISR also holds the HW back, so that once it joins, the HW is not above its LEO. A follower whose LEO
 * is unknown in this leader epoch holds the HW where it is.
 */
export function nextHighWatermark(inputs: HighWatermarkInputs): number {
  const previous = inputs.highWatermark;
  if (isUnderMinIsr(inputs.isr, inputs.minInsyncReplicas)) return previous;
  const eligible = inputs.isReplicaIsrEligible ?? (() => true);
  let candidate = inputs.leaderLogEndOffset;
  for (const follower of inputs.followers) {
    if (follower.brokerId === inputs.leaderId || follower.logEndOffset >= candidate) continue;
    const holdsBack =
      inputs.maximalIsr.includes(follower.brokerId) ||
      (isFollowerCaughtUp(follower, inputs.leaderLogEndOffset, inputs.nowMs, inputs.replicaLagTimeMaxMs) && eligible(follower.brokerId));
    if (holdsBack) candidate = follower.logEndOffset;
  }
  const next = Math.max(previous, candidate);
  assertHighWatermarkMove(previous, next, inputs.leaderLogEndOffset);
  return next;
}
