/**
 * The messages the Raft replica statechart builds from its state (Vote, Fetch) and the leader's answers to the
 * Fetches it held (Kafka's fetch purgatory), kept apart from the chart so the chart file stays the design.
 */
import { leaderFetchPlan, quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import type { RaftLeaderChanged, RaftReplicaEmitted } from './raft-replica-ports.js';
import { highWatermarkOfQuorum, leaderIdOfQuorum, localKeyOf, type QuorumState } from './quorum-state.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from './vote-request.js';
import { isFetcherBehindHighWatermark } from './leader-fetch.js';

/** How long the leader may hold a Fetch with nothing new (KafkaRaftClient.MAX_FETCH_WAIT_MS). */
export const MAX_FETCH_WAIT_MS = 500;

export function voteRequestTo(quorum: QuorumState, clusterId: string, to: number, lastOffset: number, lastOffsetEpoch: number, preVote: boolean): RaftReplicaEmitted {
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

/** The next Fetch to this follower's leader, from its log end and last epoch; undefined when not a Follower. */
export function fetchRequestOf(context: RaftReplicaContext): RaftReplicaEmitted | undefined {
  const quorum = quorumOf(context);
  const localKey = localKeyOf(quorum.config);
  if (quorum.state.name !== 'Follower' || localKey === undefined) return undefined;
  const logEnd = context.ports.log.endOffset();
  return {
    type: 'raft.send.fetch',
    to: quorum.state.leaderId,
    request: {
      clusterId: context.clusterId,
      topicName: CLUSTER_METADATA_TOPIC,
      partitionIndex: CLUSTER_METADATA_PARTITION,
      replica: localKey,
      maxWaitMs: MAX_FETCH_WAIT_MS,
      currentLeaderEpoch: quorum.state.epoch,
      fetchOffset: logEnd.offset,
      lastFetchedEpoch: logEnd.epoch,
      // KIP-1166: the leader answers at once when its high watermark is above this one (-1: none known yet).
      highWatermark: highWatermarkOfQuorum(quorum) ?? -1,
    },
  };
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
