/**
 * Vote (Kafka api key 52, KIP-595; pre-vote by KIP-996): a replica of the metadata quorum asks the other voters
 * for their vote. A standard vote comes from a Candidate that has bumped the epoch and voted for itself; a voter
 * grants it at most once per epoch, and only to a replica whose log is at least as up to date as its own,
 * compared by (last epoch, end offset). A pre-vote (`preVote: true`) comes from a Prospective replica at its
 * current epoch: the voter answers whether it would grant, persists nothing, and so a replica cut off from the
 * others cannot disturb a healthy leader by bumping the epoch. Kafka named the sender's fields Candidate* until
 * Vote v2, since a Prospective replica is not a candidate yet. A control-plane request (cluster-actions.ts).
 */
import { z } from 'zod';
import { int16, int32, int64, nullableString } from './primitives.js';
import { kafkaUuid, nodeEndpoints, quorumTopics } from './quorum-fields.js';

export const voteRequestV0 = z.strictObject({
  /** The sender's cluster id; a different non-null one is INCONSISTENT_CLUSTER_ID. */
  clusterId: nullableString,
  /** The voter this request is addressed to (-1: any), so a misrouted request is INVALID_VOTER_KEY. */
  voterId: int32,
  topics: quorumTopics({
    partitionIndex: int32,
    /** The sender's epoch: bumped for a standard vote, its current one for a pre-vote. */
    replicaEpoch: int32,
    /** The replica asking for the vote. */
    replicaId: int32,
    /** The sender's log directory id (KIP-853); absent in a static quorum. */
    replicaDirectoryId: kafkaUuid.optional(),
    /** The directory id of the voter addressed; absent in a static quorum. */
    voterDirectoryId: kafkaUuid.optional(),
    /** The epoch of the last batch in the sender's metadata log. */
    lastOffsetEpoch: int32,
    /** The sender's log end offset. */
    lastOffset: int64,
    /** true: a pre-vote (KIP-996), which changes no state; false: a standard vote. */
    preVote: z.boolean(),
  }),
});

export const voteResponseV0 = z.strictObject({
  /** A request-wide error (INCONSISTENT_CLUSTER_ID, CLUSTER_AUTHORIZATION_FAILED); NONE otherwise. */
  errorCode: int16,
  topics: quorumTopics({
    partitionIndex: int32,
    errorCode: int16,
    /** The leader the voter knows, or -1. */
    leaderId: int32,
    /** The voter's epoch, so a sender behind it catches up. */
    leaderEpoch: int32,
    voteGranted: z.boolean(),
  }),
  /** Where to reach the leaders named above; absent when none is known. */
  nodeEndpoints: nodeEndpoints.optional(),
});
