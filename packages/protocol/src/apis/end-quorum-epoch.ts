/**
 * EndQuorumEpoch (Kafka api key 54, KIP-595): a leader that resigns (a graceful shutdown, or check-quorum
 * failing) tells the other voters, so they elect a successor at once rather than after a fetch timeout. The
 * voters it names first in `preferredCandidates` (sorted by how far each has fetched) start their elections
 * earliest. Kafka's v0 listed bare ids (PreferredSuccessors); KIP-853 added directory ids. A control-plane
 * request (cluster-actions.ts).
 */
import { z } from 'zod';
import { boundedArray, int16, int32, nullableString } from './primitives.js';
import { kafkaUuid, namedEndpoints, nodeEndpoints, quorumTopics } from './quorum-fields.js';
import { wireLimits } from './wire-limits.js';

export const endQuorumEpochRequestV0 = z.strictObject({
  clusterId: nullableString,
  topics: quorumTopics({
    partitionIndex: int32,
    /** The leader that resigns. */
    leaderId: int32,
    /** The epoch it led. */
    leaderEpoch: int32,
    /** The voters that should try first, most caught up first. */
    preferredCandidates: boundedArray(
      z.strictObject({ candidateId: int32, candidateDirectoryId: kafkaUuid.optional() }),
      wireLimits.maxBrokers,
    ),
  }),
  leaderEndpoints: namedEndpoints,
});

export const endQuorumEpochResponseV0 = z.strictObject({
  errorCode: int16,
  topics: quorumTopics({
    partitionIndex: int32,
    errorCode: int16,
    leaderId: int32,
    leaderEpoch: int32,
  }),
  nodeEndpoints: nodeEndpoints.optional(),
});
