/**
 * FetchSnapshot (KIP-630) as this replica can answer it today: no metadata snapshots are written yet, so the leader
 * has none to give (SNAPSHOT_NOT_FOUND) and its Fetch answers never name one. The checks come in Kafka's order
 * (KafkaRaftClient.handleFetchSnapshotRequest): cluster id and partition for the whole request, then the leader-only
 * epoch checks, whose errors name the leader this replica knows.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { validateLeaderOnlyRequest } from '../raft/leader-fetch.js';
import { leaderIdOrSentinel, type QuorumState } from '../raft/quorum-state.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from '../raft/vote-request.js';

const empty = new Uint8Array(0);

function topLevel(errorCode: ErrorName): ResponseBody<'fetchSnapshot'> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorCode).code, topics: [] };
}

export function fetchSnapshotResponse(body: RequestBody<'fetchSnapshot'>, quorum: QuorumState | undefined, clusterId: string): ResponseBody<'fetchSnapshot'> {
  if (body.clusterId !== null && body.clusterId !== clusterId) return topLevel('INCONSISTENT_CLUSTER_ID');
  const topic = body.topics.length === 1 ? body.topics[0] : undefined;
  const partition = topic?.partitions.length === 1 ? topic.partitions[0] : undefined;
  if (topic?.name !== CLUSTER_METADATA_TOPIC || partition === undefined || partition.partition !== CLUSTER_METADATA_PARTITION || quorum === undefined) return topLevel('INVALID_REQUEST');
  const leaderOnly = validateLeaderOnlyRequest(quorum, partition.currentLeaderEpoch);
  const errorCode: ErrorName = leaderOnly === 'NONE' ? 'SNAPSHOT_NOT_FOUND' : leaderOnly;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: [
      {
        name: CLUSTER_METADATA_TOPIC,
        partitions: [
          {
            index: CLUSTER_METADATA_PARTITION,
            errorCode: errorByName(errorCode).code,
            snapshotId: partition.snapshotId,
            currentLeader: { leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch },
            size: -1,
            position: -1,
            unalignedRecords: empty,
          },
        ],
      },
    ],
  };
}
