/**
 * DescribeQuorum (Kafka api key 55, KIP-595; times by KIP-836, directory ids and nodes by KIP-853): the state of
 * the metadata quorum as its leader sees it: who leads which epoch, the high watermark, and how far each voter
 * and each observer (a broker) has fetched and when. `kafka-metadata-quorum describe --status/--replication`
 * reads it. An admin read: Kafka authorizes DESCRIBE on the cluster; kactor lets clients send it.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, nullableString } from './primitives.js';
import { kafkaUuid, namedEndpoints, quorumTopics } from './quorum-fields.js';
import { wireLimits } from './wire-limits.js';

export const describeQuorumRequestV0 = z.strictObject({
  topics: quorumTopics({ partitionIndex: int32 }),
});

/** One replica as the leader last saw it. */
export const quorumReplicaState = z.strictObject({
  replicaId: int32,
  replicaDirectoryId: kafkaUuid.optional(),
  /** Its log end offset as the leader knows it (the offset of its last fetch), or -1. */
  logEndOffset: int64,
  /** When it last fetched, on the leader's clock (ms); -1 for the leader itself or when unknown. */
  lastFetchTimestamp: int64,
  /** When it was last caught up with the leader's log end, on the leader's clock (ms); the leader reports now; -1 when unknown. */
  lastCaughtUpTimestamp: int64,
});

export const describeQuorumResponseV0 = z.strictObject({
  /** A request-wide error (NOT_LEADER_OR_FOLLOWER from a replica that does not lead). */
  errorCode: int16,
  errorMessage: nullableString,
  topics: quorumTopics({
    partitionIndex: int32,
    errorCode: int16,
    errorMessage: nullableString,
    /** The leader, or -1 when none is known. */
    leaderId: int32,
    leaderEpoch: int32,
    /** The offset below which the metadata log is committed, or -1 while the new leader does not know it. */
    highWatermark: int64,
    currentVoters: boundedArray(quorumReplicaState, wireLimits.maxBrokers),
    observers: boundedArray(quorumReplicaState, wireLimits.maxBrokers),
  }),
  /** The listeners of each voter named above. */
  nodes: boundedArray(z.strictObject({ nodeId: int32, listeners: namedEndpoints }), wireLimits.maxBrokers),
});
