/**
 * Kafka's `Admin.describeMetadataQuorum` (KIP-836): the state of the KRaft metadata quorum as its leader sees
 * it, from a DescribeQuorum request (api key 55) for `__cluster_metadata`-0. Only the leader answers it; any
 * other node answers NOT_LEADER_OR_FOLLOWER naming the leader it knows (or -1). So the request goes first to the
 * node Metadata calls the controller, follows the leader each answer names, and otherwise tries every other known
 * node once. When no node leads, the call fails with `NoQuorumLeaderError`.
 *
 * Kafka's answer carries each replica's log end offset, not its lag: like `kafka-metadata-quorum`, the lag is
 * computed here, as the leader's log end offset minus the replica's.
 */
import type { ResponseBody } from '@kactor/protocol';
import { errorCodes, KafkaProtocolError } from '@kactor/protocol';
import { KafkaClientError } from '../errors.js';

/** The metadata log's topic and partition (Kafka's `__cluster_metadata`-0). */
export const METADATA_TOPIC = '__cluster_metadata';
export const METADATA_PARTITION = 0;

/** One voter or observer as the quorum leader last saw it (Kafka's `QuorumInfo.ReplicaState`, with the lag). */
export interface QuorumReplicaState {
  readonly replicaId: number;
  /** The offset the replica last fetched from, as the leader knows it; -1 when unknown. */
  readonly logEndOffset: number;
  /** How many offsets it is behind the leader's log end (the whole log when its log end offset is unknown). */
  readonly lag: number;
  /** When it last fetched, on the leader's clock (ms since the epoch); -1 when unknown. */
  readonly lastFetchTimestamp: number;
  /** When it was last caught up with the leader's log end, on the leader's clock; -1 when unknown. */
  readonly lastCaughtUpTimestamp: number;
}

/** Kafka's `QuorumInfo`: who leads which epoch, the committed offset, and each voter's and observer's progress. */
export interface QuorumInfo {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  /** Offsets below it are committed; -1 while a new leader has not yet committed its epoch's first record. */
  readonly highWatermark: number;
  /** Ascending by replica id. */
  readonly voters: readonly QuorumReplicaState[];
  /** Brokers (non-voters) fetching the metadata log, ascending by replica id. */
  readonly observers: readonly QuorumReplicaState[];
}

/** A node others named as the leader, which did not answer DescribeQuorum, and its failure. */
export interface UnreachableQuorumLeader {
  readonly nodeId: number;
  readonly error: KafkaProtocolError;
}

/**
 * No node leads the metadata quorum (an election is under way, or a majority of the voters is down): every node
 * that answered said NOT_LEADER_OR_FOLLOWER, and none answered as the leader. `leaderEpoch` is the highest epoch a
 * node reported (-1 if none did), `askedNodeIds` the nodes asked, `unreachableLeader` a leader some node still named
 * but that did not answer (a voter keeps naming a dead leader until it elects another, which a minority never does).
 */
export class NoQuorumLeaderError extends KafkaClientError {
  override name = 'NoQuorumLeaderError';
  constructor(
    readonly leaderEpoch: number,
    readonly askedNodeIds: readonly number[],
    readonly unreachableLeader?: UnreachableQuorumLeader,
  ) {
    const asked = `asked node${askedNodeIds.length === 1 ? '' : 's'} ${askedNodeIds.join(', ')}`;
    const epoch = leaderEpoch >= 0 ? `; latest epoch ${leaderEpoch}` : '';
    const unreachable = unreachableLeader === undefined ? '' : `; node ${unreachableLeader.nodeId}, named as leader, did not answer: ${unreachableLeader.error.errorName}`;
    super(`the metadata quorum has no leader (${asked}${epoch}${unreachable})`);
  }
}

type DescribeQuorumResponse = ResponseBody<'describeQuorum'>;

/** What one node said: the quorum (it leads), the leader it knows instead (-1 for none), or a failure. */
export type QuorumAnswer =
  | { readonly kind: 'leader'; readonly info: QuorumInfo }
  | { readonly kind: 'notLeader'; readonly knownLeaderId: number; readonly leaderEpoch: number; readonly leaderUrl: string | undefined }
  | { readonly kind: 'failed'; readonly error: KafkaProtocolError };

/**
 * Reads one DescribeQuorum answer. A node that does not lead may say so in the request-wide error or in the
 * partition's; the partition's leaderId (when it sent one) is the leader it knows, and `nodes` may give its address.
 */
export function readQuorumAnswer(response: DescribeQuorumResponse, urlScheme: string): QuorumAnswer {
  const partition = response.topics.find((topic) => topic.topicName === METADATA_TOPIC)?.partitions.find((each) => each.partitionIndex === METADATA_PARTITION);
  const errorCode = response.errorCode !== errorCodes.NONE ? response.errorCode : (partition?.errorCode ?? errorCodes.NONE);
  const errorMessage = response.errorCode !== errorCodes.NONE ? response.errorMessage : (partition?.errorMessage ?? null);
  if (errorCode === errorCodes.NOT_LEADER_OR_FOLLOWER) {
    const knownLeaderId = partition?.leaderId ?? -1;
    const endpoint = response.nodes.find((node) => node.nodeId === knownLeaderId)?.listeners[0];
    return { kind: 'notLeader', knownLeaderId, leaderEpoch: partition?.leaderEpoch ?? -1, leaderUrl: endpoint === undefined ? undefined : `${urlScheme}://${endpoint.host}:${endpoint.port}` };
  }
  if (errorCode !== errorCodes.NONE) return { kind: 'failed', error: KafkaProtocolError.from(errorCode, errorMessage ?? undefined) };
  if (partition === undefined) return { kind: 'failed', error: KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the answer has no ${METADATA_TOPIC}-${METADATA_PARTITION}`) };
  return { kind: 'leader', info: quorumInfoFrom(partition) };
}

type PartitionData = DescribeQuorumResponse['topics'][number]['partitions'][number];

/** The leader's partition data as QuorumInfo, each replica's lag against the leader's own log end offset. */
export function quorumInfoFrom(partition: PartitionData): QuorumInfo {
  const leaderEndOffset = Math.max(0, partition.currentVoters.find((voter) => voter.replicaId === partition.leaderId)?.logEndOffset ?? 0);
  const replica = (state: PartitionData['currentVoters'][number]): QuorumReplicaState => ({
    replicaId: state.replicaId,
    logEndOffset: state.logEndOffset,
    lag: state.logEndOffset < 0 ? leaderEndOffset : Math.max(0, leaderEndOffset - state.logEndOffset),
    lastFetchTimestamp: state.lastFetchTimestamp,
    lastCaughtUpTimestamp: state.lastCaughtUpTimestamp,
  });
  const byId = (a: QuorumReplicaState, b: QuorumReplicaState): number => a.replicaId - b.replicaId;
  return {
    leaderId: partition.leaderId,
    leaderEpoch: partition.leaderEpoch,
    highWatermark: partition.highWatermark,
    voters: partition.currentVoters.map(replica).sort(byId),
    observers: partition.observers.map(replica).sort(byId),
  };
}

export interface QuorumSearch {
  /** Known node ids (from Metadata), and the one to ask first (the controller Metadata names, -1 for none). */
  readonly nodeIds: readonly number[];
  readonly firstNodeId: number;
  /** Asks one node; `url` is set when an answer gave the node's address. Failures come back as `failed`, not thrown. */
  readonly ask: (nodeId: number, url: string | undefined) => Promise<QuorumAnswer>;
}

/**
 * Finds the leader and returns its answer: each node is asked at most once, a named leader not yet asked goes
 * next. Throws NoQuorumLeaderError when a node said it does not lead and none answered as the leader (naming a leader
 * that did not answer, if one was named); otherwise (no node takes part in a quorum, or none answered) the last failure.
 */
export async function searchQuorumLeader(search: QuorumSearch): Promise<QuorumInfo> {
  const asked: number[] = [];
  const queue: Array<{ nodeId: number; url: string | undefined }> = [];
  if (search.firstNodeId >= 0) queue.push({ nodeId: search.firstNodeId, url: undefined });
  for (const nodeId of search.nodeIds) queue.push({ nodeId, url: undefined });
  const namedLeaders = new Set<number>();
  let lastError: KafkaProtocolError | undefined;
  let unreachableLeader: UnreachableQuorumLeader | undefined;
  let sawNotLeader = false;
  let latestEpoch = -1;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (asked.includes(next.nodeId)) continue;
    asked.push(next.nodeId);
    const answer = await search.ask(next.nodeId, next.url);
    if (answer.kind === 'leader') return answer.info;
    if (answer.kind === 'failed') {
      lastError = answer.error;
      if (namedLeaders.has(next.nodeId)) unreachableLeader = { nodeId: next.nodeId, error: answer.error };
      continue;
    }
    sawNotLeader = true;
    latestEpoch = Math.max(latestEpoch, answer.leaderEpoch);
    if (answer.knownLeaderId < 0) continue;
    namedLeaders.add(answer.knownLeaderId);
    // The leader it names is asked next, ahead of the nodes nobody named.
    if (!asked.includes(answer.knownLeaderId)) queue.unshift({ nodeId: answer.knownLeaderId, url: answer.leaderUrl });
  }
  if (sawNotLeader || lastError === undefined) throw new NoQuorumLeaderError(latestEpoch, asked, unreachableLeader);
  throw lastError;
}
