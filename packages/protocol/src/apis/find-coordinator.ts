/**
 * FindCoordinator (Kafka api key 10): which broker coordinates a group (key type 0) or a transactional id
 * (key type 1, the exactly-once issue). Any broker answers; the first question for a group creates the
 * internal `__consumer_offsets` topic, and until its partition has a leader the answer is
 * COORDINATOR_NOT_AVAILABLE (retriable).
 */
import { z } from 'zod';
import { int16, int32, int8, kafkaString, nullableString } from './primitives.js';

export const coordinatorKeyTypes = { group: 0, transaction: 1 } as const;

export const findCoordinatorRequestV0 = z.strictObject({
  key: kafkaString,
  keyType: int8,
});

export const findCoordinatorResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: kafkaString,
  port: int32,
  /** The coordinator's address (kactor: clients connect by URL). */
  url: kafkaString,
});
