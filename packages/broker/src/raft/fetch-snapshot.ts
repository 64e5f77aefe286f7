/**
 * FetchSnapshot (api key 59, KIP-630; Kafka's KafkaRaftClient.handleFetchSnapshotRequest / handleFetchSnapshotResponse):
 * a replica whose Fetch was answered with a `SnapshotId` reads that snapshot from the leader in chunks, from position
 * 0 until its size, then installs it (its whole log replaced, the log continuing at the snapshot's end).
 *
 * The leader checks in Kafka's order: cluster id, partition, leader-only epoch checks (whose errors name the leader
 * it knows), SNAPSHOT_NOT_FOUND for an id it does not hold, POSITION_OUT_OF_RANGE for a position outside
 * [0, size); then it answers up to min(MaxBytes, its chunk bound) bytes from the position, which may end inside a
 * batch (`UnalignedRecords`). The follower appends a chunk only if it is the snapshot it is fetching, at the position
 * it has reached.
 */
import type { ErrorName } from '@kactor/protocol';
import { updateCheckQuorumForFollowingVoter } from './check-quorum.js';
import { validateLeaderOnlyRequest } from './leader-fetch.js';
import type { OffsetAndEpoch } from './log-view.js';
import { leaderIdOrSentinel, type QuorumState } from './quorum-state.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from './vote-request.js';

export interface RaftFetchSnapshotRequest {
  readonly clusterId?: string;
  readonly topicName: string;
  readonly partitionIndex: number;
  readonly replicaId: number;
  readonly maxBytes: number;
  readonly currentLeaderEpoch: number;
  readonly snapshotId: OffsetAndEpoch;
  readonly position: number;
}

export interface RaftFetchSnapshotResponse {
  readonly errorCode: ErrorName;
  readonly leaderId?: number;
  readonly leaderEpoch: number;
  readonly snapshotId: OffsetAndEpoch;
  /** The whole snapshot's size in bytes; -1 with an error. */
  readonly size: number;
  /** Where `bytes` starts in the snapshot; -1 with an error. */
  readonly position: number;
  /** The chunk (Kafka's UnalignedRecords); may end inside a record batch. */
  readonly bytes?: Uint8Array;
}

/** What a leader reads its snapshots through (storage's SnapshotStore). */
export interface SnapshotReader {
  /** The snapshot's size, or undefined when there is no such snapshot. */
  sizeOf(id: OffsetAndEpoch): number | undefined;
  read(id: OffsetAndEpoch, position: number, maxBytes: number): Uint8Array;
}

export interface LeaderFetchSnapshotContext {
  readonly clusterId: string;
  /** The most bytes one answer carries (Kafka's MAX_FETCH_SIZE_BYTES bounds it too). */
  readonly maxChunkBytes: number;
  readonly snapshots: SnapshotReader;
  /** The clock, for the check-quorum timer a voter's request restarts. */
  readonly nowMs?: number;
}

export type LeaderFetchSnapshotOutcome =
  | { readonly kind: 'top-level-error'; readonly errorCode: ErrorName }
  /** `quorum`: the leader's state after the request (a voter reading a snapshot still counts for check-quorum). */
  | { readonly kind: 'answer'; readonly response: RaftFetchSnapshotResponse; readonly quorum?: QuorumState };

export function handleFetchSnapshotRequest(quorum: QuorumState | undefined, request: RaftFetchSnapshotRequest, context: LeaderFetchSnapshotContext): LeaderFetchSnapshotOutcome {
  if (request.clusterId !== undefined && request.clusterId !== context.clusterId) return { kind: 'top-level-error', errorCode: 'INCONSISTENT_CLUSTER_ID' };
  if (request.topicName !== CLUSTER_METADATA_TOPIC || request.partitionIndex !== CLUSTER_METADATA_PARTITION || quorum === undefined) return { kind: 'top-level-error', errorCode: 'INVALID_REQUEST' };
  const leader = { leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch };
  const failed = (errorCode: ErrorName): LeaderFetchSnapshotOutcome => ({ kind: 'answer', response: { errorCode, ...leader, snapshotId: request.snapshotId, size: -1, position: -1 } });
  const leaderOnly = validateLeaderOnlyRequest(quorum, request.currentLeaderEpoch);
  if (leaderOnly !== 'NONE') return failed(leaderOnly);
  // A voter reading a snapshot follows this leader as much as one fetching the log (Kafka updates check-quorum here too).
  const state = quorum.state;
  const following = state.name === 'Leader' && request.replicaId >= 0 ? { quorum: { ...quorum, state: { ...state, leader: updateCheckQuorumForFollowingVoter(state.leader, { id: request.replicaId }, context.nowMs ?? 0) } } } : {};
  const size = context.snapshots.sizeOf(request.snapshotId);
  if (size === undefined) return { ...failed('SNAPSHOT_NOT_FOUND'), ...following };
  if (!Number.isSafeInteger(request.position) || request.position < 0 || request.position >= size) return { ...failed('POSITION_OUT_OF_RANGE'), ...following };
  const maxBytes = Math.max(1, Math.min(request.maxBytes, context.maxChunkBytes));
  const bytes = context.snapshots.read(request.snapshotId, request.position, maxBytes);
  return { kind: 'answer', response: { errorCode: 'NONE', ...leader, snapshotId: request.snapshotId, size, position: request.position, bytes }, ...following };
}

/** The snapshot a follower is reading (Kafka's FollowerState.fetchingSnapshot). */
export interface FetchingSnapshot {
  readonly snapshotId: OffsetAndEpoch;
  /** Bytes written so far: the position of the next chunk. */
  readonly position: number;
}

export type FollowerChunkDecision =
  | { readonly kind: 'append'; readonly bytes: Uint8Array; readonly complete: boolean }
  /** An answer for another snapshot or another position, or an empty chunk short of the size: start over from Fetch. */
  | { readonly kind: 'mismatch'; readonly reason: string };

/** Checks a successful chunk against what this follower is fetching (Kafka's handleFetchSnapshotResponse checks). */
export function decideSnapshotChunk(fetching: FetchingSnapshot, response: RaftFetchSnapshotResponse): FollowerChunkDecision {
  const { snapshotId } = fetching;
  if (response.snapshotId.offset !== snapshotId.offset || response.snapshotId.epoch !== snapshotId.epoch) {
    return { kind: 'mismatch', reason: `answer for snapshot ${response.snapshotId.offset}-${response.snapshotId.epoch}, fetching ${snapshotId.offset}-${snapshotId.epoch}` };
  }
  if (response.position !== fetching.position) return { kind: 'mismatch', reason: `chunk at position ${response.position}, expected ${fetching.position}` };
  const bytes = response.bytes ?? new Uint8Array(0);
  const end = fetching.position + bytes.length;
  if (end > response.size || (bytes.length === 0 && end < response.size)) return { kind: 'mismatch', reason: `chunk of ${bytes.length} bytes at ${fetching.position} for a snapshot of ${response.size}` };
  return { kind: 'append', bytes, complete: end === response.size };
}
