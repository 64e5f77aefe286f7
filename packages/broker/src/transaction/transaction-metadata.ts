/**
 * One transactional id's metadata on its transaction coordinator, mirroring Kafka's TransactionMetadata
 * (core/src/main/scala/kafka/coordinator/transaction/TransactionMetadata.scala, KIP-98). Pure and immutable.
 *
 * A change is made in two steps, as in Kafka: `prepare*` checks that the target state may follow the current one
 * and returns the transit (the values to write to `__transaction_state`) with the metadata marked as having that
 * transition pending; only once the record is appended (or replayed) does `completeTransition` apply it. So the state
 * changes only by its log records, and a coordinator that loads the partition after a failover holds what the old one
 * wrote. A pending transition blocks every other (the coordinator answers CONCURRENT_TRANSACTIONS meanwhile).
 */
import type { TransactionLogRecord, TransactionLogValue, TransactionStatus } from '@kactor/protocol';

export type TransactionState = TransactionStatus;

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
/** Producer epochs are INT16. */
export const MAX_PRODUCER_EPOCH = 32_767;

/**
 * Kafka's validPreviousStates: a state may only follow these. PrepareEpochFence is never written; it is the pending
 * state while the coordinator fences an open transaction's producer (its abort is written as PrepareAbort).
 */
export const VALID_PREVIOUS_STATES: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The values a transition writes (Kafka's TxnTransitMetadata). */
export interface TransactionTransit {
  readonly producerId: number;
  readonly lastProducerId: number;
  readonly producerEpoch: number;
  readonly lastProducerEpoch: number;
  readonly txnTimeoutMs: number;
  readonly state: TransactionState;
  /** Sorted by topic then partition, without duplicates. */
  readonly partitions: readonly TopicPartition[];
  readonly txnStartTimestampMs: number;
  readonly txnLastUpdateTimestampMs: number;
}

export interface TransactionMetadata extends TransactionTransit {
  readonly transactionalId: string;
  /** The state a prepared transition is writing, or null. */
  readonly pendingState: TransactionState | null;
  /**
   * An earlier attempt to fence the producer could not write its bumped epoch; the next attempt reuses that epoch
   * instead of bumping again (Kafka's hasFailedEpochFence: the epoch was never returned to a client).
   */
  readonly hasFailedEpochFence: boolean;
  /** The pending transition is a fence: its failure sets hasFailedEpochFence. */
  readonly pendingIsFence: boolean;
}

export interface Prepared {
  readonly metadata: TransactionMetadata;
  readonly transit: TransactionTransit;
}

/** A transition Kafka treats as impossible (IllegalStateException): a bug, never a client's mistake. */
export class TransactionInvariantError extends Error {
  override readonly name = 'TransactionInvariantError';
}

/** Kafka's isEpochExhausted: an epoch this high is never handed out, so that the coordinator can always fence it. */
export function isEpochExhausted(producerEpoch: number): boolean {
  return producerEpoch >= MAX_PRODUCER_EPOCH - 1;
}

/** A transactional id seen for the first time: Empty, with its new producer id and no epoch yet. */
export function newTransactionMetadata(transactionalId: string, producerId: number, txnTimeoutMs: number, nowMs: number): TransactionMetadata {
  return {
    transactionalId,
    producerId,
    lastProducerId: NO_PRODUCER_ID,
    producerEpoch: NO_PRODUCER_EPOCH,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    txnTimeoutMs,
    state: 'Empty',
    partitions: [],
    txnStartTimestampMs: -1,
    txnLastUpdateTimestampMs: nowMs,
    pendingState: null,
    hasFailedEpochFence: false,
    pendingIsFence: false,
  };
}

export function samePartition(a: TopicPartition, b: TopicPartition): boolean {
  return a.topic === b.topic && a.partition === b.partition;
}

function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** The union, sorted and without duplicates. */
export function unionPartitions(current: readonly TopicPartition[], added: readonly TopicPartition[]): TopicPartition[] {
  const all = [...current, ...added].sort(comparePartitions);
  return all.filter((partition, index) => index === 0 || !samePartition(partition, all[index - 1]!));
}

export function containsAll(current: readonly TopicPartition[], wanted: readonly TopicPartition[]): boolean {
  return wanted.every((partition) => current.some((held) => samePartition(held, partition)));
}

/** Whether a transaction is open or being completed (Kafka's hasPendingTransaction). */
export function hasPendingTransaction(metadata: TransactionMetadata): boolean {
  return metadata.state === 'Ongoing' || metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort';
}

/** Kafka's prepareTransitionTo: checks the move and marks it pending. */
function prepareTransitionTo(metadata: TransactionMetadata, transit: TransactionTransit, pendingIsFence = false): Prepared {
  if (metadata.pendingState !== null) {
    throw new TransactionInvariantError(`${metadata.transactionalId}: preparing ${transit.state} while ${metadata.pendingState} is pending`);
  }
  if (transit.producerId < 0) throw new TransactionInvariantError(`${metadata.transactionalId}: illegal producer id ${transit.producerId}`);
  if (transit.state !== 'Dead' && transit.producerEpoch < 0) throw new TransactionInvariantError(`${metadata.transactionalId}: illegal producer epoch ${transit.producerEpoch}`);
  if (!VALID_PREVIOUS_STATES[transit.state].includes(metadata.state)) {
    throw new TransactionInvariantError(`${metadata.transactionalId}: ${transit.state} cannot follow ${metadata.state}`);
  }
  return { metadata: { ...metadata, pendingState: transit.state, pendingIsFence }, transit: { ...transit, lastProducerId: metadata.producerId } };
}

function current(metadata: TransactionMetadata): TransactionTransit {
  const { producerId, lastProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, state, partitions, txnStartTimestampMs, txnLastUpdateTimestampMs } = metadata;
  return { producerId, lastProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, state, partitions, txnStartTimestampMs, txnLastUpdateTimestampMs };
}

/**
 * InitProducerId on Empty/Complete*: the next epoch. Without an expected epoch the last epoch is forgotten (a new
 * producer instance: the old one is fenced); with the current epoch (a producer recovering, KIP-360) both move on; with
 * the last epoch it is a retry of a bump that succeeded, answered with the current epoch; otherwise PRODUCER_FENCED.
 */
export function prepareIncrementProducerEpoch(metadata: TransactionMetadata, newTxnTimeoutMs: number, expectedEpoch: number | null, nowMs: number): Prepared | { error: 'PRODUCER_FENCED' } {
  if (isEpochExhausted(metadata.producerEpoch)) throw new TransactionInvariantError(`${metadata.transactionalId}: no producer epoch left for producer id ${metadata.producerId}`);
  const bumped = metadata.producerEpoch + 1;
  let next: { epoch: number; last: number };
  if (expectedEpoch === null) next = { epoch: bumped, last: NO_PRODUCER_EPOCH };
  else if (metadata.producerEpoch === NO_PRODUCER_EPOCH || expectedEpoch === metadata.producerEpoch) next = { epoch: bumped, last: metadata.producerEpoch };
  else if (expectedEpoch === metadata.lastProducerEpoch) next = { epoch: metadata.producerEpoch, last: metadata.lastProducerEpoch };
  else return { error: 'PRODUCER_FENCED' };
  return prepareTransitionTo(metadata, {
    ...current(metadata),
    producerEpoch: next.epoch,
    lastProducerEpoch: next.last,
    txnTimeoutMs: newTxnTimeoutMs,
    state: 'Empty',
    partitions: [],
    txnStartTimestampMs: -1,
    txnLastUpdateTimestampMs: nowMs,
  });
}

/** Epochs exhausted: a new producer id at epoch 0 (the old epoch is kept as the last one when the client named it). */
export function prepareProducerIdRotation(metadata: TransactionMetadata, newProducerId: number, newTxnTimeoutMs: number, nowMs: number, recordLastEpoch: boolean): Prepared {
  if (hasPendingTransaction(metadata)) throw new TransactionInvariantError(`${metadata.transactionalId}: cannot rotate producer ids while a transaction is ${metadata.state}`);
  return prepareTransitionTo(metadata, {
    ...current(metadata),
    producerId: newProducerId,
    producerEpoch: 0,
    lastProducerEpoch: recordLastEpoch ? metadata.producerEpoch : NO_PRODUCER_EPOCH,
    txnTimeoutMs: newTxnTimeoutMs,
    state: 'Empty',
    partitions: [],
    txnStartTimestampMs: -1,
    txnLastUpdateTimestampMs: nowMs,
  });
}

/** AddPartitionsToTxn / AddOffsetsToTxn: Ongoing with the partitions added; a transaction starting now starts its clock. */
export function prepareAddPartitions(metadata: TransactionMetadata, added: readonly TopicPartition[], nowMs: number): Prepared {
  const starting = metadata.state === 'Empty' || metadata.state === 'CompleteCommit' || metadata.state === 'CompleteAbort';
  return prepareTransitionTo(metadata, {
    ...current(metadata),
    state: 'Ongoing',
    partitions: unionPartitions(metadata.partitions, added),
    txnStartTimestampMs: starting ? nowMs : metadata.txnStartTimestampMs,
    txnLastUpdateTimestampMs: nowMs,
  });
}

/** EndTxn: PrepareCommit or PrepareAbort, keeping the partitions that need markers. */
export function prepareAbortOrCommit(metadata: TransactionMetadata, state: 'PrepareCommit' | 'PrepareAbort', nowMs: number): Prepared {
  return prepareTransitionTo(metadata, { ...current(metadata), state, txnLastUpdateTimestampMs: nowMs });
}

/**
 * Fencing the producer of an open transaction (InitProducerId from a new instance, or transaction.timeout.ms): the
 * transaction is aborted under the next epoch, so the old producer's writes and EndTxn are refused (Kafka's
 * prepareFenceProducerEpoch, then endTransaction(ABORT) with the bumped epoch). Reuses the epoch of a fence that
 * failed to be written.
 */
export function prepareFenceAndAbort(metadata: TransactionMetadata, nowMs: number): Prepared {
  // A failed fence already holds its bumped epoch (it may be the last one): the retry reuses it rather than overflow.
  if (!metadata.hasFailedEpochFence && metadata.producerEpoch >= MAX_PRODUCER_EPOCH) {
    throw new TransactionInvariantError(`${metadata.transactionalId}: fencing epoch ${metadata.producerEpoch} would overflow`);
  }
  if (!VALID_PREVIOUS_STATES.PrepareEpochFence.includes(metadata.state)) throw new TransactionInvariantError(`${metadata.transactionalId}: PrepareEpochFence cannot follow ${metadata.state}`);
  const producerEpoch = metadata.hasFailedEpochFence ? metadata.producerEpoch : metadata.producerEpoch + 1;
  const fencing: TransactionMetadata = { ...metadata, state: 'PrepareEpochFence' };
  const prepared = prepareTransitionTo(fencing, { ...current(metadata), producerEpoch, lastProducerEpoch: NO_PRODUCER_EPOCH, state: 'PrepareAbort', txnLastUpdateTimestampMs: nowMs }, true);
  // The state stays Ongoing until the abort is written, but the epoch moves at once, as in Kafka's endTransaction: the
  // fenced producer is refused from now on, and should the write fail, the next attempt reuses this epoch.
  return { metadata: { ...prepared.metadata, state: metadata.state, producerEpoch, lastProducerEpoch: NO_PRODUCER_EPOCH }, transit: prepared.transit };
}

/** Every marker was acknowledged: CompleteCommit or CompleteAbort, with no partitions left. */
export function prepareComplete(metadata: TransactionMetadata, nowMs: number): Prepared {
  if (metadata.state !== 'PrepareCommit' && metadata.state !== 'PrepareAbort') throw new TransactionInvariantError(`${metadata.transactionalId}: completing from ${metadata.state}`);
  const state = metadata.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
  return prepareTransitionTo({ ...metadata, hasFailedEpochFence: false }, { ...current(metadata), state, partitions: [], txnLastUpdateTimestampMs: nowMs });
}

/** transactional.id.expiration.ms passed: the id is removed (a tombstone is written). */
export function prepareDead(metadata: TransactionMetadata): Prepared {
  return prepareTransitionTo(metadata, { ...current(metadata), state: 'Dead', partitions: [] });
}

/**
 * The append failed: the transition is no longer pending and nothing else changes, except that a fence keeps its
 * bumped epoch and is remembered, so the next fence reuses that epoch (it was never handed to a producer).
 */
export function abandonTransition(metadata: TransactionMetadata): TransactionMetadata {
  return { ...metadata, pendingState: null, pendingIsFence: false, hasFailedEpochFence: metadata.hasFailedEpochFence || metadata.pendingIsFence };
}

/**
 * The record was appended: apply it, with Kafka's completeTransitionTo checks. Epochs never go back (a new producer id
 * starts again at 0), partitions are only added while Ongoing, and a Prepare* keeps what it was prepared from.
 */
export function completeTransition(metadata: TransactionMetadata, transit: TransactionTransit): TransactionMetadata {
  const fail = (why: string): never => {
    throw new TransactionInvariantError(`${metadata.transactionalId}: completing ${transit.state} from ${metadata.state} failed: ${why}`);
  };
  if (metadata.pendingState !== transit.state) fail(`the pending state is ${metadata.pendingState ?? 'none'}`);
  const sameProducer = transit.producerId === metadata.producerId && transit.producerEpoch === metadata.producerEpoch;
  switch (transit.state) {
    case 'Empty': {
      const validBump = transit.producerEpoch === metadata.producerEpoch + 1 || (transit.producerEpoch === 0 && transit.producerId !== metadata.producerId);
      if ((transit.producerEpoch !== metadata.producerEpoch && !validBump) || transit.partitions.length > 0 || transit.txnStartTimestampMs !== -1) fail('not an epoch bump');
      break;
    }
    case 'Ongoing':
      if (!sameProducer || !containsAll(transit.partitions, metadata.partitions) || transit.txnTimeoutMs !== metadata.txnTimeoutMs) fail('partitions may only be added');
      break;
    case 'PrepareCommit':
    case 'PrepareAbort': {
      if (!sameProducer || transit.partitions.length !== metadata.partitions.length || !containsAll(transit.partitions, metadata.partitions)) fail('the transaction changed');
      if (transit.txnStartTimestampMs !== metadata.txnStartTimestampMs) fail('the start time changed');
      break;
    }
    case 'CompleteCommit':
    case 'CompleteAbort':
      if (!sameProducer || transit.txnStartTimestampMs === -1) fail('not the prepared transaction');
      break;
    case 'PrepareEpochFence':
    case 'Dead':
      fail('this state is never written as a completed transition');
  }
  return { transactionalId: metadata.transactionalId, ...transit, pendingState: null, pendingIsFence: false, hasFailedEpochFence: metadata.hasFailedEpochFence };
}

/** The record to append for a transit (Kafka's TransactionLog.valueToBytes fields; a Dead transit is a tombstone). */
export function transitRecord(transactionalId: string, transit: TransactionTransit): TransactionLogRecord {
  if (transit.state === 'Dead') return { transactionalId, value: null };
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of transit.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return {
    transactionalId,
    value: {
      producerId: transit.producerId,
      previousProducerId: NO_PRODUCER_ID,
      nextProducerId: NO_PRODUCER_ID,
      producerEpoch: transit.producerEpoch,
      transactionTimeoutMs: transit.txnTimeoutMs,
      transactionStatus: transit.state,
      transactionPartitions: [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds })),
      transactionLastUpdateTimestampMs: transit.txnLastUpdateTimestampMs,
      transactionStartTimestampMs: transit.txnStartTimestampMs,
      clientTransactionVersion: 0,
    },
  };
}

/** A replayed record's metadata (Kafka's readTxnRecordValue): the last epoch is not written, so it is unknown. */
export function metadataFromRecord(transactionalId: string, value: TransactionLogValue): TransactionMetadata {
  const partitions = value.transactionPartitions.flatMap(({ topic, partitionIds }) => partitionIds.map((partition) => ({ topic, partition })));
  return {
    transactionalId,
    producerId: value.producerId,
    lastProducerId: value.previousProducerId,
    producerEpoch: value.producerEpoch,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    txnTimeoutMs: value.transactionTimeoutMs,
    state: value.transactionStatus,
    partitions: unionPartitions([], partitions),
    txnStartTimestampMs: value.transactionStartTimestampMs,
    txnLastUpdateTimestampMs: value.transactionLastUpdateTimestampMs,
    pendingState: null,
    hasFailedEpochFence: false,
    pendingIsFence: false,
  };
}
