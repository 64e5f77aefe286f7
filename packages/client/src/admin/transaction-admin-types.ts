/**
 * What the admin client's transaction calls return (Kafka's `TransactionListing` and `TransactionDescription`,
 * KIP-664). `describeTransactions` answers one result per transactional id, each with
 * `error: KafkaProtocolError | null` like the group calls; an id its coordinator does not hold has a
 * `TransactionalIdNotFoundError`.
 */
import type { KafkaProtocolError, TransactionStateName } from '@kactor/protocol';
import type { TopicPartition } from '../topic-partition.js';

export type { TransactionStateName } from '@kactor/protocol';

/** Kafka's `ListTransactionsOptions`: empty or absent filters list every transactional id. */
export interface ListTransactionsOptions {
  /** Only ids in one of these states. */
  readonly states?: readonly TransactionStateName[];
  /** Only ids whose current producer id is one of these. */
  readonly producerIds?: readonly number[];
}

export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: TransactionStateName;
  /** The broker whose transaction coordinator listed the id (Kafka's `allByBrokerId` key). */
  readonly coordinatorId: number;
}

export interface TransactionDescription {
  readonly transactionalId: string;
  /** The broker whose transaction coordinator answered; -1 when none could be found (see `error`). */
  readonly coordinatorId: number;
  /** Kafka's state name; null with an error. */
  readonly state: TransactionStateName | null;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /**
   * When the current or last transaction began (the coordinator's clock; Kafka keeps it after the transaction
   * completes), null when the coordinator has none (-1 on the wire: Kafka's empty OptionalLong).
   */
  readonly transactionStartTimeMs: number | null;
  /** The partitions of the open transaction (while it prepares to commit or abort, those still without their marker), sorted. */
  readonly topicPartitions: readonly TopicPartition[];
  readonly error: KafkaProtocolError | null;
}
