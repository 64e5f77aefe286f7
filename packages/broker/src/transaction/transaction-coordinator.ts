/**
 * The transaction coordinator's decisions for one transactional id, mirroring Kafka's TransactionCoordinator
 * (core/src/main/scala/kafka/coordinator/transaction/TransactionCoordinator.scala, KIP-98, KIP-360, KIP-588). Pure:
 * each request either gets an answer at once (an error, or NONE when nothing needs writing) or a prepared transition
 * whose record the caller appends; the metadata changes only when that record is appended (transaction-metadata.ts).
 */
import { groupCoordinatorPartition, type ErrorName } from '@kactor/protocol';
import {
  containsAll,
  isEpochExhausted,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  prepareAbortOrCommit,
  prepareAddPartitions,
  prepareFenceAndAbort,
  prepareIncrementProducerEpoch,
  prepareProducerIdRotation,
  TransactionInvariantError,
  type Prepared,
  type TopicPartition,
  type TransactionMetadata,
} from './transaction-metadata.js';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

export interface TransactionCoordinatorLimits {
  /** transaction.max.timeout.ms: the longest transaction.timeout.ms a producer may ask for. */
  transactionMaxTimeoutMs: number;
  /** offsets.topic.num.partitions, to find a group's `__consumer_offsets` partition for AddOffsetsToTxn. */
  offsetsTopicNumPartitions: number;
}

export interface ProducerIdAndEpoch {
  producerId: number;
  producerEpoch: number;
}

export interface InitProducerIdRequest {
  transactionTimeoutMs: number;
  /** KIP-360: the id and epoch a producer recovering from an error already holds; null for a new producer. */
  expected: ProducerIdAndEpoch | null;
}

export type InitProducerIdDecision =
  | { kind: 'answer'; errorName: ErrorName }
  /** A producer id is needed first: for a transactional id seen for the first time, or when the epochs ran out. */
  | { kind: 'generateProducerId' }
  /** Append; once written, answer the transit's producer id and epoch. */
  | { kind: 'append'; prepared: Prepared }
  /** An open transaction: abort it under a bumped epoch, then answer CONCURRENT_TRANSACTIONS so the producer retries. */
  | { kind: 'fence'; prepared: Prepared };

export type RequestDecision = { kind: 'answer'; errorName: ErrorName } | { kind: 'append'; prepared: Prepared };

const answer = (errorName: ErrorName) => ({ kind: 'answer', errorName }) as const;

/** Kafka's validateTransactionTimeoutMs: positive and at most transaction.max.timeout.ms. */
export function isValidTransactionTimeout(transactionTimeoutMs: number, limits: TransactionCoordinatorLimits): boolean {
  return transactionTimeoutMs > 0 && transactionTimeoutMs <= limits.transactionMaxTimeoutMs;
}

/** Whether a transition is being written or a producer id awaited: every request but reads waits its turn. */
export function isBusy(metadata: TransactionMetadata): boolean {
  return metadata.pendingState !== null;
}

/**
 * The expected producer is this id's, unless it was never given an epoch (a producer recovering from
 * UNKNOWN_PRODUCER_ID), or it is the previous producer id whose epochs ran out (a retry of the rotation's answer).
 */
function isValidExpectedProducer(metadata: TransactionMetadata, expected: ProducerIdAndEpoch): boolean {
  return (
    metadata.producerEpoch === NO_PRODUCER_EPOCH ||
    expected.producerId === metadata.producerId ||
    (expected.producerId === metadata.lastProducerId && isEpochExhausted(expected.producerEpoch))
  );
}

/** Kafka's handleInitProducerId and prepareInitProducerIdTransit for a transactional id. */
export function decideInitProducerId(metadata: TransactionMetadata, request: InitProducerIdRequest, limits: TransactionCoordinatorLimits, nowMs: number): InitProducerIdDecision {
  if (!isValidTransactionTimeout(request.transactionTimeoutMs, limits)) return answer('INVALID_TRANSACTION_TIMEOUT');
  if (isBusy(metadata)) return answer('CONCURRENT_TRANSACTIONS');
  if (metadata.producerId === NO_PRODUCER_ID) return { kind: 'generateProducerId' };
  if (request.expected !== null && !isValidExpectedProducer(metadata, request.expected)) return answer('PRODUCER_FENCED');
  switch (metadata.state) {
    case 'PrepareCommit':
    case 'PrepareAbort':
      return answer('CONCURRENT_TRANSACTIONS');
    case 'Empty':
    case 'CompleteCommit':
    case 'CompleteAbort': {
      if (isEpochExhausted(metadata.producerEpoch) && (request.expected === null || request.expected.producerEpoch === metadata.producerEpoch)) return { kind: 'generateProducerId' };
      const prepared = prepareIncrementProducerEpoch(metadata, request.transactionTimeoutMs, request.expected?.producerEpoch ?? null, nowMs);
      return 'error' in prepared ? answer(prepared.error) : { kind: 'append', prepared };
    }
    case 'Ongoing':
      // The bumped epoch is never handed out: the producer retries, and its retry bumps the epoch again (or rotates
      // the producer id when this fence used the last epoch).
      return { kind: 'fence', prepared: prepareFenceAndAbort(metadata, nowMs) };
    case 'Dead':
    case 'PrepareEpochFence':
      throw new TransactionInvariantError(`${metadata.transactionalId}: InitProducerId found the state ${metadata.state}, which is never current`);
  }
}

/**
 * The producer id asked for by `generateProducerId` arrived: a new transactional id takes it and gets epoch 0; one
 * whose epochs ran out rotates to it. The decision is made again, as the metadata may have moved meanwhile.
 */
export function decideWithProducerId(metadata: TransactionMetadata, request: InitProducerIdRequest, producerId: number, limits: TransactionCoordinatorLimits, nowMs: number): InitProducerIdDecision {
  if (metadata.producerId === NO_PRODUCER_ID) {
    return decideInitProducerId({ ...metadata, producerId, txnTimeoutMs: request.transactionTimeoutMs, txnLastUpdateTimestampMs: nowMs }, request, limits, nowMs);
  }
  const decision = decideInitProducerId(metadata, request, limits, nowMs);
  if (decision.kind !== 'generateProducerId') return decision;
  return { kind: 'append', prepared: prepareProducerIdRotation(metadata, producerId, request.transactionTimeoutMs, nowMs, request.expected !== null) };
}

/**
 * The producer named by a request must be this id's current one (Kafka's checks, in Kafka's order). An id whose first
 * InitProducerId was not written has handed out no producer yet: nothing can name it.
 */
function producerProblem(metadata: TransactionMetadata, producer: ProducerIdAndEpoch): ErrorName | null {
  if (metadata.producerId === NO_PRODUCER_ID || metadata.producerEpoch === NO_PRODUCER_EPOCH) return 'INVALID_PRODUCER_ID_MAPPING';
  if (metadata.producerId !== producer.producerId) return 'INVALID_PRODUCER_ID_MAPPING';
  if (metadata.producerEpoch !== producer.producerEpoch) return 'PRODUCER_FENCED';
  if (isBusy(metadata)) return 'CONCURRENT_TRANSACTIONS';
  return null;
}

/** Kafka's handleAddPartitionsToTransaction. */
export function decideAddPartitions(metadata: TransactionMetadata, producer: ProducerIdAndEpoch, partitions: readonly TopicPartition[], nowMs: number): RequestDecision {
  const problem = producerProblem(metadata, producer);
  if (problem !== null) return answer(problem);
  if (metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') return answer('CONCURRENT_TRANSACTIONS');
  // Already part of the transaction: nothing to write.
  if (metadata.state === 'Ongoing' && containsAll(metadata.partitions, partitions)) return answer('NONE');
  return { kind: 'append', prepared: prepareAddPartitions(metadata, partitions, nowMs) };
}

/** The group's `__consumer_offsets` partition, which AddOffsetsToTxn adds so that the group's commit gets a marker. */
export function offsetsPartitionFor(groupId: string, limits: TransactionCoordinatorLimits): TopicPartition {
  return { topic: CONSUMER_OFFSETS_TOPIC, partition: groupCoordinatorPartition(groupId, limits.offsetsTopicNumPartitions) };
}

/** Kafka's handleAddOffsetsToTxn: AddPartitionsToTxn of the group's offsets partition. */
export function decideAddOffsets(metadata: TransactionMetadata, producer: ProducerIdAndEpoch, groupId: string, limits: TransactionCoordinatorLimits, nowMs: number): RequestDecision {
  return decideAddPartitions(metadata, producer, [offsetsPartitionFor(groupId, limits)], nowMs);
}

/**
 * Kafka's handleEndTransaction from a client: Ongoing moves to PrepareCommit/PrepareAbort. A retried EndTxn after the
 * transaction completed the same way is answered NONE, while its markers are still being written
 * CONCURRENT_TRANSACTIONS; the other outcome, or EndTxn without a transaction, is INVALID_TXN_STATE.
 */
export function decideEndTxn(metadata: TransactionMetadata, producer: ProducerIdAndEpoch, committed: boolean, nowMs: number): RequestDecision {
  const problem = producerProblem(metadata, producer);
  if (problem !== null) return answer(problem);
  switch (metadata.state) {
    case 'Ongoing':
      return { kind: 'append', prepared: prepareAbortOrCommit(metadata, committed ? 'PrepareCommit' : 'PrepareAbort', nowMs) };
    case 'CompleteCommit':
      return answer(committed ? 'NONE' : 'INVALID_TXN_STATE');
    case 'CompleteAbort':
      return answer(committed ? 'INVALID_TXN_STATE' : 'NONE');
    case 'PrepareCommit':
      return answer(committed ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE');
    case 'PrepareAbort':
      return answer(committed ? 'INVALID_TXN_STATE' : 'CONCURRENT_TRANSACTIONS');
    case 'Empty':
      return answer('INVALID_TXN_STATE');
    case 'Dead':
    case 'PrepareEpochFence':
      throw new TransactionInvariantError(`${metadata.transactionalId}: EndTxn found the state ${metadata.state}, which is never current`);
  }
}

/**
 * Kafka's abortTimedOutTransactions: an Ongoing transaction older than its transaction.timeout.ms is aborted under a
 * bumped epoch, so the producer that let it time out is fenced. Skipped while another transition is being written.
 */
export function timedOutAbort(metadata: TransactionMetadata, nowMs: number): Prepared | null {
  if (metadata.state !== 'Ongoing' || isBusy(metadata) || !hasTimedOut(metadata, nowMs)) return null;
  return prepareFenceAndAbort(metadata, nowMs);
}

/** Kafka's timedOutTransactions condition. */
export function hasTimedOut(metadata: TransactionMetadata, nowMs: number): boolean {
  return metadata.txnStartTimestampMs + metadata.txnTimeoutMs < nowMs;
}

/**
 * How an append to `__transaction_state` that failed is answered (Kafka's TransactionStateManager.appendTransactionToLog):
 * a partition without enough replicas or that timed out means the coordinator is not available for now; a partition
 * this broker no longer leads, NOT_COORDINATOR; a record that is too large is a bug (UNKNOWN_SERVER_ERROR).
 */
export function appendErrorAnswer(errorName: ErrorName): ErrorName {
  switch (errorName) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
    case 'REQUEST_TIMED_OUT':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'MESSAGE_TOO_LARGE':
    case 'RECORD_LIST_TOO_LARGE':
      return 'UNKNOWN_SERVER_ERROR';
    default:
      return errorName;
  }
}
