/**
 * A transaction marker written by this leader (KIP-98: the transaction coordinator's WriteTxnMarkers). The marker is a
 * control batch of the producer's id and epoch that closes its open transaction here; Kafka appends it with
 * requiredAcks -1, so it is answered (`txn.markerWritten`) once the high watermark passes it, as an acks=all produce is.
 */
import { encodeEndTxnMarkerBatch } from '@kactor/protocol';
import { announceAppended, awaitCommit, emptyStep, requireLeaderState, type Step } from './leader-steps.js';
import type { PartitionContext, TxnMarkerRequest, TxnMarkerWritten } from './partition-types.js';
import { checkMarker, recordMarker } from './producer-state.js';
import { snapshotIfRolled } from './producer-steps.js';

/** The produce-timer id of a waiting marker: marker ids come from the node, distinct from produce ids by this prefix. */
export const markerWaitId = (markerId: string) => `txn-marker-${markerId}`;

function answered(context: PartitionContext, markerId: string, errorName: TxnMarkerWritten['errorName'], errorMessage: string | null): TxnMarkerWritten {
  return { type: 'txn.markerWritten', markerId, topic: context.topic, partition: context.partition, errorName, errorMessage };
}

/** A replica that does not lead answers NOT_LEADER_OR_FOLLOWER: the coordinator finds the new leader and sends it again. */
export function markerNotLeader(context: PartitionContext, markerId: string): TxnMarkerWritten {
  return answered(context, markerId, 'NOT_LEADER_OR_FOLLOWER', `broker ${context.brokerId} does not lead ${context.topic}-${context.partition} (leader ${context.leader})`);
}

export function writeMarkerAsLeader(context: PartitionContext, request: TxnMarkerRequest, nowMs: number): Step {
  const step = emptyStep();
  const marker = { producerId: request.producerId, producerEpoch: request.producerEpoch, coordinatorEpoch: request.coordinatorEpoch, result: request.result };
  const check = checkMarker(context.producerState, marker);
  if (check.kind === 'error') {
    context.ports.logger.info({ marker, errorName: check.errorName }, 'refused a transaction marker');
    step.emits.push(answered(context, request.markerId, check.errorName, check.message));
    return step;
  }
  const leaderState = requireLeaderState(context);
  const { log } = context.ports;
  const segmentsBefore = log.segmentCount;
  let appended;
  try {
    if ((log.leaderEpochCache.latestEpoch ?? -1) < context.leaderEpoch) log.leaderEpochCache.assign(context.leaderEpoch, log.logEndOffset);
    const batch = encodeEndTxnMarkerBatch({ type: request.result, producerId: request.producerId, producerEpoch: request.producerEpoch, coordinatorEpoch: request.coordinatorEpoch, timestampMs: nowMs });
    appended = log.append(batch, { leaderEpoch: context.leaderEpoch, recordCount: 1 });
  } catch (error) {
    context.ports.logger.error({ err: error }, 'appending a transaction marker failed');
    step.emits.push(answered(context, request.markerId, 'KAFKA_STORAGE_ERROR', String(error)));
    return step;
  }
  const { state } = recordMarker(context.producerState, marker, appended.lastOffset, nowMs, context.highWatermark);
  step.context.producerState = state;
  snapshotIfRolled(context, segmentsBefore, state);
  const waitId = markerWaitId(request.markerId);
  const awaited = awaitCommit(
    { ...context, producerState: state },
    leaderState,
    step,
    { produceId: waitId, markerId: request.markerId, baseOffset: appended.baseOffset, requiredOffset: appended.lastOffset + 1, deadlineMs: nowMs + request.timeoutMs },
    nowMs,
    request.timeoutMs,
  );
  return announceAppended(context, awaited);
}
