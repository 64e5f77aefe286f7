/**
 * FetchSnapshot (KIP-630) on the wire: a request is admitted here (cluster id and partition, answered with a top-level
 * error as Kafka's KafkaRaftClient.handleFetchSnapshotRequest does before anything else) and then answered by the
 * chart (raft/fetch-snapshot.ts through the Raft replica statechart: leader-only epoch checks naming the leader it
 * knows, SNAPSHOT_NOT_FOUND, POSITION_OUT_OF_RANGE, a chunk of at most min(MaxBytes, RAFT_MAX_FETCH_BYTES) bytes);
 * the follower's request and its reading of the answer are built here too.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, errorForCode } from '@kactor/protocol';
import type { RaftFetchSnapshotRequest, RaftFetchSnapshotResponse } from '../raft/fetch-snapshot.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from '../raft/vote-request.js';
import type { Admitted } from './raft-wire.js';

const empty = new Uint8Array(0);

/** The one partition of a FetchSnapshot, or the top-level error to answer instead. */
export function admitFetchSnapshotRequest(clusterId: string, body: RequestBody<'fetchSnapshot'>): Admitted<{ from: number; request: RaftFetchSnapshotRequest }> {
  if (body.clusterId !== null && body.clusterId !== clusterId) return { ok: false, errorCode: 'INCONSISTENT_CLUSTER_ID' };
  const topic = body.topics.length === 1 ? body.topics[0] : undefined;
  const partition = topic?.partitions.length === 1 ? topic.partitions[0] : undefined;
  if (topic?.name !== CLUSTER_METADATA_TOPIC || partition === undefined || partition.partition !== CLUSTER_METADATA_PARTITION) return { ok: false, errorCode: 'INVALID_REQUEST' };
  return {
    ok: true,
    value: {
      from: body.replicaId,
      request: {
        clusterId,
        topicName: CLUSTER_METADATA_TOPIC,
        partitionIndex: CLUSTER_METADATA_PARTITION,
        replicaId: body.replicaId,
        maxBytes: body.maxBytes,
        currentLeaderEpoch: partition.currentLeaderEpoch,
        snapshotId: { offset: partition.snapshotId.endOffset, epoch: partition.snapshotId.epoch },
        position: partition.position,
      },
    },
  };
}

export function fetchSnapshotErrorBody(errorCode: ErrorName): ResponseBody<'fetchSnapshot'> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorCode).code, topics: [] };
}

export function fetchSnapshotResponseBody(answer: RaftFetchSnapshotResponse): ResponseBody<'fetchSnapshot'> {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: [
      {
        name: CLUSTER_METADATA_TOPIC,
        partitions: [
          {
            index: CLUSTER_METADATA_PARTITION,
            errorCode: errorByName(answer.errorCode).code,
            snapshotId: { endOffset: answer.snapshotId.offset, epoch: answer.snapshotId.epoch },
            currentLeader: { leaderId: answer.leaderId ?? -1, leaderEpoch: answer.leaderEpoch },
            size: answer.size,
            position: answer.position,
            unalignedRecords: answer.bytes ?? empty,
          },
        ],
      },
    ],
  };
}

export function fetchSnapshotRequestBody(request: RaftFetchSnapshotRequest, maxBytes: number): RequestBody<'fetchSnapshot'> {
  return {
    clusterId: request.clusterId ?? null,
    replicaId: request.replicaId,
    maxBytes: Math.min(request.maxBytes, maxBytes),
    topics: [
      {
        name: request.topicName,
        partitions: [{ partition: request.partitionIndex, currentLeaderEpoch: request.currentLeaderEpoch, snapshotId: { endOffset: request.snapshotId.offset, epoch: request.snapshotId.epoch }, position: request.position }],
      },
    ],
  };
}

/** The follower's reading of the answer; undefined for a top-level error or an answer without the partition. */
export function fetchSnapshotAnswerOf(body: ResponseBody<'fetchSnapshot'>): RaftFetchSnapshotResponse | undefined {
  const partition = body.errorCode === 0 ? body.topics[0]?.partitions[0] : undefined;
  if (partition === undefined) return undefined;
  return {
    errorCode: errorForCode(partition.errorCode).name,
    leaderId: partition.currentLeader?.leaderId ?? -1,
    leaderEpoch: partition.currentLeader?.leaderEpoch ?? -1,
    snapshotId: { offset: partition.snapshotId.endOffset, epoch: partition.snapshotId.epoch },
    size: partition.size,
    position: partition.position,
    bytes: partition.unalignedRecords,
  };
}
