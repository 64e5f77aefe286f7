/**
 * The Raft replica's messages on the wire (KIP-595's Vote, BeginQuorumEpoch, EndQuorumEpoch and Fetch of
 * `__cluster_metadata`-0): the statechart speaks in the core's values (raft/*), the peers in the protocol's bodies.
 * Every quorum API carries topics and partitions, though the metadata quorum is one partition: a request naming
 * anything else is refused where it enters (Kafka's hasValidTopicPartition: INVALID_REQUEST), as is another
 * cluster's (INCONSISTENT_CLUSTER_ID), before the chart sees it.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, errorForCode } from '@kactor/protocol';
import type { BeginQuorumEpochRequest, EndQuorumEpochRequest, QuorumEpochAnswer } from '../raft/quorum-epoch-requests.js';
import type { RaftFetchRequest } from '../raft/leader-fetch.js';
import type { RaftFetchAnswer } from '../raft/raft-replica-ports.js';
import type { VoteAnswer, VoteRequest } from '../raft/vote-request.js';
import type { VoteResponse } from '../raft/vote-response.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from '../raft/vote-request.js';

/** The listener name a leader announces its endpoint under (Kafka's default controller listener). */
export const CONTROLLER_LISTENER_NAME = 'CONTROLLER';

const noRecords = new Uint8Array(0);
const code = (name: ErrorName): number => errorByName(name).code;
const nameOf = (errorCode: number): ErrorName => errorForCode(errorCode).name;

/** A request's single partition, or the top-level error to answer instead. */
export type Admitted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errorCode: ErrorName };

function admitPartition<P>(clusterId: string, requestClusterId: string | null | undefined, topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly P[] }>, partitionOf: (partition: P) => number): Admitted<P> {
  if (requestClusterId !== null && requestClusterId !== undefined && requestClusterId !== clusterId) return { ok: false, errorCode: 'INCONSISTENT_CLUSTER_ID' };
  const topic = topics.length === 1 ? topics[0] : undefined;
  const partition = topic?.partitions.length === 1 ? topic.partitions[0] : undefined;
  if (topic?.name !== CLUSTER_METADATA_TOPIC || partition === undefined || partitionOf(partition) !== CLUSTER_METADATA_PARTITION) return { ok: false, errorCode: 'INVALID_REQUEST' };
  return { ok: true, value: partition };
}

const quorumTopicsOf = <P>(topics: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly P[] }>) => topics.map((topic) => ({ name: topic.topicName, partitions: topic.partitions }));

/** One voter's URL as the listener a BeginQuorumEpoch / EndQuorumEpoch announces. */
export function endpointOf(url: string): { name: string; host: string; port: number } {
  const parsed = new URL(url);
  return { name: CONTROLLER_LISTENER_NAME, host: parsed.hostname, port: parsed.port === '' ? 0 : Number(parsed.port) };
}

// ---- Vote ----

export function voteRequestBody(request: VoteRequest): RequestBody<'vote'> {
  return {
    clusterId: request.clusterId ?? null,
    voterId: request.voterKey?.id ?? -1,
    topics: [
      {
        topicName: request.topicName,
        partitions: [
          {
            partitionIndex: request.partitionIndex,
            replicaEpoch: request.replicaEpoch,
            replicaId: request.candidate.id,
            ...(request.candidate.directoryId === undefined ? {} : { replicaDirectoryId: request.candidate.directoryId }),
            ...(request.voterKey?.directoryId === undefined ? {} : { voterDirectoryId: request.voterKey.directoryId }),
            lastOffsetEpoch: request.lastOffsetEpoch,
            lastOffset: request.lastOffset,
            preVote: request.preVote,
          },
        ],
      },
    ],
  };
}

export function admitVoteRequest(clusterId: string, body: RequestBody<'vote'>): Admitted<{ from: number; request: VoteRequest }> {
  const admitted = admitPartition(clusterId, body.clusterId, quorumTopicsOf(body.topics), (partition) => partition.partitionIndex);
  if (!admitted.ok) return admitted;
  const partition = admitted.value;
  const request: VoteRequest = {
    clusterId,
    topicName: CLUSTER_METADATA_TOPIC,
    partitionIndex: CLUSTER_METADATA_PARTITION,
    candidate: partition.replicaDirectoryId === undefined ? { id: partition.replicaId } : { id: partition.replicaId, directoryId: partition.replicaDirectoryId },
    replicaEpoch: partition.replicaEpoch,
    ...(body.voterId < 0 ? {} : { voterKey: partition.voterDirectoryId === undefined ? { id: body.voterId } : { id: body.voterId, directoryId: partition.voterDirectoryId } }),
    lastOffsetEpoch: partition.lastOffsetEpoch,
    lastOffset: partition.lastOffset,
    preVote: partition.preVote,
  };
  return { ok: true, value: { from: partition.replicaId, request } };
}

export function voteResponseBody(answer: VoteAnswer): ResponseBody<'vote'> {
  return {
    errorCode: 0,
    topics: [
      {
        topicName: CLUSTER_METADATA_TOPIC,
        partitions: [{ partitionIndex: CLUSTER_METADATA_PARTITION, errorCode: code(answer.errorCode), leaderId: answer.leaderId, leaderEpoch: answer.leaderEpoch, voteGranted: answer.voteGranted }],
      },
    ],
  };
}

export function voteErrorBody(errorCode: ErrorName): ResponseBody<'vote'> {
  return { errorCode: code(errorCode), topics: [] };
}

/** The voter's answer as the chart takes it; undefined when it carries no partition (a top-level error). */
export function voteResponseOf(from: number, body: ResponseBody<'vote'>): VoteResponse | undefined {
  const partition = body.errorCode === 0 ? body.topics[0]?.partitions[0] : undefined;
  if (partition === undefined) return undefined;
  return { from, errorCode: nameOf(partition.errorCode), voteGranted: partition.voteGranted, leaderId: partition.leaderId, leaderEpoch: partition.leaderEpoch };
}

// ---- BeginQuorumEpoch / EndQuorumEpoch ----

export function beginQuorumEpochRequestBody(request: BeginQuorumEpochRequest, leaderUrl: string | undefined): RequestBody<'beginQuorumEpoch'> {
  return {
    clusterId: request.clusterId ?? null,
    voterId: request.voterKey?.id ?? -1,
    topics: [
      {
        topicName: CLUSTER_METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: CLUSTER_METADATA_PARTITION,
            ...(request.voterKey?.directoryId === undefined ? {} : { voterDirectoryId: request.voterKey.directoryId }),
            leaderId: request.leaderId,
            leaderEpoch: request.leaderEpoch,
          },
        ],
      },
    ],
    leaderEndpoints: leaderUrl === undefined ? [] : [endpointOf(leaderUrl)],
  };
}

/** The leader's endpoints are looked up in the static voter set, so the announced ones are not passed on. */
export function admitBeginQuorumEpochRequest(clusterId: string, body: RequestBody<'beginQuorumEpoch'>): Admitted<{ from: number; request: BeginQuorumEpochRequest }> {
  const admitted = admitPartition(clusterId, body.clusterId, quorumTopicsOf(body.topics), (partition) => partition.partitionIndex);
  if (!admitted.ok) return admitted;
  const partition = admitted.value;
  const request: BeginQuorumEpochRequest = {
    clusterId,
    leaderId: partition.leaderId,
    leaderEpoch: partition.leaderEpoch,
    ...(body.voterId < 0 ? {} : { voterKey: partition.voterDirectoryId === undefined ? { id: body.voterId } : { id: body.voterId, directoryId: partition.voterDirectoryId } }),
  };
  return { ok: true, value: { from: partition.leaderId, request } };
}

export function endQuorumEpochRequestBody(request: EndQuorumEpochRequest, leaderUrl: string | undefined): RequestBody<'endQuorumEpoch'> {
  return {
    clusterId: request.clusterId ?? null,
    topics: [
      {
        topicName: CLUSTER_METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: CLUSTER_METADATA_PARTITION,
            leaderId: request.leaderId,
            leaderEpoch: request.leaderEpoch,
            preferredCandidates: request.preferredSuccessors.map((candidateId) => ({ candidateId })),
          },
        ],
      },
    ],
    leaderEndpoints: leaderUrl === undefined ? [] : [endpointOf(leaderUrl)],
  };
}

export function admitEndQuorumEpochRequest(clusterId: string, body: RequestBody<'endQuorumEpoch'>): Admitted<{ from: number; request: EndQuorumEpochRequest }> {
  const admitted = admitPartition(clusterId, body.clusterId, quorumTopicsOf(body.topics), (partition) => partition.partitionIndex);
  if (!admitted.ok) return admitted;
  const partition = admitted.value;
  const request: EndQuorumEpochRequest = {
    clusterId,
    leaderId: partition.leaderId,
    leaderEpoch: partition.leaderEpoch,
    preferredSuccessors: partition.preferredCandidates.map((candidate) => candidate.candidateId),
  };
  return { ok: true, value: { from: partition.leaderId, request } };
}

/** BeginQuorumEpoch and EndQuorumEpoch answer in the same shape. */
export function quorumEpochResponseBody(answer: QuorumEpochAnswer): ResponseBody<'beginQuorumEpoch'> & ResponseBody<'endQuorumEpoch'> {
  return {
    errorCode: 0,
    topics: [
      {
        topicName: CLUSTER_METADATA_TOPIC,
        partitions: [{ partitionIndex: CLUSTER_METADATA_PARTITION, errorCode: code(answer.errorCode), leaderId: answer.leaderId, leaderEpoch: answer.leaderEpoch }],
      },
    ],
  };
}

export function quorumEpochErrorBody(errorCode: ErrorName): ResponseBody<'beginQuorumEpoch'> & ResponseBody<'endQuorumEpoch'> {
  return { errorCode: code(errorCode), topics: [] };
}

export function quorumEpochAnswerOf(body: ResponseBody<'beginQuorumEpoch'> | ResponseBody<'endQuorumEpoch'>): QuorumEpochAnswer | undefined {
  const partition = body.errorCode === 0 ? body.topics[0]?.partitions[0] : undefined;
  if (partition === undefined) return undefined;
  return { errorCode: nameOf(partition.errorCode), leaderId: partition.leaderId, leaderEpoch: partition.leaderEpoch };
}

// ---- Fetch ----

/** The fetcher's known high watermark (KIP-1166), which the chart's RaftFetchRequest carries once C1 adds it. */
type FetchWithHighWatermark = RaftFetchRequest & { readonly highWatermark?: number };

export function fetchRequestBody(request: FetchWithHighWatermark, maxBytes: number): RequestBody<'fetch'> {
  return {
    clusterId: request.clusterId ?? null,
    replicaId: request.replica.id,
    maxWaitMs: request.maxWaitMs,
    minBytes: 1,
    maxBytes,
    isolationLevel: 0,
    topics: [
      {
        topic: request.topicName,
        partitions: [
          {
            partition: request.partitionIndex,
            currentLeaderEpoch: request.currentLeaderEpoch,
            fetchOffset: request.fetchOffset,
            lastFetchedEpoch: request.lastFetchedEpoch,
            logStartOffset: -1,
            partitionMaxBytes: maxBytes,
            ...(request.highWatermark === undefined ? {} : { highWatermark: request.highWatermark }),
          },
        ],
      },
    ],
  };
}

export function admitFetchRequest(clusterId: string, body: RequestBody<'fetch'>): Admitted<{ from: number; request: FetchWithHighWatermark }> {
  const admitted = admitPartition(clusterId, body.clusterId, body.topics.map((topic) => ({ name: topic.topic, partitions: topic.partitions })), (partition) => partition.partition);
  if (!admitted.ok) return admitted;
  // The leader answers held fetches by replica id; a plain reader (-1) has none to tell two of them apart.
  if (body.replicaId < 0) return { ok: false, errorCode: 'INVALID_REQUEST' };
  const partition = admitted.value;
  const request: FetchWithHighWatermark = {
    clusterId,
    topicName: CLUSTER_METADATA_TOPIC,
    partitionIndex: CLUSTER_METADATA_PARTITION,
    replica: { id: body.replicaId },
    maxWaitMs: body.maxWaitMs,
    currentLeaderEpoch: partition.currentLeaderEpoch,
    fetchOffset: partition.fetchOffset,
    lastFetchedEpoch: partition.lastFetchedEpoch ?? -1,
    ...(partition.highWatermark === undefined ? {} : { highWatermark: partition.highWatermark }),
  };
  return { ok: true, value: { from: body.replicaId, request } };
}

export function fetchResponseBody(answer: RaftFetchAnswer, logStartOffset: number): ResponseBody<'fetch'> {
  const records = answer.records instanceof Uint8Array ? answer.records : noRecords;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    responses: [
      {
        topic: CLUSTER_METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: CLUSTER_METADATA_PARTITION,
            errorCode: code(answer.errorCode),
            highWatermark: answer.highWatermark,
            lastStableOffset: answer.highWatermark,
            logStartOffset,
            abortedTransactions: null,
            ...(answer.divergingEpoch === undefined ? {} : { divergingEpoch: { epoch: answer.divergingEpoch.epoch, endOffset: answer.divergingEpoch.offset } }),
            currentLeader: { leaderId: answer.leaderId ?? -1, leaderEpoch: answer.leaderEpoch },
            ...(answer.snapshotId === undefined ? {} : { snapshotId: { endOffset: answer.snapshotId.offset, epoch: answer.snapshotId.epoch } }),
            records,
          },
        ],
      },
    ],
  };
}

export function fetchErrorBody(errorCode: ErrorName): ResponseBody<'fetch'> {
  return { throttleTimeMs: 0, errorCode: code(errorCode), responses: [] };
}

export function fetchAnswerOf(body: ResponseBody<'fetch'>): RaftFetchAnswer | undefined {
  const partition = body.errorCode === 0 ? body.responses[0]?.partitions[0] : undefined;
  if (partition === undefined) return undefined;
  const diverging = partition.divergingEpoch;
  const snapshot = partition.snapshotId;
  return {
    errorCode: nameOf(partition.errorCode),
    highWatermark: partition.highWatermark,
    ...(diverging === undefined || diverging.epoch < 0 ? {} : { divergingEpoch: { epoch: diverging.epoch, offset: diverging.endOffset } }),
    ...(snapshot === undefined || snapshot.epoch < 0 || snapshot.endOffset < 0 ? {} : { snapshotId: { epoch: snapshot.epoch, offset: snapshot.endOffset } }),
    leaderId: partition.currentLeader?.leaderId ?? -1,
    leaderEpoch: partition.currentLeader?.leaderEpoch ?? -1,
    ...(partition.records.length === 0 ? {} : { records: partition.records }),
  };
}
