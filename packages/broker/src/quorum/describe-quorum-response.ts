/**
 * DescribeQuorum's answer (KafkaRaftClient.handleDescribeQuorumRequest, KIP-595/KIP-836): the leader describes the
 * quorum from its LeaderState (raft/describe-quorum.ts: each voter's and observer's log end offset, last fetch and
 * last caught-up times); any other replica answers NOT_LEADER_OR_FOLLOWER naming the leader and epoch it knows, so
 * the asker can go there. A request for another partition gets UNKNOWN_TOPIC_OR_PARTITION, as in Kafka.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, wireLimits } from '@kactor/protocol';
import { describeQuorum, type QuorumReplicaDescription } from '../raft/describe-quorum.js';
import { leaderIdOrSentinel, type QuorumState } from '../raft/quorum-state.js';
import { CLUSTER_METADATA_PARTITION, CLUSTER_METADATA_TOPIC } from '../raft/vote-request.js';
import { endpointOf } from './raft-wire.js';

type DescribedPartition = ResponseBody<'describeQuorum'>['topics'][number]['partitions'][number];
type DescribedReplica = DescribedPartition['currentVoters'][number];

function replicaOf(replica: QuorumReplicaDescription): DescribedReplica {
  return {
    replicaId: replica.replicaId,
    ...(replica.replicaDirectoryId === undefined ? {} : { replicaDirectoryId: replica.replicaDirectoryId }),
    logEndOffset: replica.logEndOffset,
    lastFetchTimestamp: replica.lastFetchTimestamp,
    lastCaughtUpTimestamp: replica.lastCaughtUpTimestamp,
  };
}

function partitionOf(quorum: QuorumState | undefined, nowMs: number): DescribedPartition {
  if (quorum?.state.name === 'Leader') {
    const description = describeQuorum(quorum.state.leader, nowMs);
    return {
      partitionIndex: CLUSTER_METADATA_PARTITION,
      errorCode: 0,
      errorMessage: null,
      leaderId: description.leaderId,
      leaderEpoch: description.leaderEpoch,
      highWatermark: description.highWatermark,
      currentVoters: description.voters.map(replicaOf),
      // An answer may name at most wireLimits.maxBrokers observers (each fetched within the last five minutes).
      observers: description.observers.slice(0, wireLimits.maxBrokers).map(replicaOf),
    };
  }
  const leaderId = quorum === undefined ? -1 : leaderIdOrSentinel(quorum);
  return {
    partitionIndex: CLUSTER_METADATA_PARTITION,
    errorCode: errorByName('NOT_LEADER_OR_FOLLOWER').code,
    errorMessage: leaderId < 0 ? 'this replica does not lead the metadata quorum and knows no leader' : `this replica does not lead the metadata quorum; node ${leaderId} does`,
    leaderId,
    leaderEpoch: quorum?.state.epoch ?? -1,
    highWatermark: -1,
    currentVoters: [],
    observers: [],
  };
}

/** The quorum as this replica can describe it, with the voters' listeners. */
export function describeQuorumResponse(quorum: QuorumState | undefined, nowMs: number, voters: ReadonlyArray<{ readonly id: number; readonly url: string }>): ResponseBody<'describeQuorum'> {
  return {
    errorCode: 0,
    errorMessage: null,
    topics: [{ topicName: CLUSTER_METADATA_TOPIC, partitions: [partitionOf(quorum, nowMs)] }],
    nodes: voters.map((voter) => ({ nodeId: voter.id, listeners: [endpointOf(voter.url)] })),
  };
}

/** The request names exactly `__cluster_metadata`-0. */
export function isMetadataPartitionRequest(body: RequestBody<'describeQuorum'>): boolean {
  const topic = body.topics.length === 1 ? body.topics[0] : undefined;
  return topic?.topicName === CLUSTER_METADATA_TOPIC && topic.partitions.length === 1 && topic.partitions[0]?.partitionIndex === CLUSTER_METADATA_PARTITION;
}

/** Kafka's getPartitionLevelErrorResponse: each partition asked for, with UNKNOWN_TOPIC_OR_PARTITION. */
export function unknownPartitionResponse(body: RequestBody<'describeQuorum'>): ResponseBody<'describeQuorum'> {
  const errorCode = errorByName('UNKNOWN_TOPIC_OR_PARTITION').code;
  return {
    errorCode: 0,
    errorMessage: null,
    topics: body.topics.map((topic) => ({
      topicName: topic.topicName,
      partitions: topic.partitions.map((partition) => ({
        partitionIndex: partition.partitionIndex,
        errorCode,
        errorMessage: null,
        leaderId: -1,
        leaderEpoch: -1,
        highWatermark: -1,
        currentVoters: [],
        observers: [],
      })),
    })),
    nodes: [],
  };
}
