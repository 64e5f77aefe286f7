/**
 * One follower Fetch at the leader, start to end (Partition.fetchRecords for a replica): the checks in Kafka's
 * order, then the follower's new position. Only a fetch that passes every check and reveals no divergence moves
 * the follower's state; the caller then tries an ISR expansion and recomputes the HW (isr-changes.ts,
 * high-watermark.ts) and reads the records.
 */
import type { EpochEndOffset, EpochEndOffsetLookup } from './epoch-lookup.js';
import { checkCurrentLeaderEpoch, checkFollowerAssigned, checkFollowerBrokerEpoch, checkLastFetchedEpoch } from './fetch-validation.js';
import { followerFetched, unknownFollowerState, type FollowerReplicaState } from './replica-state.js';

export interface FollowerFetchRequest {
  readonly replicaId: number;
  /** From the fetch's ReplicaState (KIP-903); undefined for older versions. */
  readonly brokerEpoch: number | undefined;
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  readonly lastFetchedEpoch: number;
  readonly logStartOffset: number;
}

export interface LeaderViewForFetch {
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly epochs: EpochEndOffsetLookup;
  readonly followers: readonly FollowerReplicaState[];
  readonly nowMs: number;
}

export type FollowerFetchOutcome =
  | { readonly kind: 'read'; readonly follower: FollowerReplicaState }
  | { readonly kind: 'diverging'; readonly divergingEpoch: EpochEndOffset }
  | { readonly kind: 'error'; readonly error: 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | 'NOT_LEADER_OR_FOLLOWER' | 'OFFSET_OUT_OF_RANGE' };

export function handleFollowerFetch(view: LeaderViewForFetch, request: FollowerFetchRequest): FollowerFetchOutcome {
  const epochError = checkCurrentLeaderEpoch(request.currentLeaderEpoch, view.leaderEpoch);
  if (epochError !== 'NONE') return { kind: 'error', error: epochError };
  const assignmentError = checkFollowerAssigned(view.replicas, request.replicaId, request.currentLeaderEpoch);
  if (assignmentError !== 'NONE') return { kind: 'error', error: assignmentError };
  const logCheck = checkLastFetchedEpoch({
    lastFetchedEpoch: request.lastFetchedEpoch,
    fetchOffset: request.fetchOffset,
    logStartOffset: view.logStartOffset,
    logEndOffset: view.logEndOffset,
    epochs: view.epochs,
  });
  if (logCheck.kind !== 'consistent') return logCheck;
  const previous = view.followers.find((follower) => follower.brokerId === request.replicaId) ?? unknownFollowerState(request.replicaId);
  const brokerEpochError = checkFollowerBrokerEpoch(request.brokerEpoch, previous.brokerEpoch);
  if (brokerEpochError !== 'NONE') return { kind: 'error', error: brokerEpochError };
  const fetch = { fetchOffset: request.fetchOffset, logStartOffset: request.logStartOffset, fetchTimeMs: view.nowMs, leaderLogEndOffset: view.logEndOffset };
  return { kind: 'read', follower: followerFetched(previous, request.brokerEpoch === undefined ? fetch : { ...fetch, brokerEpoch: request.brokerEpoch }) };
}
