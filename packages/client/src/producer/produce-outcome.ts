/**
 * What the sender does with each batch of a Produce answer, as plain functions: build the request from
 * drained batches, and decide per batch between completing it, retrying it, splitting it, or failing it
 * (Kafka's `Sender.completeBatch` / `canRetry`).
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import { topicPartitionKey } from '../topic-partition.js';
import type { ProducerBatch } from './producer-batch.js';

type PartitionResponse = ResponseBody<'produce'>['responses'][number]['partitionResponses'][number];

/**
 * One Produce v0 request for the batches drained for one broker: one batch per partition, grouped by topic. A
 * transactional producer names its transactional.id (the leader checks it owns the batches).
 */
export function buildProduceRequest(batches: readonly ProducerBatch[], acks: number, timeoutMs: number, transactionalId: string | null = null): RequestBody<'produce'> {
  const byTopic = new Map<string, Array<{ index: number; records: Uint8Array }>>();
  for (const batch of batches) {
    let partitions = byTopic.get(batch.topic);
    if (partitions === undefined) byTopic.set(batch.topic, (partitions = []));
    partitions.push({ index: batch.partition, records: batch.encode() });
  }
  return {
    transactionalId,
    acks,
    timeoutMs,
    topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
  };
}

/** The answer for each partition of a Produce response, by `topicPartitionKey`. */
export function partitionResponses(response: ResponseBody<'produce'>): Map<string, PartitionResponse> {
  const byKey = new Map<string, PartitionResponse>();
  for (const topic of response.responses) {
    for (const partition of topic.partitionResponses) byKey.set(topicPartitionKey(topic.name, partition.index), partition);
  }
  return byKey;
}

export type BatchErrorAction =
  | { readonly kind: 'retry'; readonly refreshMetadata: boolean }
  | { readonly kind: 'split' }
  /** DUPLICATE_SEQUENCE_NUMBER: the leader already has the batch; it succeeded, at an offset the answer does not give. */
  | { readonly kind: 'duplicate' }
  /**
   * `adjustSequenceNumbers`: retries were left but the error was not retriable, so the batch's sequences are lost
   * (Kafka's failBatch argument `batch.attempts() < retries`).
   */
  | { readonly kind: 'fail'; readonly error: KafkaProtocolError; readonly adjustSequenceNumbers: boolean };

export interface BatchErrorContext {
  readonly code: number;
  readonly message: string | null;
  /** Sends of the batch so far (1 after the first). */
  readonly attempts: number;
  /** retries */
  readonly retries: number;
  readonly recordCount: number;
  readonly nowMs: number;
  readonly deliveryDeadlineMs: number;
  /** Stale-metadata errors ask for a refresh before the retry. */
  readonly isStaleMetadata: (code: number) => boolean;
  /**
   * With idempotence: whether the error may be retried (Kafka's TransactionManager.canRetry, which may ask for an
   * epoch bump), asked only once retries and the delivery timeout allow a retry at all.
   */
  readonly idempotentCanRetry?: (() => boolean) | undefined;
}

/**
 * - MESSAGE_TOO_LARGE for a batch of several records: split it and send the parts (the broker's
 *   max.message.bytes can be below the producer's batch.size).
 * - A retriable error, while retries remain and the delivery timeout has not passed: retry. With idempotence the
 *   sequence errors have their own rules (PartitionSequences.canRetry).
 * - DUPLICATE_SEQUENCE_NUMBER (idempotence): the batch was written before; it succeeds.
 * - Anything else: fail the batch's records with the named error.
 */
export function decideBatchError(context: BatchErrorContext): BatchErrorAction {
  const info = errorForCode(context.code);
  if (context.code === errorCodes.MESSAGE_TOO_LARGE && context.recordCount > 1) return { kind: 'split' };
  const retriesLeft = context.attempts <= context.retries;
  const canRetry = retriesLeft && context.nowMs < context.deliveryDeadlineMs && (context.idempotentCanRetry === undefined ? info.retriable : context.idempotentCanRetry());
  if (canRetry) return { kind: 'retry', refreshMetadata: context.isStaleMetadata(context.code) };
  if (context.code === errorCodes.DUPLICATE_SEQUENCE_NUMBER && context.idempotentCanRetry !== undefined) return { kind: 'duplicate' };
  return { kind: 'fail', error: KafkaProtocolError.from(context.code, context.message ?? undefined), adjustSequenceNumbers: retriesLeft };
}
