/**
 * The messages the Raft replica statechart builds from its state (Vote, Fetch) and the leader's answers to the
 * Fetches it held (Kafka's fetch purgatory), kept apart from the chart so the chart file stays the design.
 */
import { leaderFetchPlan, quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import type { RaftLeaderChanged, RaftReplicaEmitted, RaftReplicaEvent } from './raft-replica-ports.js';
import { highWatermarkOfQuorum, leaderEndpointsOfQuorum, leaderIdOfQuorum, leaderIdOrSentinel, localKeyOf, type QuorumState } from './quorum-state.js';
import { unrecordedVoters } from './epoch-election.js';
import { nonAcknowledgingVoters } from './leader-state.js';
import { voterIds } from './replica-key.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from './vote-request.js';
import { isFetcherBehindHighWatermark } from './leader-fetch.js';

/** How long the leader may hold a Fetch with nothing new (KafkaRaftClient.MAX_FETCH_WAIT_MS). */
export const MAX_FETCH_WAIT_MS = 500;

function voteRequestTo(quorum: QuorumState, clusterId: string, to: number, lastOffset: number, lastOffsetEpoch: number, preVote: boolean): RaftReplicaEmitted {
  return {
    type: 'raft.send.vote',
    to,
    request: {
      clusterId,
      topicName: CLUSTER_METADATA_TOPIC,
      partitionIndex: CLUSTER_METADATA_PARTITION,
      candidate: localKeyOf(quorum.config)!,
      replicaEpoch: quorum.state.epoch,
      voterKey: { id: to },
      lastOffsetEpoch,
      lastOffset,
      preVote,
    },
  };
}

/** A Fetch from this replica's log end to `to` (its leader, or a voter it asks who leads). */
function fetchTo(context: RaftReplicaContext, quorum: QuorumState, to: number): FetchMessage {
  const logEnd = context.ports.log.endOffset();
  return {
    type: 'raft.send.fetch',
    to,
    request: {
      clusterId: context.clusterId,
      topicName: CLUSTER_METADATA_TOPIC,
      partitionIndex: CLUSTER_METADATA_PARTITION,
      // An observer without an id fetches as a plain reader (-1), as Kafka's do.
      replica: localKeyOf(quorum.config) ?? { id: -1 },
      maxWaitMs: MAX_FETCH_WAIT_MS,
      currentLeaderEpoch: quorum.state.epoch,
      fetchOffset: logEnd.offset,
      lastFetchedEpoch: logEnd.epoch,
      // KIP-1166: the leader answers at once when its high watermark is above this one (-1: none known yet).
      highWatermark: highWatermarkOfQuorum(quorum) ?? -1,
    },
  };
}

type FetchMessage = Extract<RaftReplicaEmitted, { type: 'raft.send.fetch' }>;

/**
 * The snapshot this follower reads from its current leader in its current epoch (Kafka's FollowerState
 * fetchingSnapshot); undefined when none, or when it was named by another leader or in another epoch.
 */
export function currentSnapshotFetch(context: RaftReplicaContext): RaftReplicaContext['fetchingSnapshot'] {
  const fetching = context.fetchingSnapshot;
  const state = quorumOf(context).state;
  return fetching !== undefined && state.name === 'Follower' && state.epoch === fetching.epoch && state.leaderId === fetching.leaderId ? fetching : undefined;
}

/** The next FetchSnapshot to the leader, from the position reached (KIP-630); undefined when not fetching one. */
export function fetchSnapshotRequestOf(context: RaftReplicaContext): Extract<RaftReplicaEmitted, { type: 'raft.send.fetch-snapshot' }> | undefined {
  const fetching = currentSnapshotFetch(context);
  const quorum = quorumOf(context);
  if (fetching === undefined) return undefined;
  return {
    type: 'raft.send.fetch-snapshot',
    to: fetching.leaderId,
    request: {
      clusterId: context.clusterId,
      topicName: CLUSTER_METADATA_TOPIC,
      partitionIndex: CLUSTER_METADATA_PARTITION,
      replicaId: localKeyOf(quorum.config)?.id ?? -1,
      // The host bounds it (the same bound as a Fetch answer).
      maxBytes: 0x7fff_ffff,
      currentLeaderEpoch: fetching.epoch,
      snapshotId: fetching.snapshotId,
      position: fetching.position,
    },
  };
}

/** A FetchSnapshot this follower is waiting on went unanswered (timeout, disconnect). */
export function isFetchSnapshotUnanswered(context: RaftReplicaContext, event: RaftReplicaEvent): boolean {
  return event.type === 'raft.request.failed' && event.api === 'fetchSnapshot' && event.to === currentSnapshotFetch(context)?.leaderId;
}

/** The next Fetch to this follower's leader, from its log end and last epoch; undefined when not a Follower. */
export function fetchRequestOf(context: RaftReplicaContext): FetchMessage | undefined {
  const quorum = quorumOf(context);
  return quorum.state.name === 'Follower' ? fetchTo(context, quorum, quorum.state.leaderId) : undefined;
}

/**
 * A Fetch to a random voter other than this replica, to learn who leads (Kafka's pollUnattachedAsObserver, and
 * pollFollowerAsObserver once the leader stopped answering: then the leader is skipped when another voter exists).
 */
export function discoveryFetchOf(context: RaftReplicaContext): FetchMessage | undefined {
  const quorum = quorumOf(context);
  const unanswering = quorum.state.name === 'Follower' ? quorum.state.leaderId : undefined;
  const others = voterIds(quorum.config.voters).filter((id) => id !== quorum.config.localId);
  const candidates = others.length > 1 ? others.filter((id) => id !== unanswering) : others;
  if (candidates.length === 0) return undefined;
  return fetchTo(context, quorum, candidates[context.ports.random(candidates.length)]!);
}

/** BeginQuorumEpoch to the voters that have not acknowledged this leader yet (by answering it or fetching). */
export function beginQuorumEpochRequests(context: RaftReplicaContext): RaftReplicaEmitted[] {
  const quorum = quorumOf(context);
  if (quorum.state.name !== 'Leader') return [];
  const { leader, epoch } = quorum.state;
  const leaderEndpoints = leaderEndpointsOfQuorum(quorum);
  return nonAcknowledgingVoters(leader).map((to) => ({
    type: 'raft.send.begin-quorum-epoch',
    to,
    request: { clusterId: context.clusterId, leaderId: leader.localId, leaderEpoch: epoch, leaderEndpoints, voterKey: { id: to } },
  }));
}

/** EndQuorumEpoch from a Resigned leader to the voters that have not answered it yet, naming its successors. */
export function endQuorumEpochRequests(context: RaftReplicaContext): RaftReplicaEmitted[] {
  const quorum = quorumOf(context);
  if (quorum.state.name !== 'Resigned') return [];
  const { localId, epoch, preferredSuccessors } = quorum.state;
  const leaderEndpoints = leaderEndpointsOfQuorum(quorum);
  return quorum.state.unackedVoters.map((to) => ({
    type: 'raft.send.end-quorum-epoch',
    to,
    request: { clusterId: context.clusterId, leaderId: localId, leaderEpoch: epoch, ...(leaderEndpoints.length === 0 ? {} : { leaderEndpoints }), preferredSuccessors },
  }));
}

/** Vote (or KIP-996 PreVote) requests to the voters that have not answered this election yet. */
export function voteRequests(context: RaftReplicaContext, preVote: boolean): RaftReplicaEmitted[] {
  const quorum = quorumOf(context);
  const state = quorum.state;
  // A Candidate backing off after a lost election has nobody left to ask.
  const asking = preVote ? state.name === 'Prospective' : state.name === 'Candidate' && state.backoffDeadlineMs === undefined;
  if (!asking || (state.name !== 'Prospective' && state.name !== 'Candidate')) return [];
  const logEnd = context.ports.log.endOffset();
  return unrecordedVoters(state.election).map((to) => voteRequestTo(quorum, context.clusterId, to, logEnd.offset, logEnd.epoch, preVote));
}

/** A leader that stepped down answers its held Fetches with NOT_LEADER_OR_FOLLOWER and who leads now, if known. */
export function releasedFetchAnswers(context: RaftReplicaContext): RaftReplicaEmitted[] {
  const quorum = quorumOf(context);
  if (quorum.state.name === 'Leader') return [];
  return context.parkedFetches.map((parked) => ({
    type: 'raft.send.fetch-answer',
    to: parked.from,
    response: { errorCode: 'NOT_LEADER_OR_FOLLOWER', highWatermark: -1, leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch },
  }));
}

/** Answers the held fetches `which` selects (re-reading the log), keeps the others held. */
export function answerFetches(
  context: RaftReplicaContext,
  which: (parked: RaftReplicaContext['parkedFetches'][number]) => boolean,
  enqueue: { emit(event: RaftReplicaEmitted): void; assign(values: Partial<RaftReplicaContext>): void },
): void {
  let quorum = quorumOf(context);
  for (const parked of context.parkedFetches.filter(which)) {
    const plan = leaderFetchPlan({ ...context, quorum }, quorum, parked.from, parked.request, 'held');
    quorum = plan.quorum;
    for (const reply of plan.replies) enqueue.emit(reply);
  }
  enqueue.assign({ quorum, parkedFetches: context.parkedFetches.filter((parked) => !which(parked)) });
}

/** Who leads `quorum`'s epoch as the host hears it (`raft.leader-changed`). */
export function leaderChangedOf(quorum: QuorumState): RaftLeaderChanged {
  const state = quorum.state;
  const isLocal = state.name === 'Leader';
  return {
    type: 'raft.leader-changed',
    leaderId: state.name === 'Resigned' ? undefined : leaderIdOfQuorum(quorum),
    epoch: state.epoch,
    isLocal,
    epochStartOffset: isLocal ? state.leader.epochStartOffset : undefined,
  };
}

/** A change the host has not heard yet: another epoch or leader, or this replica starting or stopping to lead. */
export function isNewLeaderChange(announced: RaftLeaderChanged | undefined, next: RaftLeaderChanged): boolean {
  return announced === undefined || announced.epoch !== next.epoch || announced.leaderId !== next.leaderId || announced.isLocal !== next.isLocal;
}

/** KIP-1166: held Fetches whose fetcher reported a lower high watermark than the leader now has. */
export function answerFetchesBehindHighWatermark(
  context: RaftReplicaContext,
  enqueue: { emit(event: RaftReplicaEmitted): void; assign(values: Partial<RaftReplicaContext>): void },
): void {
  const quorum = quorumOf(context);
  if (quorum.state.name !== 'Leader' || context.parkedFetches.length === 0) return;
  const highWatermark = quorum.state.leader.highWatermark;
  if (!context.parkedFetches.some((parked) => isFetcherBehindHighWatermark(parked.request, highWatermark))) return;
  answerFetches(context, (parked) => isFetcherBehindHighWatermark(parked.request, highWatermark), enqueue);
}

/** `event` says the Fetch this replica waits on went unanswered: the one to its leader, or to the voter it asked. */
export function isFetchUnanswered(context: RaftReplicaContext, event: RaftReplicaEvent, to: 'leader' | 'asked voter'): boolean {
  if (event.type !== 'raft.request.failed' || event.api !== 'fetch') return false;
  const state = quorumOf(context).state;
  if (to === 'asked voter') return event.to === context.discoveryVoter;
  return state.name === 'Follower' && event.to === state.leaderId;
}
