/**
 * The one thing the replication core needs from a leader-epoch cache: Kafka's `endOffsetFor` (LeaderEpochFileCache).
 * Storage's cache satisfies it structurally, so this core does not depend on storage's internals.
 */

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export interface EpochEndOffsetLookup {
  /**
   * The latest epoch ends at `logEndOffset`; a known epoch at the next epoch's start; an epoch between known ones
   * answers the largest epoch below it and the next start; below the first, itself and the first start; an
   * undefined epoch or one above all answers (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset;
}

export function isUndefinedEpochEndOffset(answer: EpochEndOffset): boolean {
  return answer.epoch === UNDEFINED_EPOCH || answer.endOffset === UNDEFINED_EPOCH_OFFSET;
}
