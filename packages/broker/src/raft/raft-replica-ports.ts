/**
 * What the Raft replica statechart (raft-replica.machine.ts) is given and what it says: its ports (durable
 * `quorum-state`, the metadata log, the clock and randomness), the requests and responses a host delivers to it, and
 * the messages it emits for the host to send. The chart never touches a socket, a file or the wall clock itself.
 */
import type { ElectionState } from './election-state.js';
import type { RandomInt } from './election-timers.js';
import type { LeaderChangeMessage } from './leader-change-message.js';
import type { EpochEndOffset, OffsetAndEpoch } from './log-view.js';
import type { RaftFetchRequest } from './leader-fetch.js';
import type { RaftFetchResponse } from './follower-fetch-response.js';
import type { BeginQuorumEpochRequest, EndQuorumEpochRequest, QuorumEpochAnswer } from './quorum-epoch-requests.js';
import type { QuorumConfig } from './quorum-state.js';
import type { RaftFetchSnapshotRequest, RaftFetchSnapshotResponse, SnapshotReader } from './fetch-snapshot.js';
import type { VoteAnswer, VoteRequest } from './vote-request.js';
import type { VoteResponse } from './vote-response.js';

/**
 * The `__cluster_metadata` log as the replica needs it; storage's MemoryLog/FileLog sit behind it in the host.
 * Everything is synchronous, as storage's PartitionLog is.
 */
export interface RaftLogPort {
  /** The log end offset and the epoch of the last record (0 for an empty log). */
  endOffset(): OffsetAndEpoch;
  logStartOffset(): number;
  /** The leader-epoch cache's answer (storage's LeaderEpochCache.endOffsetFor): where `requestedEpoch` ends. */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset;
  /** The new leader's first record of its epoch (the start-of-epoch control batch). */
  appendLeaderChangeAsLeader(message: LeaderChangeMessage, epoch: number): void;
  /** The leader appends new records (the controller's) in its epoch; answers where they went. */
  appendAsLeader(records: RaftRecords, epoch: number): { readonly baseOffset: number; readonly lastOffset: number };
  /** Records from `fetchOffset` for a Fetch answer (opaque to the chart: handed to the follower's log unchanged). */
  read(fetchOffset: number): RaftRecords | undefined;
  /** The follower appends what its leader sent (and, as a voter, flushes before its next Fetch). */
  appendAsFollower(records: RaftRecords): void;
  truncateTo(offset: number): void;
  /** The oldest and the newest snapshot beside the log (KIP-630), as (end offset, epoch); absent: no snapshots kept. */
  earliestSnapshotId?(): OffsetAndEpoch | undefined;
  latestSnapshotId?(): OffsetAndEpoch | undefined;
  /** The snapshots as a leader's FetchSnapshot answer reads them, each read bounded like a Fetch answer. */
  snapshotReader?(): SnapshotReader;
  /** Starts writing a snapshot read from the leader (an unfinished one is dropped). */
  beginFetchedSnapshot?(snapshotId: OffsetAndEpoch): void;
  /** Appends the next chunk of the snapshot being fetched. */
  appendFetchedSnapshot?(bytes: Uint8Array): void;
  /** Makes the fetched snapshot durable and replaces the whole log with it: the log starts, empty, at its end offset. */
  installFetchedSnapshot?(): void;
}

/** Record batches as the host's log stores them; the chart only carries them from the leader's log to a follower's. */
export type RaftRecords = unknown;

export interface RaftReplicaPorts {
  /**
   * Writes `quorum-state` durably (storage's quorum-state store: fsync and atomic rename). The chart calls it BEFORE
   * it adopts the state that needs it and before any answer goes out, as the core's `persist` outputs require.
   */
  persist(election: ElectionState): void;
  /** `java.util.Random.nextInt(bound)`: the election timeout's and the backoff's jitter. */
  random: RandomInt;
  /** The clock the actor's timers run on (the same one given to createActor). */
  now(): number;
  log: RaftLogPort;
}

export interface RaftReplicaInput {
  readonly config: QuorumConfig;
  readonly clusterId: string;
  /** `controller.quorum.election.backoff.max.ms` (Kafka's default 1000). */
  readonly electionBackoffMaxMs: number;
  /** `controller.quorum.retry.backoff.ms` (Kafka's default 20): the follower's pause after a failed Fetch. */
  readonly retryBackoffMs: number;
  /** What `quorum-state` held at startup; undefined when there was no file. */
  readonly stored?: ElectionState;
  readonly ports: RaftReplicaPorts;
}

/** Requests and responses the host delivers. */
export type RaftReplicaEvent =
  | { type: 'raft.vote.request'; from: number; request: VoteRequest }
  | { type: 'raft.vote.response'; response: VoteResponse }
  | { type: 'raft.begin-quorum-epoch.request'; from: number; request: BeginQuorumEpochRequest }
  | { type: 'raft.end-quorum-epoch.request'; from: number; request: EndQuorumEpochRequest }
  | { type: 'raft.end-quorum-epoch.response'; from: number; response: QuorumEpochAnswer }
  | { type: 'raft.fetch.request'; from: number; request: RaftFetchRequest }
  | { type: 'raft.fetch.response'; from: number; response: RaftFetchAnswer }
  /** A replica reads a chunk of a snapshot from this leader (KIP-630; the host admitted cluster id and partition). */
  | { type: 'raft.fetch-snapshot.request'; from: number; request: RaftFetchSnapshotRequest }
  /** The leader's answer to this follower's FetchSnapshot (KIP-630): a chunk of the snapshot, or an error. */
  | { type: 'raft.fetch-snapshot.response'; from: number; response: RaftFetchSnapshotResponse }
  /** The controller's records to append, as the leader only (Kafka's RaftClient.prepareAppend/schedulePreparedAppend). */
  | { type: 'raft.append'; records: RaftRecords }
  /** Graceful resignation (the controller renouncing, check-quorum): Leader -> Resigned. */
  | { type: 'raft.resign' }
  /** A voter's answer to this leader's BeginQuorumEpoch: acknowledged, so no more resends to it. */
  | { type: 'raft.begin-quorum-epoch.response'; from: number; response: QuorumEpochAnswer }
  /**
   * A request this replica sent got no answer (timeout, disconnect, transport error): a follower or observer backs off
   * `controller.quorum.retry.backoff.ms` and retries; an observer whose leader does not answer asks the other voters.
   */
  | { type: 'raft.request.failed'; to: number; api: RaftRequestApi }
  /** The node stops: a Leader resigns (EndQuorumEpoch naming its successors), then the replica answers nothing more. */
  | { type: 'raft.shutdown' };

/** The requests a replica sends, as `raft.request.failed` names them. */
export type RaftRequestApi = 'vote' | 'fetch' | 'beginQuorumEpoch' | 'endQuorumEpoch' | 'fetchSnapshot';

/** Messages for the host to send; `to` is a voter id. */
export type RaftReplicaEmitted =
  | { type: 'raft.send.vote'; to: number; request: VoteRequest }
  | { type: 'raft.send.vote-answer'; to: number; response: VoteAnswer }
  | { type: 'raft.send.begin-quorum-epoch'; to: number; request: BeginQuorumEpochRequest }
  | { type: 'raft.send.begin-quorum-epoch-answer'; to: number; response: QuorumEpochAnswer }
  | { type: 'raft.send.end-quorum-epoch'; to: number; request: EndQuorumEpochRequest }
  | { type: 'raft.send.end-quorum-epoch-answer'; to: number; response: QuorumEpochAnswer }
  | { type: 'raft.send.fetch'; to: number; request: RaftFetchRequest }
  | { type: 'raft.send.fetch-answer'; to: number; response: RaftFetchAnswer }
  /** The next chunk of the snapshot the leader named (KIP-630). */
  | { type: 'raft.send.fetch-snapshot'; to: number; request: RaftFetchSnapshotRequest }
  /** This leader's answer to a FetchSnapshot: a chunk, or an error naming the leader it knows. */
  | { type: 'raft.send.fetch-snapshot-answer'; to: number; response: RaftFetchSnapshotResponse }
  /** A snapshot fetched from the leader replaced the whole log: the host reloads the state from it. */
  | { type: 'raft.snapshot-installed'; snapshotId: OffsetAndEpoch }
  /** Where a `raft.append` went; committed once the high watermark passes `lastOffset`. */
  | { type: 'raft.appended'; epoch: number; baseOffset: number; lastOffset: number }
  /** A `raft.append` while not the leader (Kafka's NotLeaderException): the caller finds the new leader. */
  | { type: 'raft.append-rejected'; errorCode: 'NOT_LEADER_OR_FOLLOWER'; leaderId: number; leaderEpoch: number }
  /** The high watermark moved up: everything below it is committed and may be applied. */
  | { type: 'raft.high-watermark'; highWatermark: number }
  | RaftLeaderChanged
  | RaftReplicaProgress
  /** After `raft.shutdown`: the EndQuorumEpoch of a resigning leader went out (at once when not leading). */
  | { type: 'raft.shutdown-complete' };

/**
 * The leader got a valid Fetch from `replicaId` (voter or observer): it holds everything below `fetchOffset`, and
 * (KIP-1166) knows the high watermark it reported, so it has applied every committed record below that.
 */
export interface RaftReplicaProgress {
  readonly type: 'raft.replica-progress';
  readonly replicaId: number;
  readonly fetchOffset: number;
  readonly highWatermark: number | undefined;
}

/**
 * Who leads which epoch, told at start and whenever (epoch, leaderId) changes, or this replica stops leading
 * (Kafka's LeaderAndEpoch for RaftClient.Listener.handleLeaderChange). `isLocal` while this replica is the Leader,
 * and only then `epochStartOffset` (its LeaderChangeMessage's offset). A Resigned replica names no leader: it has
 * stopped leading its epoch and nobody else leads it.
 */
export interface RaftLeaderChanged {
  readonly type: 'raft.leader-changed';
  readonly leaderId: number | undefined;
  readonly epoch: number;
  readonly isLocal: boolean;
  readonly epochStartOffset: number | undefined;
}

/** A Fetch answer: the core's fields plus the records read from the leader's log. */
export interface RaftFetchAnswer extends RaftFetchResponse {
  readonly records?: RaftRecords;
}
