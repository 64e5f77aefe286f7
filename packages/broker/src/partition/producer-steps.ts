/**
 * The leader's producer checks on a produce (KIP-98 idempotence and transactions), the state after an append, and the
 * snapshot written when a segment rolls. Pure decisions come from producer-state.ts; these adapt them to the batches
 * of one Produce and to the partition's context.
 */
import type { RecordBatchHeader } from '@kactor/protocol';
import type { AppendResult } from '@kactor/storage';
import { checkAppend, recordAppend, type AppendCheck, type ProducerState } from './producer-state.js';
import { producerFieldsOf, writeProducerSnapshot } from './producer-state-log.js';
import type { PartitionContext } from './partition-types.js';

type ProducerCheck = AppendCheck | { kind: 'error'; errorName: 'INVALID_RECORD'; message: string };

/**
 * Checks the batches of one produce against the producer state (origin client). Batches without a producer id are
 * not checked. Kafka takes exactly one batch per partition in a Produce v3+ (ProduceRequest.validateRecords), and
 * the duplicate check compares one batch with the retained ones, so an idempotent payload of several batches is
 * refused with INVALID_RECORD.
 */
export function checkProducerBatch(context: PartitionContext, batches: readonly RecordBatchHeader[]): ProducerCheck {
  const idempotent = batches.filter((batch) => batch.producerId >= 0);
  if (idempotent.length === 0) return { kind: 'append' };
  if (batches.length > 1) {
    return { kind: 'error', errorName: 'INVALID_RECORD', message: `an idempotent or transactional produce carries ${batches.length} batches for one partition; Kafka takes exactly one` };
  }
  return checkAppend(context.producerState, producerFieldsOf(idempotent[0]!), 'client');
}

/** The state after the checked batch was written where `appended` says (one idempotent batch, or none). */
export function recordProducerBatch(state: ProducerState, batches: readonly RecordBatchHeader[], appended: AppendResult, nowMs: number): ProducerState {
  const batch = batches.length === 1 ? batches[0] : undefined;
  if (batch === undefined || batch.producerId < 0) return state;
  return recordAppend(state, producerFieldsOf(batch), appended.baseOffset, appended.lastOffset, nowMs);
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
