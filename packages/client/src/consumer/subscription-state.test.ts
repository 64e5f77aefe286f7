import { describe, expect, it } from 'vitest';
import { IllegalStateError } from '../errors.js';
import { SubscriptionState } from './subscription-state.js';

const tp = (topic: string, partition: number) => ({ topic, partition });

describe('SubscriptionState', () => {
  it('starts assigned partitions without a position, so they are not fetchable', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0), tp('a', 1)]);
    expect(state.assignedPartitions()).toEqual([tp('a', 0), tp('a', 1)]);
    expect(state.position(tp('a', 0))).toBeNull();
    expect(state.fetchablePartitions()).toEqual([]);
  });

  it('keeps the position and pause of partitions that stay assigned and reports those dropped', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0), tp('a', 1)]);
    state.seek(tp('a', 0), 42);
    state.pause([tp('a', 0)]);
    expect(state.assign([tp('a', 0), tp('b', 0)])).toEqual([tp('a', 1)]);
    expect(state.position(tp('a', 0))).toBe(42);
    expect(state.isPaused(tp('a', 0))).toBe(true);
    expect(state.isAssigned(tp('a', 1))).toBe(false);
  });

  it('applies auto.offset.reset to partitions without a position', () => {
    const state = new SubscriptionState('latest');
    state.assign([tp('a', 0), tp('a', 1)]);
    state.seek(tp('a', 1), 5);
    expect(state.resetMissingPositions()).toEqual([]);
    expect(state.partitionsNeedingReset(0)).toEqual([{ tp: tp('a', 0), strategy: 'latest' }]);
  });

  it('reports partitions it cannot position when auto.offset.reset is none', () => {
    const state = new SubscriptionState('none');
    state.assign([tp('a', 0)]);
    expect(state.resetMissingPositions()).toEqual([tp('a', 0)]);
    expect(state.partitionsNeedingReset(0)).toEqual([]);
  });

  it('hides the position while a reset is pending and completes it with the looked-up offset', () => {
    const state = new SubscriptionState('none');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 10);
    state.requestReset(tp('a', 0), 'earliest');
    expect(state.position(tp('a', 0))).toBeNull();
    expect(state.isFetchable(tp('a', 0))).toBe(false);
    expect(state.completeReset(tp('a', 0), 'earliest', 3)).toBe(true);
    expect(state.position(tp('a', 0))).toBe(3);
    expect(state.isFetchable(tp('a', 0))).toBe(true);
  });

  it('ignores a reset answer that a later seek or strategy made stale', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.requestReset(tp('a', 0), 'earliest');
    state.seek(tp('a', 0), 7);
    expect(state.completeReset(tp('a', 0), 'earliest', 0)).toBe(false);
    expect(state.position(tp('a', 0))).toBe(7);
    state.requestReset(tp('a', 0), 'latest');
    expect(state.completeReset(tp('a', 0), 'earliest', 0)).toBe(false);
    expect(state.partitionsNeedingReset(0)).toEqual([{ tp: tp('a', 0), strategy: 'latest' }]);
  });

  it('holds a failed reset back until its retry time', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.resetMissingPositions();
    expect(state.resetFailed(tp('a', 0), 1_100)).toBe(1);
    expect(state.partitionsNeedingReset(1_000)).toEqual([]);
    expect(state.nextResetRetryMs(1_000)).toBe(1_100);
    expect(state.nextResetRetryMs(1_100)).toBe(Number.POSITIVE_INFINITY);
    expect(state.partitionsNeedingReset(1_100)).toHaveLength(1);
  });

  it('does not fetch paused partitions until resumed', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 0);
    state.pause([tp('a', 0)]);
    expect(state.fetchablePartitions()).toEqual([]);
    expect(state.paused()).toEqual([tp('a', 0)]);
    state.resume([tp('a', 0)]);
    expect(state.fetchablePartitions()).toEqual([tp('a', 0)]);
  });

  it('refuses calls about partitions that are not assigned', () => {
    const state = new SubscriptionState('earliest');
    expect(() => state.seek(tp('a', 0), 1)).toThrow(IllegalStateError);
    expect(() => state.pause([tp('a', 0)])).toThrow(/not assigned/);
  });

  it('never moves a position backwards', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 10);
    expect(() => state.advance(tp('a', 0), 9)).toThrow(/move back/);
    state.advance(tp('a', 0), 12);
    expect(state.position(tp('a', 0))).toBe(12);
  });

  it('waits for the committed offset before auto.offset.reset applies to a partition assigned by a group', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0), tp('a', 1)], { awaitCommitted: true });
    expect(state.resetMissingPositions()).toEqual([]);
    expect(state.partitionsNeedingReset(0)).toEqual([]);
    expect(state.partitionsAwaitingCommitted()).toEqual([tp('a', 0), tp('a', 1)]);
    state.completeCommittedLookup(tp('a', 0), 7);
    state.completeCommittedLookup(tp('a', 1), null);
    expect(state.position(tp('a', 0))).toBe(7);
    state.resetMissingPositions();
    expect(state.partitionsNeedingReset(0)).toEqual([{ tp: tp('a', 1), strategy: 'earliest' }]);
    expect(state.partitionsAwaitingCommitted()).toEqual([]);
  });

  it('lets a seek win over a committed offset that arrives later', () => {
    const state = new SubscriptionState('latest');
    state.assign([tp('a', 0)], { awaitCommitted: true });
    state.seek(tp('a', 0), 3);
    state.completeCommittedLookup(tp('a', 0), 9);
    expect(state.position(tp('a', 0))).toBe(3);
  });

  it('lists every consumed position for a commit of everything', () => {
    const state = new SubscriptionState('none');
    state.assign([tp('a', 0), tp('a', 1), tp('b', 0)]);
    state.seek(tp('a', 0), 5);
    state.seek(tp('b', 0), 2);
    state.requestReset(tp('b', 0), 'latest');
    expect(state.allConsumed()).toEqual([{ topic: 'a', partition: 0, offset: 5, leaderEpoch: -1 }]);
  });
});

describe('SubscriptionState position validation (KIP-320)', () => {
  it('commits the leader epoch of the last record consumed with the position', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 0);
    state.advance(tp('a', 0), 10, 3);
    expect(state.allConsumed()).toEqual([{ topic: 'a', partition: 0, offset: 10, leaderEpoch: 3 }]);
  });

  it('FETCHING -> AWAITING_VALIDATION when metadata names a newer leader epoch than the position was read under', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 0);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 3)).toBe(false); // first sight: good under 3
    state.advance(tp('a', 0), 10, 3);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 3)).toBe(false);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 4)).toBe(true);
    expect(state.isFetchable(tp('a', 0))).toBe(false);
    expect(state.partitionsNeedingValidation(0)).toEqual([{ tp: tp('a', 0), position: 10, offsetEpoch: 3 }]);
    state.completeValidation(tp('a', 0), 4);
    expect(state.isFetchable(tp('a', 0))).toBe(true);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 4)).toBe(false);
  });

  it('does not validate a position with no epoch (a plain seek), nor on an older epoch from stale metadata', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 7);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 5)).toBe(false);
    state.advance(tp('a', 0), 8, 5);
    expect(state.maybeValidatePositionForCurrentLeader(tp('a', 0), 4)).toBe(false);
    expect(state.isFetchable(tp('a', 0))).toBe(true);
  });

  it('validates a committed position that carries an epoch before fetching it, and not one without', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0), tp('a', 1)], { awaitCommitted: true });
    state.completeCommittedLookup(tp('a', 0), 20, 2);
    state.completeCommittedLookup(tp('a', 1), 20, -1);
    expect(state.isAwaitingValidation(tp('a', 0))).toBe(true);
    expect(state.fetchablePartitions()).toEqual([tp('a', 1)]);
  });

  it('a seek during validation ends it: the answer for the old position is stale', () => {
    const state = new SubscriptionState('earliest');
    state.assign([tp('a', 0)]);
    state.seek(tp('a', 0), 0);
    state.maybeValidatePositionForCurrentLeader(tp('a', 0), 1);
    state.advance(tp('a', 0), 5, 1);
    state.maybeValidatePositionForCurrentLeader(tp('a', 0), 2);
    expect(state.isAwaitingValidation(tp('a', 0), 5, 1)).toBe(true);
    state.seek(tp('a', 0), 3);
    expect(state.isAwaitingValidation(tp('a', 0), 5, 1)).toBe(false);
    expect(state.isFetchable(tp('a', 0))).toBe(true);
  });
});
