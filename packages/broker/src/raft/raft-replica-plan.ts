/**
 * The decision the pure core takes for one event in the Raft replica statechart: the next QuorumState, what to
 * persist first, and the answer to send. The chart's guards read the decision (which state it lands in) and its
 * actions persist, adopt and answer it; both ask `planFor` with the same (context, event) and get the same object,
 * so the core (and its random port) runs once per event.
 */
import type { ElectionState } from './election-state.js';
import { acknowledgeResignation, handleBeginQuorumEpochRequest, handleEndQuorumEpochRequest, type QuorumEpochAnswer } from './quorum-epoch-requests.js';
import { initializeQuorumState } from './quorum-initialize.js';
import { leaderIdOrSentinel, type QuorumConfig, type QuorumState, type QuorumTransition, type RaftStepContext } from './quorum-state.js';
import { decideFollowerFetch } from './follower-fetch-response.js';
import { handleLeaderFetch, isFetcherBehindHighWatermark, type LeaderLogView, type RaftFetchRequest } from './leader-fetch.js';
import type { OffsetAndEpoch } from './log-view.js';
import { decideSnapshotChunk, handleFetchSnapshotRequest, type FetchingSnapshot, type RaftFetchSnapshotRequest, type RaftFetchSnapshotResponse } from './fetch-snapshot.js';
import { transitionToResigned } from './quorum-transitions.js';
import { addAcknowledgementFrom, nonLeaderVotersByDescendingFetchOffset } from './leader-state.js';
import { maybeHandleCommonResponse } from './common-response.js';
import type { RaftFetchAnswer, RaftLeaderChanged, RaftLogPort, RaftRecords, RaftReplicaEmitted, RaftReplicaEvent, RaftReplicaPorts } from './raft-replica-ports.js';
import { onTimersDue } from './timer-expiry.js';
import { handleVoteRequest } from './vote-request.js';
import { handleVoteResponse, maybeTransitionForward } from './vote-response.js';

export interface RaftReplicaContext {
  readonly config: QuorumConfig;
  readonly clusterId: string;
  readonly electionBackoffMaxMs: number;
  readonly retryBackoffMs: number;
  readonly stored?: ElectionState;
  readonly ports: RaftReplicaPorts;
  /** Undefined only before startup has run. */
  readonly quorum: QuorumState | undefined;
  /** Fetches the leader holds because it had nothing new for them (Kafka's fetch purgatory), oldest first. */
  readonly parkedFetches: readonly ParkedFetch[];
  /**
   * The plan adopted for the event being handled, so the actions after adoption (answers, fetch completion) read
   * the same decision rather than asking the core again on the new state; cleared when the event is done.
   */
  readonly adopted?: { readonly event: object; readonly plan: RaftPlan };
  /** The last high watermark told to the host (`raft.high-watermark`). */
  readonly announcedHighWatermark?: number;
  /** The voter the last leader-discovery Fetch went to (an observer's), so only that request's failure counts. */
  readonly discoveryVoter?: number | undefined;
  /** The last leader told to the host (`raft.leader-changed`). */
  readonly announcedLeader?: RaftLeaderChanged;
  /** The snapshot this follower reads from its leader (KIP-630), with the leader and epoch it was named in. */
  readonly fetchingSnapshot?: (FetchingSnapshot & { readonly leaderId: number; readonly epoch: number }) | undefined;
}

export interface ParkedFetch {
  readonly from: number;
  readonly request: RaftFetchRequest;
  /** When its MaxWaitMs runs out and it is answered anyway. */
  readonly deadlineMs: number;
}

export interface RaftPlan {
  readonly quorum: QuorumState;
  readonly persist?: ElectionState;
  /** Answers to send once `persist` is durable. */
  readonly replies: readonly RaftReplicaEmitted[];
  /** What the follower's log must do with its leader's Fetch answer (after `persist`, before adopting). */
  readonly logEffect?:
    | { readonly kind: 'truncate'; readonly offset: number }
    | { readonly kind: 'append'; readonly records: RaftRecords }
    /** A chunk of the snapshot being fetched; `install` when it is the last (the whole log is replaced). */
    | { readonly kind: 'snapshot-chunk'; readonly bytes: Uint8Array; readonly install: boolean };
  /** The leader named a snapshot to read first (a Fetch answer with SnapshotId, KIP-630). */
  readonly startSnapshotFetch?: OffsetAndEpoch;
  /** A FetchSnapshot answer that failed or did not fit: forget the snapshot, Fetch again after the backoff. */
  readonly abandonSnapshotFetch?: boolean;
  /** A valid Fetch with nothing to read: held until its MaxWaitMs (or new records) instead of answered. */
  readonly park?: ParkedFetch;
  /** A Fetch answer that failed (an error, or a stale answer) while still following: retry after the backoff. */
  readonly fetchFailed?: boolean;
  /** A Fetch answer that made progress: complete it (fetch timer, HW) and fetch again. */
  readonly completedFetch?: { readonly leaderHighWatermark: number };
}

/** The metadata log as the core reads it. */
export function logViewOf(log: RaftLogPort): LeaderLogView {
  const end = log.endOffset();
  return {
    logEndOffset: end.offset,
    lastFetchedEpoch: end.epoch,
    logStartOffset: log.logStartOffset(),
    earliestSnapshotId: log.earliestSnapshotId?.(),
    latestSnapshotId: log.latestSnapshotId?.(),
    epochs: { endOffsetFor: (epoch, logEndOffset) => log.endOffsetFor(epoch, logEndOffset) },
  };
}

/**
 * Answers a Fetch at the leader (KafkaRaftClient.handleFetchRequest). A Fetch just `received` may be held (nothing
 * new, and no newer high watermark for it: KIP-1166) and announces the fetcher's progress; a `held` one whose wait
 * is over is answered whatever it finds.
 */
export function leaderFetchPlan(context: RaftReplicaContext, quorum: QuorumState, from: number, request: RaftFetchRequest, arrival: 'received' | 'held' = 'received'): RaftPlan {
  const log = logViewOf(context.ports.log);
  const outcome = handleLeaderFetch(quorum, request, { clusterId: context.clusterId, log, nowMs: context.ports.now() });
  const reply = (next: QuorumState, response: RaftFetchAnswer, before: readonly RaftReplicaEmitted[] = []): RaftPlan => ({
    quorum: next,
    replies: [...before, { type: 'raft.send.fetch-answer', to: from, response }],
  });
  if (outcome.kind === 'error') {
    return reply(quorum, { errorCode: outcome.errorCode, highWatermark: -1, leaderId: outcome.leaderId, leaderEpoch: outcome.leaderEpoch });
  }
  const leader = { leaderId: leaderIdOrSentinel(outcome.quorum), leaderEpoch: outcome.quorum.state.epoch, highWatermark: outcome.highWatermark ?? -1 };
  if (outcome.kind === 'diverging') return reply(outcome.quorum, { errorCode: 'NONE', ...leader, divergingEpoch: outcome.divergingEpoch });
  if (outcome.kind === 'snapshot') return reply(outcome.quorum, { errorCode: 'NONE', ...leader, snapshotId: outcome.snapshotId });
  const progress = arrival === 'received' ? replicaProgressOf(request) : [];
  const records = context.ports.log.read(request.fetchOffset);
  if (records === undefined && arrival === 'received' && request.maxWaitMs > 0 && !isFetcherBehindHighWatermark(request, outcome.highWatermark)) {
    return { quorum: outcome.quorum, replies: progress, park: { from, request, deadlineMs: context.ports.now() + request.maxWaitMs } };
  }
  return reply(outcome.quorum, { errorCode: 'NONE', ...leader, ...(records === undefined ? {} : { records }) }, progress);
}

/** `raft.replica-progress` for a valid Fetch from a replica with an id (a reader without one has no progress to track). */
function replicaProgressOf(request: RaftFetchRequest): RaftReplicaEmitted[] {
  if (request.replica.id < 0) return [];
  const highWatermark = request.highWatermark === undefined || request.highWatermark < 0 ? undefined : request.highWatermark;
  return [{ type: 'raft.replica-progress', replicaId: request.replica.id, fetchOffset: request.fetchOffset, highWatermark }];
}

function followerFetchPlan(context: RaftReplicaContext, quorum: QuorumState, response: RaftFetchAnswer, step: RaftStepContext): RaftPlan {
  const decision = decideFollowerFetch(quorum, response, logViewOf(context.ports.log), step);
  const base = { quorum: decision.quorum, ...(decision.persist === undefined ? {} : { persist: decision.persist }), replies: [] };
  if (decision.kind === 'fetch-snapshot') return { ...base, startSnapshotFetch: decision.snapshotId, completedFetch: { leaderHighWatermark: -1 } };
  if (decision.kind === 'truncate') return { ...base, logEffect: { kind: 'truncate', offset: decision.truncateToOffset }, completedFetch: { leaderHighWatermark: -1 } };
  if (decision.kind === 'append') {
    return { ...base, ...(response.records === undefined ? {} : { logEffect: { kind: 'append', records: response.records } }), completedFetch: { leaderHighWatermark: response.highWatermark } };
  }
  // An error answer is retried after the backoff; a stale answer (an older epoch, no error) is simply dropped.
  return decision.errorCode === 'NONE' || response.leaderEpoch < quorum.state.epoch ? base : { ...base, fetchFailed: true };
}

/**
 * The leader's FetchSnapshot answer (KafkaRaftClient.handleFetchSnapshotResponse): news of another epoch or leader is
 * followed first; a chunk of the snapshot being fetched, at the position reached, is appended (the last one installs
 * it, and the high watermark becomes its end: everything in it is committed); an error, or a chunk that does not fit,
 * abandons the snapshot: the follower Fetches again after the backoff and is told which snapshot to read.
 */
function followerFetchSnapshotPlan(context: RaftReplicaContext, quorum: QuorumState, response: RaftFetchSnapshotResponse, step: RaftStepContext): RaftPlan {
  const leaderId = response.leaderId === undefined || response.leaderId < 0 ? undefined : response.leaderId;
  const common = maybeHandleCommonResponse(quorum, { errorCode: response.errorCode, epoch: response.leaderEpoch, ...(leaderId === undefined ? {} : { leaderId }) }, step);
  const persist = common.kind === 'backoff' || common.persist === undefined ? {} : { persist: common.persist };
  const base = { quorum: common.quorum, ...persist, replies: [] };
  const fetching = context.fetchingSnapshot;
  const state = common.quorum.state;
  if (common.kind !== 'continue' || state.name !== 'Follower' || fetching === undefined || fetching.epoch !== state.epoch || fetching.leaderId !== state.leaderId) {
    return response.errorCode === 'NONE' || response.leaderEpoch < quorum.state.epoch ? base : { ...base, fetchFailed: true, abandonSnapshotFetch: true };
  }
  if (response.errorCode !== 'NONE') return { ...base, fetchFailed: true, abandonSnapshotFetch: true };
  const chunk = decideSnapshotChunk(fetching, response);
  if (chunk.kind === 'mismatch') return { ...base, fetchFailed: true, abandonSnapshotFetch: true };
  return {
    ...base,
    logEffect: { kind: 'snapshot-chunk', bytes: chunk.bytes, install: chunk.complete },
    completedFetch: { leaderHighWatermark: chunk.complete ? fetching.snapshotId.offset : -1 },
  };
}

/**
 * A FetchSnapshot at this replica (KafkaRaftClient.handleFetchSnapshotRequest): a leader answers a chunk of its
 * snapshot or SNAPSHOT_NOT_FOUND / POSITION_OUT_OF_RANGE, and counts a voter reading one towards check-quorum; any
 * other replica answers with the leader-only errors. The host refused another cluster or partition before.
 */
function leaderFetchSnapshotPlan(context: RaftReplicaContext, quorum: QuorumState, from: number, request: RaftFetchSnapshotRequest): RaftPlan {
  const snapshots = context.ports.log.snapshotReader?.() ?? { sizeOf: () => undefined, read: () => new Uint8Array(0) };
  // The port bounds each read (the host's Fetch answer bound, RAFT_MAX_FETCH_BYTES).
  const outcome = handleFetchSnapshotRequest(quorum, request, { clusterId: context.clusterId, maxChunkBytes: Number.MAX_SAFE_INTEGER, snapshots, nowMs: context.ports.now() });
  if (outcome.kind === 'top-level-error') {
    const response: RaftFetchSnapshotResponse = { errorCode: outcome.errorCode, leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch, snapshotId: request.snapshotId, size: -1, position: -1 };
    return { quorum, replies: [{ type: 'raft.send.fetch-snapshot-answer', to: from, response }] };
  }
  return { quorum: outcome.quorum ?? quorum, replies: [{ type: 'raft.send.fetch-snapshot-answer', to: from, response: outcome.response }] };
}

/**
 * A voter's answer to BeginQuorumEpoch or EndQuorumEpoch (KafkaRaftClient.handleBeginQuorumEpochResponse,
 * handleEndQuorumEpochResponse): news of a later epoch or another leader is followed first; a plain answer
 * acknowledges, which stops the resends to that voter (the Leader's BeginQuorumEpoch, the Resigned's EndQuorumEpoch).
 */
function quorumEpochAnswered(quorum: QuorumState, from: number, response: QuorumEpochAnswer, step: RaftStepContext): QuorumTransition {
  const leaderId = response.leaderId < 0 ? undefined : response.leaderId;
  const common = maybeHandleCommonResponse(quorum, { errorCode: response.errorCode, epoch: response.leaderEpoch, ...(leaderId === undefined ? {} : { leaderId }) }, step);
  const persist = common.kind === 'backoff' || common.persist === undefined ? {} : { persist: common.persist };
  if (common.kind !== 'continue' || response.errorCode !== 'NONE') return { quorum: common.quorum, ...persist };
  const state = common.quorum.state;
  if (state.name === 'Leader') return { quorum: { ...common.quorum, state: { ...state, leader: addAcknowledgementFrom(state.leader, from) } }, ...persist };
  return { quorum: acknowledgeResignation(common.quorum, from), ...persist };
}

const plans = new WeakMap<object, { context: RaftReplicaContext; plan: RaftPlan }>();

function stepContext(ports: RaftReplicaPorts): RaftStepContext {
  return { nowMs: ports.now(), random: ports.random };
}

/** The started quorum; startup runs before any other event, so a missing one is a bug. */
export function quorumOf(context: RaftReplicaContext): QuorumState {
  if (context.quorum === undefined) throw new Error('the Raft replica has not started');
  return context.quorum;
}

function decide(context: RaftReplicaContext, event: { type: string }): RaftPlan {
  const step = stepContext(context.ports);
  if (event.type === 'xstate.init') {
    const started = initializeQuorumState(context.config, context.stored, context.ports.log.endOffset(), step);
    return { ...started, replies: [] };
  }
  const quorum = quorumOf(context);
  const raftEvent = event as RaftReplicaEvent;
  switch (raftEvent.type) {
    case 'raft.vote.request': {
      const outcome = handleVoteRequest(quorum, raftEvent.request, { clusterId: context.clusterId, logEnd: context.ports.log.endOffset() }, step);
      return { ...outcome, replies: [{ type: 'raft.send.vote-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.vote.response': {
      const outcome = handleVoteResponse(quorum, raftEvent.response, { electionBackoffMaxMs: context.electionBackoffMaxMs, logEndOffset: context.ports.log.endOffset().offset }, step);
      return { quorum: outcome.quorum, ...(outcome.persist === undefined ? {} : { persist: outcome.persist }), replies: [] };
    }
    case 'raft.begin-quorum-epoch.request': {
      const outcome = handleBeginQuorumEpochRequest(quorum, raftEvent.request, { clusterId: context.clusterId, electionBackoffMaxMs: context.electionBackoffMaxMs }, step);
      return { ...outcome, replies: [{ type: 'raft.send.begin-quorum-epoch-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.end-quorum-epoch.request': {
      const outcome = handleEndQuorumEpochRequest(quorum, raftEvent.request, { clusterId: context.clusterId, electionBackoffMaxMs: context.electionBackoffMaxMs }, step);
      return { ...outcome, replies: [{ type: 'raft.send.end-quorum-epoch-answer', to: raftEvent.from, response: outcome.response }] };
    }
    case 'raft.end-quorum-epoch.response':
      return { ...quorumEpochAnswered(quorum, raftEvent.from, raftEvent.response, step), replies: [] };
    case 'raft.fetch.request':
      return leaderFetchPlan(context, quorum, raftEvent.from, raftEvent.request);
    case 'raft.fetch.response':
      return followerFetchPlan(context, quorum, raftEvent.response, step);
    case 'raft.fetch-snapshot.response':
      return followerFetchSnapshotPlan(context, quorum, raftEvent.response, step);
    case 'raft.fetch-snapshot.request':
      return leaderFetchSnapshotPlan(context, quorum, raftEvent.from, raftEvent.request);
    case 'raft.append':
      // Appending is the Leader's own action (Leader.on); elsewhere nothing changes and the append is refused.
      return { quorum, replies: [] };
    case 'raft.begin-quorum-epoch.response':
      return { ...quorumEpochAnswered(quorum, raftEvent.from, raftEvent.response, step), replies: [] };
    case 'raft.resign':
    case 'raft.shutdown':
      // Resigning names the other voters, most caught-up first, as preferred successors (EndQuorumEpoch).
      if (quorum.state.name !== 'Leader') return { quorum, replies: [] };
      return { ...transitionToResigned(quorum, nonLeaderVotersByDescendingFetchOffset(quorum.state.leader), step), replies: [] };
    case 'raft.request.failed':
      // Retrying is the chart's (a backoff state); the quorum state does not change.
      return { quorum, replies: [] };
    default:
      // A timer of the current state fired (xstate.after.*): the core says what is due.
      return { ...onTimersDue(quorum, step), replies: [] };
  }
}

/**
 * A Prospective or Candidate whose own vote is already a majority (the only voter) moves on at once
 * (KafkaRaftClient.maybeTransitionForward), so the only voter elects itself without sending anything.
 */
function moveForward(context: RaftReplicaContext, plan: RaftPlan): RaftPlan {
  const name = plan.quorum.state.name;
  if (name !== 'Prospective' && name !== 'Candidate') return plan;
  const inputs = { electionBackoffMaxMs: context.electionBackoffMaxMs, logEndOffset: context.ports.log.endOffset().offset };
  const outcome = maybeTransitionForward(plan.quorum, inputs, stepContext(context.ports));
  if (outcome.effect === 'ignored') return plan;
  const persist = outcome.persist ?? plan.persist;
  return { ...plan, quorum: outcome.quorum, ...(persist === undefined ? {} : { persist }) };
}

/** The core's decision for `event` in `context`, computed once and shared by the guards and actions that ask. */
export function planFor(context: RaftReplicaContext, event: { type: string }): RaftPlan {
  if (context.adopted?.event === event) return context.adopted.plan;
  const memo = plans.get(event);
  if (memo !== undefined && memo.context === context) return memo.plan;
  const plan = moveForward(context, decide(context, event));
  plans.set(event, { context, plan });
  return plan;
}
