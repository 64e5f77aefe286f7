/**
 * What the Raft core reads from the replicated log (`__cluster_metadata-0`): its end offset, the epoch of its last
 * record, and the leader-epoch cache's `endOffsetFor`. Storage's LeaderEpochCache satisfies the lookup
 * structurally, so the core depends on no storage internals.
 */

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface OffsetAndEpoch {
  readonly offset: number;
  readonly epoch: number;
}

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export interface EpochEndOffsetLookup {
  /** Kafka's LeaderEpochFileCache.endOffsetFor: (largest epoch <= requested, where the next epoch starts), or (-1, -1). */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset;
}

export interface RaftLogView {
  readonly logEndOffset: number;
  /** The epoch of the last record (0 when the log is empty). */
  readonly lastFetchedEpoch: number;
  readonly epochs: EpochEndOffsetLookup;
}

/**
 * Where `epoch` ends in this log (KafkaMetadataLog.endOffsetForEpoch): the cache's answer, or this log's end and
 * last epoch when the cache cannot place it.
 */
export function endOffsetForEpoch(log: RaftLogView, epoch: number): OffsetAndEpoch {
  const answer = log.epochs.endOffsetFor(epoch, log.logEndOffset);
  if (answer.epoch === UNDEFINED_EPOCH || answer.endOffset === UNDEFINED_EPOCH_OFFSET) {
    return { offset: log.logEndOffset, epoch: log.lastFetchedEpoch };
  }
  return { offset: answer.endOffset, epoch: answer.epoch };
}

/** Raft's up-to-date check: compare the last epoch first, then the end offset. */
export function isLogUpToDate(remote: OffsetAndEpoch, local: OffsetAndEpoch): boolean {
  if (remote.epoch !== local.epoch) return remote.epoch > local.epoch;
  return remote.offset >= local.offset;
}
