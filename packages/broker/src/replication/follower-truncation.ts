/**
 * The follower's side of divergence (AbstractFetcherThread.getOffsetTruncationState, "truncate on fetch",
 * KAFKA-10554; KIP-101 and KIP-279: https://cwiki.apache.org/confluence/display/KAFKA/KIP-279%3A+Fix+log+divergence+between+leader+and+follower+after+fast+leader+fail+over).
 * A follower truncates by leader epoch, never to its own high watermark: the HW it knows lags the leader's, so
 * truncating to it would throw away committed records, and keeping past it could keep records the leader lacks.
 */
import { isUndefinedEpochEndOffset, UNDEFINED_EPOCH, type EpochEndOffset, type EpochEndOffsetLookup } from './epoch-lookup.js';

export interface TruncationDecision {
  readonly truncateTo: number;
  /** False when the follower lacked the leader's epoch: the next fetch checks again from the new end (KIP-279). */
  readonly complete: boolean;
}

/**
 * - The follower has the diverging epoch E: truncate to the lower of where E ends in its log and in the leader's.
 * - It lacks E: truncate to the end of its largest epoch below E and fetch again.
 * - It has no epoch at or below E: truncate to the leader's end of E.
 * Never past the follower's own LEO.
 */
export function truncationForDivergingEpoch(divergingEpoch: EpochEndOffset, logEndOffset: number, epochs: EpochEndOffsetLookup): TruncationDecision {
  if (divergingEpoch.epoch === UNDEFINED_EPOCH) return { truncateTo: Math.min(divergingEpoch.endOffset, logEndOffset), complete: true };
  const own = epochs.endOffsetFor(divergingEpoch.epoch, logEndOffset);
  if (isUndefinedEpochEndOffset(own)) return { truncateTo: Math.min(divergingEpoch.endOffset, logEndOffset), complete: true };
  if (own.epoch !== divergingEpoch.epoch) return { truncateTo: Math.min(own.endOffset, logEndOffset), complete: false };
  return { truncateTo: Math.min(own.endOffset, divergingEpoch.endOffset, logEndOffset), complete: true };
}

export type OutOfRangeAction = { readonly action: 'truncate'; readonly truncateTo: number } | { readonly action: 'restart-at'; readonly offset: number } | { readonly action: 'continue'; readonly fetchOffset: number };

/**
 * OFFSET_OUT_OF_RANGE on a follower fetch (AbstractFetcherThread.fetchOffsetAndTruncate): a leader whose log ends
 * before the follower's (after an unclean election) makes the follower truncate to it; a leader whose log starts
 * after the follower's end makes it wipe its log and start there; otherwise it fetches from its own end again.
 */
export function actionOnOffsetOutOfRange(logEndOffset: number, leaderLogStartOffset: number, leaderLogEndOffset: number): OutOfRangeAction {
  if (leaderLogEndOffset < logEndOffset) return { action: 'truncate', truncateTo: leaderLogEndOffset };
  if (leaderLogStartOffset > logEndOffset) return { action: 'restart-at', offset: leaderLogStartOffset };
  return { action: 'continue', fetchOffset: logEndOffset };
}
