/**
 * ElectLeaders (Kafka api key 43, KIP-183, KIP-460): an admin asks the controller to elect leaders now, either
 * the preferred replica (the first assigned, if it is in the ISR and alive) or, for a leaderless partition, an
 * unclean choice outside the ISR that may lose acknowledged records. A partition whose leader is already the
 * right one is answered ELECTION_NOT_NEEDED (84).
 */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString, nullableString, partitionIndexes } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** Kafka's ElectionType values. */
export const electionTypes = { PREFERRED: 0, UNCLEAN: 1 } as const;

export const electLeadersRequestV0 = z.strictObject({
  electionType: z.int().min(electionTypes.PREFERRED).max(electionTypes.UNCLEAN),
  /** The partitions to elect for, or null for every partition of the cluster. */
  topicPartitions: boundedArray(z.strictObject({ topic: kafkaString, partitions: partitionIndexes }), wireLimits.maxTopicsPerRequest).nullable(),
  /** How long the controller may wait for the new leaders to reach the brokers before answering. */
  timeoutMs: int32,
});

export const electLeadersResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  /** A request-wide error (NOT_CONTROLLER, CLUSTER_AUTHORIZATION_FAILED); NONE when each partition has its own answer. */
  errorCode: int16,
  /** Every partition asked; for a request naming none (null), the partitions of every topic an election was tried for. */
  replicaElectionResults: boundedArray(
    z.strictObject({
      topic: kafkaString,
      partitionResult: boundedArray(
        z.strictObject({ partitionId: int32, errorCode: int16, errorMessage: nullableString }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxListedEntries,
  ),
});
