/**
 * What a KIP-848 member does about each ConsumerGroupHeartbeat answer (Kafka's
 * `ConsumerHeartbeatRequestManager.onErrorResponse`), as one pure function the machine's guards read.
 */
import { errorByName } from '@kactor/protocol';
import { meansCoordinatorLoading, meansCoordinatorLost } from '../group-responses.js';
import type { HeartbeatOutcome } from './membership-types.js';

/**
 * - `ok`: the answer counts (epoch, interval, maybe a new assignment).
 * - `fenced`: FENCED_MEMBER_EPOCH or UNKNOWN_MEMBER_ID: the coordinator no longer counts this member at
 *   its epoch; its partitions are lost and it joins again with epoch 0 (same member id).
 * - `coordinatorLost`: NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or the request failed as a whole: find
 *   the coordinator again.
 * - `retry`: COORDINATOR_LOAD_IN_PROGRESS and other retriable errors: the same heartbeat after a backoff.
 * - `fatal`: UNSUPPORTED_ASSIGNOR, GROUP_MAX_SIZE_REACHED, INVALID_REQUEST, UNRELEASED_INSTANCE_ID,
 *   FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED and anything else Kafka does not retry.
 */
export type HeartbeatVerdict = 'ok' | 'fenced' | 'coordinatorLost' | 'retry' | 'fatal';

export function heartbeatVerdict(outcome: HeartbeatOutcome): HeartbeatVerdict {
  if (outcome.errorName === 'NONE') return 'ok';
  if (outcome.errorName === 'FENCED_MEMBER_EPOCH' || outcome.errorName === 'UNKNOWN_MEMBER_ID') return 'fenced';
  if (meansCoordinatorLost(outcome)) return 'coordinatorLost';
  if (meansCoordinatorLoading(outcome) || errorByName(outcome.errorName).retriable) return 'retry';
  return 'fatal';
}
