/**
 * What the Raft leader tracks in its epoch (Kafka's LeaderState): each voter's and observer's fetch offset and last
 * fetch time, and the high watermark, which is the offset a majority of VOTERS has reached. Observers (brokers)
 * never count. A new leader's high watermark is unknown until a majority holds an offset past `epochStartOffset`,
 * i.e. the epoch's LeaderChangeMessage is committed: Raft's "commit only entries of the current term" rule, which
 * keeps the high watermark monotonic across leaders.
 */
import { beginQuorumEpochTimeoutMs, checkQuorumTimeoutMs } from './election-timers.js';
import { RaftInvariantError, assertHighWatermarkMove } from './raft-errors.js';
import type { ReplicaKey } from './replica-key.js';

export interface ReplicaFetchState {
  readonly key: ReplicaKey;
  /** The offset it fetched from last (its log end offset); unknown until it fetches. */
  readonly endOffset?: number;
  readonly lastFetchTimeMs?: number;
  /** The leader's log end offset when this replica last fetched (for the caught-up time). */
  readonly lastFetchLeaderLogEndOffset?: number;
  /** The last time the replica had everything the leader had (DescribeQuorum's LastCaughtUpTimestamp). */
  readonly lastCaughtUpTimeMs?: number;
  /** It answered this leader's BeginQuorumEpoch (ReplicaState.hasAcknowledgedLeader); a fetch acknowledges too. */
  readonly hasAcknowledgedLeader?: boolean;
}

export interface LeaderState {
  readonly localId: number;
  readonly localDirectoryId?: string;
  readonly epoch: number;
  readonly epochStartOffset: number;
  readonly voterIds: readonly number[];
  readonly grantingVoters: readonly number[];
  /** One entry per voter, in voter order (plain data, JSON-friendly for statechart context). */
  readonly voterStates: readonly ReplicaFetchState[];
  /** Replicas outside the voter set that fetched in this epoch, in the order they first did. */
  readonly observerStates: readonly ReplicaFetchState[];
  readonly highWatermark?: number;
  readonly checkQuorumTimeoutMs: number;
  readonly checkQuorumDeadlineMs: number;
  /** Voters heard from since the check-quorum timer was last reset. */
  readonly fetchedVoters: readonly number[];
  readonly beginQuorumEpochTimeoutMs: number;
  readonly beginQuorumEpochDeadlineMs: number;
}

export interface NewLeaderInputs {
  readonly localKey: ReplicaKey;
  readonly epoch: number;
  /** The log end offset when elected: the LeaderChangeMessage goes there. */
  readonly epochStartOffset: number;
  readonly voterIds: readonly number[];
  readonly grantingVoters: readonly number[];
  readonly fetchTimeoutMs: number;
  readonly nowMs: number;
}

export function newLeaderState(inputs: NewLeaderInputs): LeaderState {
  const voterStates = inputs.voterIds.map((id) => ({ key: id === inputs.localKey.id ? inputs.localKey : { id } }));
  return {
    localId: inputs.localKey.id,
    ...(inputs.localKey.directoryId === undefined ? {} : { localDirectoryId: inputs.localKey.directoryId }),
    epoch: inputs.epoch,
    epochStartOffset: inputs.epochStartOffset,
    voterIds: [...inputs.voterIds],
    grantingVoters: [...inputs.grantingVoters],
    voterStates,
    observerStates: [],
    checkQuorumTimeoutMs: checkQuorumTimeoutMs(inputs.fetchTimeoutMs),
    checkQuorumDeadlineMs: inputs.nowMs + checkQuorumTimeoutMs(inputs.fetchTimeoutMs),
    fetchedVoters: [],
    beginQuorumEpochTimeoutMs: beginQuorumEpochTimeoutMs(inputs.fetchTimeoutMs),
    // BeginQuorumEpoch goes out at once on election, then every fetch timeout / 2 to voters that have not fetched.
    beginQuorumEpochDeadlineMs: inputs.nowMs,
  };
}

export interface LeaderUpdate {
  readonly state: LeaderState;
  readonly highWatermarkUpdated: boolean;
}

/**
 * The offset a majority of voters has reached (the leader's own LEO included), adopted only past the epoch start
 * offset and only upward: a lower value (a voter that lost its disk, a changed voter set) keeps the old one.
 */
function maybeUpdateHighWatermark(state: LeaderState): LeaderUpdate {
  const offsets = state.voterStates.map((replica) => replica.endOffset ?? -1).sort((a, b) => b - a);
  const candidate = offsets[Math.floor(state.voterStates.length / 2)];
  if (candidate === undefined || candidate <= state.epochStartOffset) return { state, highWatermarkUpdated: false };
  if (state.highWatermark !== undefined && candidate <= state.highWatermark) return { state, highWatermarkUpdated: false };
  assertHighWatermarkMove(state.highWatermark, candidate);
  return { state: { ...state, highWatermark: candidate }, highWatermarkUpdated: true };
}

/** Replicas move between voters and observers when the voter set changes, keeping what they fetched. */
function withVoterIds(state: LeaderState, voterIds: readonly number[]): LeaderState {
  const all = [...state.voterStates, ...state.observerStates];
  const voterStates = voterIds.map((id) => all.find((replica) => replica.key.id === id) ?? { key: { id } });
  const observerStates = all.filter((replica) => !voterIds.includes(replica.key.id));
  return { ...state, voterIds: [...voterIds], voterStates, observerStates };
}

/** What the leader knows of replica `id`, voter or observer. */
export function replicaStateOf(state: LeaderState, id: number): ReplicaFetchState | undefined {
  return state.voterStates.find((replica) => replica.key.id === id) ?? state.observerStates.find((replica) => replica.key.id === id);
}

function replaced(replicas: readonly ReplicaFetchState[], replica: ReplicaFetchState): ReplicaFetchState[] {
  const index = replicas.findIndex((existing) => existing.key.id === replica.key.id);
  return index === -1 ? [...replicas, replica] : replicas.map((existing, i) => (i === index ? replica : existing));
}

function withReplicaState(state: LeaderState, replica: ReplicaFetchState): LeaderState {
  if (state.voterIds.includes(replica.key.id)) return { ...state, voterStates: replaced(state.voterStates, replica) };
  return { ...state, observerStates: replaced(state.observerStates, replica) };
}

/** The leader appended or flushed up to `logEndOffset` (LeaderState.updateLocalState); `voterIds` if the set changed. */
export function updateLocalState(state: LeaderState, logEndOffset: number, voterIds: readonly number[] = state.voterIds): LeaderUpdate {
  const local = replicaStateOf(state, state.localId) ?? { key: { id: state.localId } };
  if (local.endOffset !== undefined && logEndOffset < local.endOffset) {
    throw new RaftInvariantError('local-end-offset-decreased', `leader ${state.localId} end offset went from ${local.endOffset} to ${logEndOffset}`);
  }
  const moved = voterIds === state.voterIds ? state : withVoterIds(state, voterIds);
  return maybeUpdateHighWatermark(withReplicaState(moved, { ...local, endOffset: logEndOffset }));
}

/**
 * A replica fetched from `fetchOffset`, which acknowledges everything before it (LeaderState.updateReplicaState).
 * A negative id is a non-replica reader and changes nothing. A lower offset than before is recorded (the replica
 * lost its disk and refetches) but never lowers the high watermark.
 */
export function updateReplicaState(state: LeaderState, replica: ReplicaKey, nowMs: number, fetchOffset: number): LeaderUpdate {
  if (replica.id < 0) return { state, highWatermarkUpdated: false };
  if (replica.id === state.localId) {
    throw new RaftInvariantError('fetch-from-local-replica', `replica ${replica.id} is the leader itself`);
  }
  const previous = replicaStateOf(state, replica.id) ?? { key: replica };
  const leaderEndOffset = replicaStateOf(state, state.localId)?.endOffset;
  const next = withReplicaState(state, {
    ...previous,
    key: replica,
    endOffset: fetchOffset,
    lastFetchTimeMs: nowMs,
    ...(leaderEndOffset === undefined ? {} : { lastFetchLeaderLogEndOffset: leaderEndOffset }),
    ...caughtUpTime(previous, fetchOffset, leaderEndOffset, nowMs),
  });
  if (!state.voterIds.includes(replica.id)) return { state: next, highWatermarkUpdated: false };
  return maybeUpdateHighWatermark(next);
}

/**
 * Caught up now if it reached the leader's end offset; caught up as of its previous fetch if it reached what the
 * leader had then (ReplicaState.updateFollowerState).
 */
function caughtUpTime(previous: ReplicaFetchState, fetchOffset: number, leaderEndOffset: number | undefined, nowMs: number): { lastCaughtUpTimeMs?: number } {
  const earlier = previous.lastCaughtUpTimeMs ?? -1;
  if (leaderEndOffset !== undefined && fetchOffset >= leaderEndOffset) return { lastCaughtUpTimeMs: Math.max(earlier, nowMs) };
  const previousLeaderEnd = previous.lastFetchLeaderLogEndOffset;
  if (previousLeaderEnd !== undefined && previousLeaderEnd > 0 && fetchOffset >= previousLeaderEnd && previous.lastFetchTimeMs !== undefined) {
    return { lastCaughtUpTimeMs: Math.max(earlier, previous.lastFetchTimeMs) };
  }
  return previous.lastCaughtUpTimeMs === undefined ? {} : { lastCaughtUpTimeMs: previous.lastCaughtUpTimeMs };
}

/** Voters other than the leader that have neither answered BeginQuorumEpoch nor fetched in this epoch (still owed one). */
export function nonAcknowledgingVoters(state: LeaderState): number[] {
  return state.voterStates
    .filter((replica) => replica.key.id !== state.localId && replica.endOffset === undefined && replica.hasAcknowledgedLeader !== true)
    .map((replica) => replica.key.id);
}

/** A voter answered BeginQuorumEpoch (LeaderState.addAcknowledgementFrom): no more resends to it in this epoch. */
export function addAcknowledgementFrom(state: LeaderState, voterId: number): LeaderState {
  const replica = state.voterStates.find((voter) => voter.key.id === voterId);
  if (replica === undefined || voterId === state.localId) return state;
  return withReplicaState(state, { ...replica, hasAcknowledgedLeader: true });
}

/**
 * The other voters, most caught-up first: the preferred successors a resigning leader names in EndQuorumEpoch,
 * so the voter most likely to win starts its election first.
 */
export function nonLeaderVotersByDescendingFetchOffset(state: LeaderState): number[] {
  return [...state.voterStates]
    .filter((replica) => replica.key.id !== state.localId)
    .sort((a, b) => (b.endOffset ?? -1) - (a.endOffset ?? -1))
    .map((replica) => replica.key.id);
}
