import { describe, expect, it } from 'vitest';
import { checkCurrentLeaderEpoch, checkFollowerAssigned, checkFollowerBrokerEpoch, checkLastFetchedEpoch } from './fetch-validation.js';
import { epochLookup } from './test-support.js';

describe('checkCurrentLeaderEpoch', () => {
  it('fences an older epoch, does not know a newer one, accepts the current one or none', () => {
    expect(checkCurrentLeaderEpoch(4, 5)).toBe('FENCED_LEADER_EPOCH');
    expect(checkCurrentLeaderEpoch(6, 5)).toBe('UNKNOWN_LEADER_EPOCH');
    expect(checkCurrentLeaderEpoch(5, 5)).toBe('NONE');
    expect(checkCurrentLeaderEpoch(-1, 5)).toBe('NONE');
  });
});

describe('checkFollowerAssigned and checkFollowerBrokerEpoch', () => {
  it('refuses a replica that is not assigned: UNKNOWN_LEADER_EPOCH with an epoch, else NOT_LEADER_OR_FOLLOWER', () => {
    expect(checkFollowerAssigned([0, 1, 2], 1, 5)).toBe('NONE');
    expect(checkFollowerAssigned([0, 1, 2], 3, 5)).toBe('UNKNOWN_LEADER_EPOCH');
    expect(checkFollowerAssigned([0, 1, 2], 3, -1)).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('refuses a fetch from an older broker incarnation (KIP-903)', () => {
    expect(checkFollowerBrokerEpoch(40, 41)).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(checkFollowerBrokerEpoch(41, 41)).toBe('NONE');
    expect(checkFollowerBrokerEpoch(42, 41)).toBe('NONE');
    expect(checkFollowerBrokerEpoch(undefined, 41)).toBe('NONE');
  });
});

// PartitionTest.testLastFetchedOffsetValidation: epochs 0@[0,2), 3@[2,8), 4@[8,13), 7@[13,14), 9@[14,17); the broker
// then becomes leader in epoch 10 with LEO 17, which adds (10, 17) to its cache.
describe('checkLastFetchedEpoch (testLastFetchedOffsetValidation)', () => {
  const epochs = epochLookup([[0, 0], [3, 2], [4, 8], [7, 13], [9, 14], [10, 17]]);
  const check = (lastFetchedEpoch: number, fetchOffset: number) => checkLastFetchedEpoch({ lastFetchedEpoch, fetchOffset, logStartOffset: 0, logEndOffset: 17, epochs });

  it('reports the diverging epoch and where it ends in the leader log', () => {
    expect(check(2, 5)).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 0, endOffset: 2 } });
    expect(check(6, 6)).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 4, endOffset: 13 } });
    expect(check(10, 18)).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 10, endOffset: 17 } });
  });

  it('accepts fetches consistent with the leader log', () => {
    expect(check(0, 2)).toEqual({ kind: 'consistent' });
    expect(check(7, 14)).toEqual({ kind: 'consistent' });
    expect(check(10, 17)).toEqual({ kind: 'consistent' });
  });

  it('answers OFFSET_OUT_OF_RANGE for an epoch beyond the leader epoch', () => {
    expect(check(11, 5)).toEqual({ kind: 'error', error: 'OFFSET_OUT_OF_RANGE' });
  });

  it('answers OFFSET_OUT_OF_RANGE for a fetch offset outside the log without a last fetched epoch', () => {
    expect(checkLastFetchedEpoch({ lastFetchedEpoch: -1, fetchOffset: 18, logStartOffset: 0, logEndOffset: 17, epochs })).toEqual({ kind: 'error', error: 'OFFSET_OUT_OF_RANGE' });
    expect(checkLastFetchedEpoch({ lastFetchedEpoch: -1, fetchOffset: 2, logStartOffset: 5, logEndOffset: 17, epochs })).toEqual({ kind: 'error', error: 'OFFSET_OUT_OF_RANGE' });
    expect(checkLastFetchedEpoch({ lastFetchedEpoch: -1, fetchOffset: 17, logStartOffset: 0, logEndOffset: 17, epochs })).toEqual({ kind: 'consistent' });
  });
});
