/**
 * The produce `acks` decisions of a partition leader (ReplicaManager.appendRecords, Partition.appendRecordsToLeader,
 * Partition.checkEnoughReplicasReachOffset, DelayedProduce). Pure: the caller passes the partition's current view.
 */
import type { ErrorName } from '@kactor/protocol';

export type RequiredAcks = -1 | 0 | 1;

/** Kafka accepts only -1 (all), 0 and 1; anything else (acks=3 in testIllegalRequiredAcks) is INVALID_REQUIRED_ACKS. */
export function validateRequiredAcks(acks: number): { ok: true; acks: RequiredAcks } | { ok: false; error: 'INVALID_REQUIRED_ACKS' } {
  if (acks === -1 || acks === 0 || acks === 1) return { ok: true, acks };
  return { ok: false, error: 'INVALID_REQUIRED_ACKS' };
}

/**
 * Before appending: acks=all needs the committed ISR to have min.insync.replicas members (the effective value,
 * capped at the replica count), else NOT_ENOUGH_REPLICAS and nothing is written. acks=0 and acks=1 are not checked.
 */
export function checkBeforeAppend(acks: RequiredAcks, isrSize: number, minInsyncReplicas: number): 'NONE' | 'NOT_ENOUGH_REPLICAS' {
  return acks === -1 && isrSize < minInsyncReplicas ? 'NOT_ENOUGH_REPLICAS' : 'NONE';
}

export interface WaitingProduce {
  /** Last offset of the appended batch + 1: the HW the write needs. */
  readonly requiredOffset: number;
  /** When the request's TimeoutMs runs out (the producer's request.timeout.ms). */
  readonly deadlineMs: number;
}

export interface PartitionViewForProduce {
  readonly isLeader: boolean;
  readonly highWatermark: number;
  /** Committed ISR plus a pending addition. */
  readonly maximalIsrSize: number;
  readonly minInsyncReplicas: number;
  readonly nowMs: number;
}

export type ProduceCompletion = { readonly done: false } | { readonly done: true; readonly error: Extract<ErrorName, 'NONE' | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' | 'NOT_LEADER_OR_FOLLOWER' | 'REQUEST_TIMED_OUT'> };

/**
 * Re-checked whenever the HW, the ISR or leadership changes, and at the deadline. A broker that is no longer the
 * leader answers NOT_LEADER_OR_FOLLOWER (testDeltaToFollowerCompletesProduce). Once the HW reaches the batch the
 * write is committed: NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND when the maximal ISR has meanwhile dropped below
 * min.insync.replicas (the data stays written). Past the deadline: REQUEST_TIMED_OUT, and the data may still commit.
 */
export function produceCompletion(waiting: WaitingProduce, view: PartitionViewForProduce): ProduceCompletion {
  if (!view.isLeader) return { done: true, error: 'NOT_LEADER_OR_FOLLOWER' };
  if (view.highWatermark >= waiting.requiredOffset) {
    return { done: true, error: view.maximalIsrSize >= view.minInsyncReplicas ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' };
  }
  if (view.nowMs >= waiting.deadlineMs) return { done: true, error: 'REQUEST_TIMED_OUT' };
  return { done: false };
}
