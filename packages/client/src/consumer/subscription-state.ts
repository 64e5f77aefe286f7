/**
 * What a consumer reads and from where (Kafka's `SubscriptionState`), as plain logic with no I/O: the
 * assigned partitions in order, each one's position (the offset of the next record to return), whether
 * it is paused, and whether its position waits for a reset (auto.offset.reset, seekToBeginning/End).
 *
 * Manual assignment (`assign`) and the consumer group (the partitions a rebalance hands out) drive the
 * same state. With a group.id, a newly assigned partition first waits for the group's committed offset
 * (`awaitingCommitted`); only when there is none does auto.offset.reset apply (Kafka's INITIALIZING).
 *
 * KIP-320: a position remembers the leader epoch of the last record consumed (`offsetEpoch`, also the one a
 * commit carries and a committed offset comes back with) and the leader epoch it is known good under
 * (`validatedEpoch`). When metadata names a newer leader epoch, the position waits for validation
 * (Kafka's AWAITING_VALIDATION: not fetched) until OffsetsForLeaderEpoch shows the new leader's log still
 * holds everything below it; a position with no epoch (a plain seek) has nothing to validate.
 */
import { IllegalStateError } from '../errors.js';
import { formatTopicPartition, topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import { isFetchableState, newState, setEpochs, type AutoOffsetReset, type OffsetResetStrategy, type PartitionState } from './partition-state.js';

export type { AutoOffsetReset, OffsetResetStrategy } from './partition-state.js';

export class SubscriptionState {
  private partitions = new Map<string, PartitionState>();

  constructor(readonly defaultResetStrategy: AutoOffsetReset) {}

  /**
   * Replaces the assignment. Partitions that stay keep their position and pause state; new ones start
   * without a position, waiting for the group's committed offset when `awaitCommitted`. Returns the
   * partitions that were dropped.
   */
  assign(partitions: readonly TopicPartition[], options: { awaitCommitted?: boolean } = {}): TopicPartition[] {
    const next = new Map<string, PartitionState>();
    for (const tp of partitions) {
      const key = topicPartitionKey(tp.topic, tp.partition);
      if (next.has(key)) continue;
      next.set(key, this.partitions.get(key) ?? newState({ topic: tp.topic, partition: tp.partition }, options.awaitCommitted === true));
    }
    const dropped = [...this.partitions.entries()].filter(([key]) => !next.has(key)).map(([, state]) => state.tp);
    this.partitions = next;
    return dropped;
  }

  /** The assigned partitions, in the order they were assigned. */
  assignedPartitions(): TopicPartition[] {
    const assigned: TopicPartition[] = [];
    for (const state of this.partitions.values()) assigned.push(state.tp);
    return assigned;
  }

  get assignedCount(): number {
    return this.partitions.size;
  }

  isAssigned(tp: TopicPartition): boolean {
    return this.partitions.has(topicPartitionKey(tp.topic, tp.partition));
  }

  /** Sets the next offset to return and cancels any pending reset. */
  seek(tp: TopicPartition, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`seek offset must be an integer >= 0, got ${offset}`);
    const state = this.state(tp);
    state.position = offset;
    state.pendingReset = null;
    state.awaitingCommitted = false;
    state.resetFailures = 0;
    state.resetNotBeforeMs = 0;
    // A seek names no epoch (Kafka's seek(tp, offset)): there is nothing to validate until records are consumed.
    setEpochs(state, -1, -1, false);
  }

  /** Sets a position already known good under leader epoch `validatedEpoch` (a truncation's divergence point). */
  seekValidated(tp: TopicPartition, offset: number, offsetEpoch: number, validatedEpoch: number): void {
    this.seek(tp, offset);
    setEpochs(this.state(tp), offsetEpoch, validatedEpoch, false);
  }

  /** Where the partition will be read from next, or null while it is unknown or waiting for a reset. */
  position(tp: TopicPartition): number | null {
    const state = this.state(tp);
    return state.pendingReset === null ? state.position : null;
  }

  /** Asks for the position to be looked up by `strategy` (seekToBeginning/End, or after OFFSET_OUT_OF_RANGE). */
  requestReset(tp: TopicPartition, strategy: OffsetResetStrategy): void {
    const state = this.state(tp);
    state.pendingReset = strategy;
    state.awaitingCommitted = false;
    state.resetFailures = 0;
    state.resetNotBeforeMs = 0;
  }

  /**
   * Applies auto.offset.reset to assigned partitions that have no position and no reset pending.
   * Returns those it cannot help (the policy is `none`): the consumer fails with NoOffsetForPartition.
   */
  resetMissingPositions(): TopicPartition[] {
    const unresolved: TopicPartition[] = [];
    for (const state of this.partitions.values()) {
      if (state.position !== null || state.pendingReset !== null || state.awaitingCommitted) continue;
      if (this.defaultResetStrategy === 'none') unresolved.push(state.tp);
      else state.pendingReset = this.defaultResetStrategy;
    }
    return unresolved;
  }

  /** Partitions waiting for the group's committed offset. */
  partitionsAwaitingCommitted(): TopicPartition[] {
    const waiting: TopicPartition[] = [];
    for (const state of this.partitions.values()) if (state.awaitingCommitted && state.position === null && state.pendingReset === null) waiting.push(state.tp);
    return waiting;
  }

  /**
   * Ends the wait for a committed offset: the position becomes `offset`, or, with none committed (null),
   * auto.offset.reset applies. Ignored when the partition is no longer waiting (a seek came first).
   */
  completeCommittedLookup(tp: TopicPartition, offset: number | null, leaderEpoch = -1): void {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined || !state.awaitingCommitted) return;
    state.awaitingCommitted = false;
    if (offset !== null && state.position === null && state.pendingReset === null) {
      state.position = offset;
      // Committed under some epoch, possibly by another consumer long ago: validated before it is fetched
      // (Kafka's seekUnvalidated), so a log truncated since is noticed.
      setEpochs(state, leaderEpoch, -1, leaderEpoch >= 0);
    }
  }

  /** Each assigned partition with a position: what a commit of "everything consumed" sends (Kafka's `allConsumed`). */
  allConsumed(): Array<{ topic: string; partition: number; offset: number; leaderEpoch: number }> {
    const consumed: Array<{ topic: string; partition: number; offset: number; leaderEpoch: number }> = [];
    for (const state of this.partitions.values()) {
      if (state.position !== null && state.pendingReset === null) consumed.push({ topic: state.tp.topic, partition: state.tp.partition, offset: state.position, leaderEpoch: state.offsetEpoch });
    }
    return consumed;
  }

  /** Partitions whose reset may be looked up now, with the strategy of each. */
  partitionsNeedingReset(nowMs: number): Array<{ tp: TopicPartition; strategy: OffsetResetStrategy }> {
    const due: Array<{ tp: TopicPartition; strategy: OffsetResetStrategy }> = [];
    for (const state of this.partitions.values()) {
      if (state.pendingReset !== null && nowMs >= state.resetNotBeforeMs) due.push({ tp: state.tp, strategy: state.pendingReset });
    }
    return due;
  }

  /** When, after `nowMs`, the next backed-off reset may be retried, or Infinity. */
  nextResetRetryMs(nowMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.partitions.values()) {
      if (state.pendingReset !== null && state.resetNotBeforeMs > nowMs) next = Math.min(next, state.resetNotBeforeMs);
    }
    return next;
  }

  /**
   * Completes a reset with the offset the leader gave, unless the application changed its mind meanwhile
   * (a seek, another reset strategy, or an unassignment): then the answer is stale and ignored.
   */
  completeReset(tp: TopicPartition, strategy: OffsetResetStrategy, offset: number, leaderEpoch = -1, askedLeaderEpoch = -1): boolean {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined || state.pendingReset !== strategy) return false;
    state.position = offset;
    state.pendingReset = null;
    state.resetFailures = 0;
    // The leader of `askedLeaderEpoch` itself gave this offset, so it is good under that epoch.
    setEpochs(state, leaderEpoch, askedLeaderEpoch, false);
    return true;
  }

  /**
   * Compares the position's epoch with the leader epoch metadata now gives (Kafka's
   * `maybeValidatePositionForCurrentLeader`): a newer epoch puts a position that has an epoch in
   * AWAITING_VALIDATION. Returns whether the partition waits for validation.
   */
  maybeValidatePositionForCurrentLeader(tp: TopicPartition, leaderEpoch: number): boolean {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined || state.position === null || state.pendingReset !== null) return false;
    if (state.awaitingValidation || leaderEpoch < 0 || leaderEpoch <= state.validatedEpoch) return state.awaitingValidation;
    if (state.offsetEpoch < 0) state.validatedEpoch = leaderEpoch; // nothing consumed under a known epoch yet
    else state.awaitingValidation = true;
    return state.awaitingValidation;
  }

  /** Whether some position waits for validation (Kafka's AWAITING_VALIDATION), sent or not. */
  hasPositionsAwaitingValidation(): boolean {
    for (const state of this.partitions.values()) if (state.awaitingValidation) return true;
    return false;
  }

  /**
   * Kafka's `hasAllFetchPositions`: every assigned partition has a position it may be fetched from (none
   * waits for a committed offset, a reset or a validation), so poll() has no position to look up.
   */
  hasAllFetchPositions(): boolean {
    for (const state of this.partitions.values()) {
      if (state.position === null || state.pendingReset !== null || state.awaitingCommitted || state.awaitingValidation) return false;
    }
    return true;
  }

  /** Partitions whose validation may be sent now, with the position and epoch to validate. */
  partitionsNeedingValidation(nowMs: number): Array<{ tp: TopicPartition; position: number; offsetEpoch: number }> {
    const due: Array<{ tp: TopicPartition; position: number; offsetEpoch: number }> = [];
    for (const state of this.partitions.values()) {
      if (!state.awaitingValidation || state.position === null || state.pendingReset !== null || nowMs < state.validationNotBeforeMs) continue;
      due.push({ tp: state.tp, position: state.position, offsetEpoch: state.offsetEpoch });
    }
    return due;
  }

  /** Whether the partition still waits to validate exactly this position (no seek, reset or unassignment since it was asked). */
  isAwaitingValidation(tp: TopicPartition, position?: number, offsetEpoch?: number): boolean {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined || !state.awaitingValidation || state.pendingReset !== null) return false;
    return (position === undefined || state.position === position) && (offsetEpoch === undefined || state.offsetEpoch === offsetEpoch);
  }

  /** The leader of `leaderEpoch` holds everything below the position: fetch again. */
  completeValidation(tp: TopicPartition, leaderEpoch: number): void {
    const state = this.state(tp);
    state.awaitingValidation = false;
    state.validatedEpoch = Math.max(state.validatedEpoch, leaderEpoch);
    state.validationFailures = 0;
    state.validationNotBeforeMs = 0;
  }

  /** Records a failed validation; it is retried at `retryAtMs`. Returns the consecutive failures so far. */
  validationFailed(tp: TopicPartition, retryAtMs: number): number {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined) return 0;
    state.validationFailures += 1;
    state.validationNotBeforeMs = retryAtMs;
    return state.validationFailures;
  }

  validationFailures(tp: TopicPartition): number {
    return this.partitions.get(topicPartitionKey(tp.topic, tp.partition))?.validationFailures ?? 0;
  }

  /** When, after `nowMs`, the next backed-off validation may be retried, or Infinity. */
  nextValidationRetryMs(nowMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.partitions.values()) {
      if (state.awaitingValidation && state.validationNotBeforeMs > nowMs) next = Math.min(next, state.validationNotBeforeMs);
    }
    return next;
  }

  /** Records a failed reset lookup; it is retried at `retryAtMs`. Returns the consecutive failures so far. */
  resetFailed(tp: TopicPartition, retryAtMs: number): number {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined) return 0;
    state.resetFailures += 1;
    state.resetNotBeforeMs = retryAtMs;
    return state.resetFailures;
  }

  resetFailures(tp: TopicPartition): number {
    return this.partitions.get(topicPartitionKey(tp.topic, tp.partition))?.resetFailures ?? 0;
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.state(tp).paused = true;
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.state(tp).paused = false;
  }

  isPaused(tp: TopicPartition): boolean {
    return this.state(tp).paused;
  }

  paused(): TopicPartition[] {
    return [...this.partitions.values()].filter((state) => state.paused).map((state) => state.tp);
  }

  /** Assigned, not paused, with a position and no reset pending: the fetcher may read it. */
  isFetchable(tp: TopicPartition): boolean {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    return state !== undefined && isFetchableState(state);
  }

  fetchablePartitions(): TopicPartition[] {
    const fetchable: TopicPartition[] = [];
    for (const state of this.partitions.values()) if (isFetchableState(state)) fetchable.push(state.tp);
    return fetchable;
  }

  /** Moves the position forward after records were returned (or skipped); `lastEpoch` is the leader epoch of the last batch passed. */
  advance(tp: TopicPartition, nextOffset: number, lastEpoch = -1): void {
    const state = this.state(tp);
    if (state.position !== null && nextOffset < state.position) {
      throw new Error(`position of ${formatTopicPartition(tp)} would move back from ${state.position} to ${nextOffset}`);
    }
    state.position = nextOffset;
    if (lastEpoch >= 0) state.offsetEpoch = lastEpoch;
  }

  updateFetchState(tp: TopicPartition, highWatermark: number, logStartOffset: number): void {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined) return;
    if (highWatermark >= 0) state.highWatermark = highWatermark;
    if (logStartOffset >= 0) state.logStartOffset = logStartOffset;
  }

  /** The high watermark the last fetch reported, or -1 (for lag: highWatermark - position). */
  highWatermark(tp: TopicPartition): number {
    return this.state(tp).highWatermark;
  }

  private state(tp: TopicPartition): PartitionState {
    const state = this.partitions.get(topicPartitionKey(tp.topic, tp.partition));
    if (state === undefined) throw new NotAssignedError(tp);
    return state;
  }
}

/** Raised for a partition the consumer is not assigned (Java's IllegalStateException "No current assignment"). */
export class NotAssignedError extends IllegalStateError {
  override name = 'NotAssignedError';
  constructor(readonly tp: TopicPartition) {
    super(`partition ${formatTopicPartition(tp)} is not assigned to this consumer`);
  }
}
