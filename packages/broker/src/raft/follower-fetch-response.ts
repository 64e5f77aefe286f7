/**
 * A Follower (voter or observer) handling its leader's Fetch answer (KafkaRaftClient.handleFetchResponse,
 * ReplicatedLog.truncateToEndOffset, FollowerState.updateHighWatermark). `DivergingEpoch` means truncate, never
 * below the local high watermark (committed data cannot diverge: that would be a fatal bug); otherwise the records
 * are appended, and then `completeFollowerFetch` sets HW := min(leader HW, local LEO), which never goes back.
 * Voters fsync what they appended before sending the next Fetch, as the leader counts the fetch offset as durable.
 */
import type { ErrorName } from '@kactor/protocol';
import { maybeHandleCommonResponse } from './common-response.js';
import type { ElectionState } from './election-state.js';
import { endOffsetForEpoch, type OffsetAndEpoch, type RaftLogView } from './log-view.js';
import { RaftInvariantError, assertHighWatermarkMove } from './raft-errors.js';
import type { QuorumState, RaftStepContext } from './quorum-state.js';

export interface RaftFetchResponse {
  readonly errorCode: ErrorName;
  /** -1 when the leader does not know it yet. */
  readonly highWatermark: number;
  /** Present (epoch >= 0) when the follower's log diverges from the leader's. */
  readonly divergingEpoch?: OffsetAndEpoch;
  readonly leaderId?: number;
  readonly leaderEpoch: number;
  /** Present when the log this replica asks for is gone: read this snapshot with FetchSnapshot (KIP-630). */
  readonly snapshotId?: OffsetAndEpoch;
}

export type FollowerFetchDecision =
  | { readonly kind: 'truncate'; readonly quorum: QuorumState; readonly persist?: ElectionState; readonly truncateToOffset: number }
  | { readonly kind: 'append'; readonly quorum: QuorumState; readonly persist?: ElectionState }
  /** The leader names a snapshot to read first (its log below our fetch offset is gone). */
  | { readonly kind: 'fetch-snapshot'; readonly quorum: QuorumState; readonly persist?: ElectionState; readonly snapshotId: OffsetAndEpoch }
  /** The answer was stale, moved this replica to another state, or was an error to back off from. */
  | { readonly kind: 'no-fetch-progress'; readonly quorum: QuorumState; readonly persist?: ElectionState; readonly errorCode: ErrorName };

/**
 * Where to cut the log so it ends where the leader's does for `diverging.epoch`: the leader's end offset if this log
 * also has that epoch (and reaches at least that far), else where this log's nearest lower epoch ends.
 */
export function truncationOffsetFor(log: RaftLogView, diverging: OffsetAndEpoch): number {
  if (diverging.epoch === 0) return Math.min(diverging.offset, log.logEndOffset);
  const local = endOffsetForEpoch(log, diverging.epoch);
  return local.epoch === diverging.epoch ? Math.min(local.offset, diverging.offset) : local.offset;
}

export function decideFollowerFetch(quorum: QuorumState, response: RaftFetchResponse, log: RaftLogView, context: RaftStepContext): FollowerFetchDecision {
  const leaderId = response.leaderId === undefined || response.leaderId < 0 ? undefined : response.leaderId;
  const common = maybeHandleCommonResponse(quorum, { errorCode: response.errorCode, epoch: response.leaderEpoch, ...(leaderId === undefined ? {} : { leaderId }) }, context);
  const persist = common.kind === 'backoff' || common.persist === undefined ? {} : { persist: common.persist };
  const current = common.quorum;
  if (common.kind !== 'continue' || response.errorCode !== 'NONE' || current.state.name !== 'Follower') {
    return { kind: 'no-fetch-progress', quorum: current, ...persist, errorCode: response.errorCode };
  }
  const snapshotId = response.snapshotId;
  if (snapshotId !== undefined && snapshotId.epoch >= 0 && snapshotId.offset >= 0) {
    // Kafka expects the snapshot past the local log end: it replaces a log the leader no longer has.
    const highWatermark = current.state.highWatermark;
    if (highWatermark !== undefined && snapshotId.offset < highWatermark) {
      throw new RaftInvariantError('snapshot-below-high-watermark', `leader named snapshot ${snapshotId.offset}-${snapshotId.epoch} below the high watermark ${highWatermark}`);
    }
    return { kind: 'fetch-snapshot', quorum: current, ...persist, snapshotId };
  }
  const diverging = response.divergingEpoch;
  if (diverging !== undefined && diverging.epoch >= 0) {
    const highWatermark = current.state.highWatermark;
    if (highWatermark !== undefined && diverging.offset < highWatermark) {
      throw new RaftInvariantError('truncation-below-high-watermark', `leader asked to truncate to ${diverging.offset} (epoch ${diverging.epoch}) below the high watermark ${highWatermark}`);
    }
    return { kind: 'truncate', quorum: current, ...persist, truncateToOffset: truncationOffsetFor(log, diverging) };
  }
  return { kind: 'append', quorum: current, ...persist };
}

export interface CompletedFetch {
  /** The leader's high watermark from the answer, -1 if unknown (or after a truncation, where none applies). */
  readonly leaderHighWatermark: number;
  /** The local log end offset after appending (or truncating). */
  readonly logEndOffset: number;
  readonly nowMs: number;
}

/**
 * After a successful Fetch: the leader is alive (fetch timer restarts, no more PreVotes granted) and the high
 * watermark moves to min(leader HW, LEO); a value below the known one is a bug and throws.
 */
export function completeFollowerFetch(quorum: QuorumState, fetch: CompletedFetch): QuorumState {
  const state = quorum.state;
  if (state.name !== 'Follower') return quorum;
  let highWatermark = state.highWatermark;
  if (fetch.leaderHighWatermark >= 0) {
    const next = Math.min(fetch.leaderHighWatermark, fetch.logEndOffset);
    assertHighWatermarkMove(highWatermark, next);
    highWatermark = next;
  }
  return {
    ...quorum,
    state: {
      ...state,
      fetchDeadlineMs: fetch.nowMs + quorum.config.fetchTimeoutMs,
      hasFetchedFromLeader: true,
      ...(highWatermark === undefined ? {} : { highWatermark }),
    },
  };
}

/**
 * EndQuorumEpoch from the leader this replica follows: start the election after `backoffMs` (0 for the first
 * preferred successor, see endEpochElectionBackoffMs) instead of waiting for the whole fetch timeout.
 */
export function overrideFetchTimeout(quorum: QuorumState, nowMs: number, backoffMs: number): QuorumState {
  if (quorum.state.name !== 'Follower') return quorum;
  return { ...quorum, state: { ...quorum.state, fetchDeadlineMs: nowMs + backoffMs } };
}
