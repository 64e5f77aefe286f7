/**
 * The leader's producer checks on a produce (KIP-98 idempotence and transactions), the state after an append, and the
 * snapshot written when a segment rolls. Pure decisions come from producer-state.ts; these adapt them to the batches
 * of one Produce and to the partition's context.
 */
import type { PartitionContext, ProduceOrigin } from './partition-types.js';
import { checkAppend, checkCoordinatorAppend, checkMarker, type ProducerState } from './producer-state.js';
import { applyStoredBatches, writeProducerSnapshot, type StoredBatch } from './producer-state-log.js';

export type ProducerCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; errorName: 'INVALID_RECORD' | 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' | 'INVALID_TXN_STATE' | 'TRANSACTION_COORDINATOR_FENCED'; message: string };

/**
 * Checks the batches of one produce against the producer state. A client's batches without a producer id are not
 * checked. Kafka takes exactly one batch per partition in a Produce v3+ (ProduceRequest.validateRecords), and the
 * duplicate check compares one batch with the retained ones, so a client's idempotent payload of several batches is
 * refused with INVALID_RECORD. A coordinator's own writes (origin coordinator) are checked by epoch only, and its
 * transaction markers as WriteTxnMarkers' are.
 */
export function checkProducerBatches(context: PartitionContext, batches: readonly StoredBatch[], origin: ProduceOrigin): ProducerCheck {
  if (origin === 'coordinator') {
    for (const batch of batches) {
      const check = batch.marker !== undefined ? checkMarker(context.producerState, batch.marker) : checkCoordinatorAppend(context.producerState, batch);
      if (check.kind === 'error') return check;
    }
    return { kind: 'append' };
  }
  const idempotent = batches.filter((batch) => batch.producerId >= 0);
  if (idempotent.length === 0) return { kind: 'append' };
  if (batches.length > 1) {
    return { kind: 'error', errorName: 'INVALID_RECORD', message: `an idempotent or transactional produce carries ${batches.length} batches for one partition; Kafka takes exactly one` };
  }
  return checkAppend(context.producerState, idempotent[0]!, 'client');
}

/**
 * The state after the checked batches were appended from `baseOffset` on: as a replica's copy of them (the log gives
 * consecutive batches consecutive offsets, each as many as its offset delta says), at the leader's time.
 */
export function recordProducerBatches(state: ProducerState, batches: readonly StoredBatch[], baseOffset: number, nowMs: number, highWatermark: number): ProducerState {
  // Batches without a producer id (a producer without idempotence) leave the state as it is: nothing to copy.
  if (!batches.some((batch) => batch.producerId >= 0)) return state;
  let offset = baseOffset;
  const appended = batches.map((batch) => {
    const firstOffset = offset;
    offset += batch.lastOffset - batch.firstOffset + 1;
    // Object.assign, not `{ ...batch, firstOffset }`: adding fields to a spread copy is many times slower on V8.
    return Object.assign({}, batch, { firstOffset, lastOffset: offset - 1 });
  });
  return applyStoredBatches(state, appended, nowMs, highWatermark);
}

/**
 * Kafka snapshots the producer state when a segment rolls, so that a restart replays at most about one segment of
 * batch headers. A snapshot that cannot be written (a full disk) is logged and skipped: the next open replays more.
 */
export function snapshotIfRolled(context: PartitionContext, segmentsBefore: number, state: ProducerState): void {
  const { log } = context.ports;
  if (log.segmentCount <= segmentsBefore) return;
  try {
    writeProducerSnapshot(log, state);
  } catch (error) {
    context.ports.logger.warn({ err: error }, 'could not write the producer snapshot (a full disk?): the next open replays more of the log');
  }
}
