/**
 * AlterPartition (Kafka api key 56; AlterIsr in KIP-497, renamed by KIP-704, broker epochs by KIP-903): a
 * partition leader asks the controller to change the partition's ISR. The controller's records are the truth: it
 * checks the leader epoch and partition epoch against its own and answers with the committed ISR and epochs, or
 * an error (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INVALID_REQUEST, INELIGIBLE_REPLICA). A control-plane
 * request: only brokers that present the cluster secret may send it (cluster-actions.ts).
 */
import { z } from 'zod';
import { boundedArray, brokerIds, int16, int32, int64, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** KIP-704: RECOVERED (0), or RECOVERING (1) after an unclean election until the new leader has recovered. */
export const leaderRecoveryStates = { RECOVERED: 0, RECOVERING: 1 } as const;
const leaderRecoveryState = z.int().min(leaderRecoveryStates.RECOVERED).max(leaderRecoveryStates.RECOVERING);

export const alterPartitionRequestV0 = z.strictObject({
  /** The leader sending the request. */
  brokerId: int32,
  /** Its broker epoch, so a request from an earlier incarnation of the broker is refused. */
  brokerEpoch: int64,
  topics: boundedArray(
    z.strictObject({
      topicId: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partitionIndex: int32,
          /** The leader epoch the leader holds; an older one than the controller's is FENCED_LEADER_EPOCH. */
          leaderEpoch: int32,
          /** The proposed ISR, each member with the broker epoch the leader saw it fetch with (-1: not checked). */
          newIsrWithEpochs: boundedArray(z.strictObject({ brokerId: int32, brokerEpoch: int64 }), wireLimits.maxBrokers),
          leaderRecoveryState,
          /** The partition epoch the leader's ISR came from; an older one is INVALID_UPDATE_VERSION. */
          partitionEpoch: int32,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const alterPartitionResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  /** A request-wide error (NOT_CONTROLLER, STALE_BROKER_EPOCH); NONE when each partition has its own answer. */
  errorCode: int16,
  topics: boundedArray(
    z.strictObject({
      topicId: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partitionIndex: int32,
          errorCode: int16,
          leaderId: int32,
          leaderEpoch: int32,
          /** The committed ISR, which the leader adopts. */
          isr: brokerIds,
          leaderRecoveryState,
          partitionEpoch: int32,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
