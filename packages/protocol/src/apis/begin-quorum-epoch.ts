/**
 * BeginQuorumEpoch (Kafka api key 53, KIP-595): a newly elected leader tells the other voters it leads the
 * epoch. Replication is pull-based, so without it a voter would not know whom to fetch from; the leader resends
 * it until each voter has answered or fetched. A voter in an older epoch becomes its Follower; a request from an
 * older epoch is FENCED_LEADER_EPOCH. A control-plane request (cluster-actions.ts).
 */
import { z } from 'zod';
import { int16, int32, nullableString } from './primitives.js';
import { kafkaUuid, namedEndpoints, nodeEndpoints, quorumTopics } from './quorum-fields.js';

export const beginQuorumEpochRequestV0 = z.strictObject({
  clusterId: nullableString,
  /** The voter this request is addressed to (-1: any). */
  voterId: int32,
  topics: quorumTopics({
    partitionIndex: int32,
    /** The directory id of the voter addressed; absent in a static quorum. */
    voterDirectoryId: kafkaUuid.optional(),
    /** The new leader. */
    leaderId: int32,
    /** The epoch it leads. */
    leaderEpoch: int32,
  }),
  /** Where the new leader listens, so its followers can fetch from it. */
  leaderEndpoints: namedEndpoints,
});

export const beginQuorumEpochResponseV0 = z.strictObject({
  errorCode: int16,
  topics: quorumTopics({
    partitionIndex: int32,
    errorCode: int16,
    /** The leader the voter knows, or -1. */
    leaderId: int32,
    leaderEpoch: int32,
  }),
  nodeEndpoints: nodeEndpoints.optional(),
});
