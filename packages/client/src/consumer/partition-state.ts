/**
 * One assigned partition's fetch state, as SubscriptionState keeps it (Kafka's `TopicPartitionState`): the
 * position, pause, pending reset and KIP-320 validation fields, and the small rules over them.
 */
import type { TopicPartition } from '../topic-partition.js';

export type OffsetResetStrategy = 'earliest' | 'latest';
export type AutoOffsetReset = OffsetResetStrategy | 'none';

export interface PartitionState {
  readonly tp: TopicPartition;
  /** Offset of the next record to return; null until known. */
  position: number | null;
  paused: boolean;
  /** A reset asked for and not done yet; the partition is not fetched meanwhile. */
  pendingReset: OffsetResetStrategy | null;
  /** Waits for the group's committed offset (OffsetFetch) before auto.offset.reset may apply. */
  awaitingCommitted: boolean;
  /** A failed reset lookup is not retried before this time. */
  resetNotBeforeMs: number;
  resetFailures: number;
  highWatermark: number;
  logStartOffset: number;
  /** The leader epoch of the last record consumed (or of the committed offset), -1 when unknown. */
  offsetEpoch: number;
  /** The leader epoch in metadata the position is known good under, -1 when none yet. */
  validatedEpoch: number;
  /** Waits for OffsetsForLeaderEpoch to confirm the position under a new leader epoch; not fetched meanwhile. */
  awaitingValidation: boolean;
  /** A failed validation is not retried before this time. */
  validationNotBeforeMs: number;
  validationFailures: number;
}

export function newState(tp: TopicPartition, awaitingCommitted: boolean): PartitionState {
  return {
    tp,
    position: null,
    paused: false,
    pendingReset: null,
    awaitingCommitted,
    resetNotBeforeMs: 0,
    resetFailures: 0,
    highWatermark: -1,
    logStartOffset: -1,
    offsetEpoch: -1,
    validatedEpoch: -1,
    awaitingValidation: false,
    validationNotBeforeMs: 0,
    validationFailures: 0,
  };
}

export function setEpochs(state: PartitionState, offsetEpoch: number, validatedEpoch: number, awaitingValidation: boolean): void {
  state.offsetEpoch = offsetEpoch;
  state.validatedEpoch = validatedEpoch;
  state.awaitingValidation = awaitingValidation;
  state.validationFailures = 0;
  state.validationNotBeforeMs = 0;
}

/** Not paused, with a position, no reset pending and no validation outstanding. */
export function isFetchableState(state: PartitionState): boolean {
  return !state.paused && state.position !== null && state.pendingReset === null && !state.awaitingValidation;
}
