import { describe, expect, it } from 'vitest';
import { checkLastFetchedEpoch } from './fetch-validation.js';
import { actionOnOffsetOutOfRange, truncationForDivergingEpoch } from './follower-truncation.js';
import { epochLookup } from './test-support.js';

// AbstractFetcherThreadTest.testDivergingEpochs: the follower has batches of epochs 0, 2, 4 at offsets 0, 1, 2; the
// leader has epochs 0, 2, 5. The follower fetches offset 3 with last fetched epoch 4.
describe('testDivergingEpochs', () => {
  const leaderEpochs = epochLookup([[0, 0], [2, 1], [5, 2]]);
  const followerEpochs = epochLookup([[0, 0], [2, 1], [4, 2]]);

  it('the leader answers DivergingEpoch (2, 2) and the follower truncates to 2', () => {
    const check = checkLastFetchedEpoch({ lastFetchedEpoch: 4, fetchOffset: 3, logStartOffset: 0, logEndOffset: 3, epochs: leaderEpochs });
    expect(check).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 2, endOffset: 2 } });
    if (check.kind !== 'diverging') return;
    expect(truncationForDivergingEpoch(check.divergingEpoch, 3, followerEpochs)).toEqual({ truncateTo: 2, complete: true });
  });
});

describe('truncationForDivergingEpoch', () => {
  it('takes the lower end when both logs have the epoch', () => {
    // The follower's epoch 3 runs to 9, the leader's to 7.
    expect(truncationForDivergingEpoch({ epoch: 3, endOffset: 7 }, 12, epochLookup([[1, 0], [3, 4], [5, 9]]))).toEqual({ truncateTo: 7, complete: true });
    // The follower's epoch 3 ends first.
    expect(truncationForDivergingEpoch({ epoch: 3, endOffset: 10 }, 12, epochLookup([[1, 0], [3, 4], [5, 9]]))).toEqual({ truncateTo: 9, complete: true });
  });

  it('truncates to the end of its largest lower epoch and asks again when it lacks the epoch (KIP-279)', () => {
    expect(truncationForDivergingEpoch({ epoch: 3, endOffset: 7 }, 12, epochLookup([[1, 0], [2, 5], [4, 8]]))).toEqual({ truncateTo: 8, complete: false });
  });

  it('never truncates by the high watermark: a follower whose log matches keeps everything up to the leader end', () => {
    // HW is not an input at all; the decision only depends on epochs, so a follower with HW 0 keeps offsets [0, 7).
    expect(truncationForDivergingEpoch({ epoch: 3, endOffset: 7 }, 7, epochLookup([[1, 0], [3, 4]]))).toEqual({ truncateTo: 7, complete: true });
  });

  it('never goes past its own LEO and handles an undefined leader epoch', () => {
    expect(truncationForDivergingEpoch({ epoch: -1, endOffset: 20 }, 12, epochLookup([[1, 0]]))).toEqual({ truncateTo: 12, complete: true });
    expect(truncationForDivergingEpoch({ epoch: 3, endOffset: 5 }, 4, epochLookup([]))).toEqual({ truncateTo: 4, complete: true });
  });
});

describe('actionOnOffsetOutOfRange (testFollowerFetchOutOfRangeHigh / Low)', () => {
  it('truncates to a leader LEO below its own (after an unclean election)', () => {
    expect(actionOnOffsetOutOfRange(10, 0, 8)).toEqual({ action: 'truncate', truncateTo: 8 });
  });

  it('restarts at the leader log start when its own end is below it', () => {
    expect(actionOnOffsetOutOfRange(3, 5, 10)).toEqual({ action: 'restart-at', offset: 5 });
  });

  it('otherwise fetches again from its own end', () => {
    expect(actionOnOffsetOutOfRange(6, 5, 10)).toEqual({ action: 'continue', fetchOffset: 6 });
  });
});

// KIP-279's multi-round case: the follower led epochs 1 and 3 briefly (never committed past offset 2); the leader's
// log went 0, 2, 4. Each round the follower truncates and asks again until its last epoch matches the leader's log.
describe('divergence over several rounds (KIP-279)', () => {
  const leader = { logStartOffset: 0, logEndOffset: 8, epochs: epochLookup([[0, 0], [2, 2], [4, 5]]) };

  it('converges on the common prefix [0, 2)', () => {
    const first = checkLastFetchedEpoch({ ...leader, lastFetchedEpoch: 3, fetchOffset: 6 });
    expect(first).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 2, endOffset: 5 } });
    if (first.kind !== 'diverging') return;
    expect(truncationForDivergingEpoch(first.divergingEpoch, 6, epochLookup([[0, 0], [1, 2], [3, 4]]))).toEqual({ truncateTo: 4, complete: false });

    // After truncating to 4 the follower's cache keeps (0, 0) and (1, 2); its last epoch is 1.
    const second = checkLastFetchedEpoch({ ...leader, lastFetchedEpoch: 1, fetchOffset: 4 });
    expect(second).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 0, endOffset: 2 } });
    if (second.kind !== 'diverging') return;
    expect(truncationForDivergingEpoch(second.divergingEpoch, 4, epochLookup([[0, 0], [1, 2]]))).toEqual({ truncateTo: 2, complete: true });

    expect(checkLastFetchedEpoch({ ...leader, lastFetchedEpoch: 0, fetchOffset: 2 })).toEqual({ kind: 'consistent' });
  });
});
