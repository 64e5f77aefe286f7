/**
 * FetchSnapshot (KIP-630) on the wire: the leader's answer, built by the core (raft/fetch-snapshot.ts) from the
 * snapshots beside its log, and the follower's request and its reading of the answer. Checks in Kafka's order
 * (KafkaRaftClient.handleFetchSnapshotRequest): cluster id and partition for the whole request, then the leader-only
 * epoch checks, whose errors name the leader this replica knows, then SNAPSHOT_NOT_FOUND and POSITION_OUT_OF_RANGE.
 * A chunk holds at most min(MaxBytes, the host's bound) bytes (docs/LIMITS.md).
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import type { SnapshotStore } from '@kactor/storage';
import { errorByName, errorForCode } from '@kactor/protocol';
import { handleFetchSnapshotRequest, type RaftFetchSnapshotRequest, type RaftFetchSnapshotResponse, type SnapshotReader } from '../raft/fetch-snapshot.js';
import type { QuorumState } from '../raft/quorum-state.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from '../raft/vote-request.js';

const empty = new Uint8Array(0);

/** A snapshot store as the FetchSnapshot answer reads it: (end offset, epoch) ids, bounded reads. */
export function snapshotReaderOf(store: SnapshotStore): SnapshotReader {
  const idOf = (id: { offset: number; epoch: number }) => ({ endOffset: id.offset, epoch: id.epoch });
  return {
    sizeOf: (id) => (store.list().some((stored) => stored.endOffset === id.offset && stored.epoch === id.epoch) ? store.sizeBytes(idOf(id)) : undefined),
    read: (id, position, maxBytes) => store.read(idOf(id), position, maxBytes),
  };
}

export interface FetchSnapshotServing {
  readonly clusterId: string;
  readonly maxChunkBytes: number;
  readonly snapshots: SnapshotReader;
}

/** The leader's answer to a FetchSnapshot body (any replica's answer: a non-leader's names the leader it knows). */
export function fetchSnapshotResponse(body: RequestBody<'fetchSnapshot'>, quorum: QuorumState | undefined, serving: FetchSnapshotServing): ResponseBody<'fetchSnapshot'> {
  const topic = body.topics.length === 1 ? body.topics[0] : undefined;
  const partition = topic?.partitions.length === 1 ? topic.partitions[0] : undefined;
  const request: RaftFetchSnapshotRequest = {
    ...(body.clusterId === null ? {} : { clusterId: body.clusterId }),
    topicName: topic?.name ?? '',
    partitionIndex: partition?.partition ?? -1,
    replicaId: body.replicaId,
    maxBytes: body.maxBytes,
    currentLeaderEpoch: partition?.currentLeaderEpoch ?? -1,
    snapshotId: { offset: partition?.snapshotId.endOffset ?? -1, epoch: partition?.snapshotId.epoch ?? -1 },
    position: partition?.position ?? -1,
  };
  const outcome = partition === undefined ? { kind: 'top-level-error' as const, errorCode: 'INVALID_REQUEST' as const } : handleFetchSnapshotRequest(quorum, request, serving);
  if (outcome.kind === 'top-level-error') return { throttleTimeMs: 0, errorCode: errorByName(outcome.errorCode).code, topics: [] };
  const answer = outcome.response;
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
