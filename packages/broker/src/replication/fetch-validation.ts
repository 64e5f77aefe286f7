/**
 * The leader's checks on a follower's Fetch before it records the follower's position (Partition.fetchRecords,
 * readFromLocalLog; KIP-320 https://cwiki.apache.org/confluence/display/KAFKA/KIP-320%3A+Allow+fetchers+to+detect+and+handle+log+truncation).
 * A fetch that fails a check or reveals divergence updates nothing: no follower LEO, no ISR change, no HW move.
 */
import { isUndefinedEpochEndOffset, type EpochEndOffset, type EpochEndOffsetLookup } from './epoch-lookup.js';

/** A request without a leader epoch (-1, pre-KIP-320 clients) is not checked. */
export const NO_LEADER_EPOCH = -1;

/** Older than the leader's epoch: FENCED_LEADER_EPOCH (the sender is behind); newer: UNKNOWN_LEADER_EPOCH (this broker is). */
export function checkCurrentLeaderEpoch(requestLeaderEpoch: number, localLeaderEpoch: number): 'NONE' | 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' {
  if (requestLeaderEpoch === NO_LEADER_EPOCH || requestLeaderEpoch === localLeaderEpoch) return 'NONE';
  return requestLeaderEpoch < localLeaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
}

/**
 * The fetching replica must be assigned to the partition (Partition.followerReplicaOrThrow). A request carrying a
 * leader epoch gets UNKNOWN_LEADER_EPOCH, as the assignment may just not have reached this broker yet.
 */
export function checkFollowerAssigned(replicas: readonly number[], replicaId: number, requestLeaderEpoch: number): 'NONE' | 'UNKNOWN_LEADER_EPOCH' | 'NOT_LEADER_OR_FOLLOWER' {
  if (replicas.includes(replicaId)) return 'NONE';
  return requestLeaderEpoch === NO_LEADER_EPOCH ? 'NOT_LEADER_OR_FOLLOWER' : 'UNKNOWN_LEADER_EPOCH';
}

/** A fetch from an older incarnation of the follower (a lower broker epoch than already seen, KIP-903) is refused. */
export function checkFollowerBrokerEpoch(requestBrokerEpoch: number | undefined, recordedBrokerEpoch: number | undefined): 'NONE' | 'NOT_LEADER_OR_FOLLOWER' {
  if (requestBrokerEpoch === undefined || recordedBrokerEpoch === undefined) return 'NONE';
  return requestBrokerEpoch < recordedBrokerEpoch ? 'NOT_LEADER_OR_FOLLOWER' : 'NONE';
}

export interface LastFetchedEpochInputs {
  /** The epoch of the last batch the follower has; -1 when it has none or the request predates Fetch v12. */
  readonly lastFetchedEpoch: number;
  readonly fetchOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly epochs: EpochEndOffsetLookup;
}

export type LastFetchedEpochCheck =
  | { readonly kind: 'consistent' }
  | { readonly kind: 'diverging'; readonly divergingEpoch: EpochEndOffset }
  | { readonly kind: 'error'; readonly error: 'OFFSET_OUT_OF_RANGE' };

/**
 * Where the leader's log ends for the follower's last epoch: if that is before the fetch offset, or the leader only
 * knows an older epoch there, the logs diverge and the answer carries `DivergingEpoch` instead of records; the
 * follower truncates to it (follower-truncation.ts). An epoch the leader cannot place, or a fetch offset outside
 * [log start, LEO], is OFFSET_OUT_OF_RANGE.
 */
export function checkLastFetchedEpoch(inputs: LastFetchedEpochInputs): LastFetchedEpochCheck {
  const outOfRange = { kind: 'error', error: 'OFFSET_OUT_OF_RANGE' } as const;
  if (inputs.lastFetchedEpoch !== NO_LEADER_EPOCH) {
    const leaderEnd = inputs.epochs.endOffsetFor(inputs.lastFetchedEpoch, inputs.logEndOffset);
    if (isUndefinedEpochEndOffset(leaderEnd)) return outOfRange;
    if (leaderEnd.endOffset < inputs.fetchOffset || leaderEnd.epoch < inputs.lastFetchedEpoch) {
      return { kind: 'diverging', divergingEpoch: { epoch: leaderEnd.epoch, endOffset: leaderEnd.endOffset } };
    }
  }
  if (inputs.fetchOffset < inputs.logStartOffset || inputs.fetchOffset > inputs.logEndOffset) return outOfRange;
  return { kind: 'consistent' };
}
