/**
 * What `kactor transactions list|describe` prints, as pure functions: the columns of Kafka's
 * kafka-transactions.sh (`list`: TransactionalId Coordinator ProducerId TransactionState; `describe`: CoordinatorId
 * TransactionalId ProducerId ProducerEpoch TransactionState TransactionTimeoutMs CurrentTransactionStartTimeMs
 * TransactionDurationMs TopicPartitions, "None" where the coordinator has no start time), or the same fields as JSON.
 */
import type { TransactionDescription, TransactionListing } from '@kactor/client';
import { formatTopicPartition } from '@kactor/client';
import { CliError, describeError } from './errors.js';
import { formatTable } from './group-output.js';

export const LIST_HEADERS = ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'] as const;

export const DESCRIBE_HEADERS = [
  'CoordinatorId',
  'TransactionalId',
  'ProducerId',
  'ProducerEpoch',
  'TransactionState',
  'TransactionTimeoutMs',
  'CurrentTransactionStartTimeMs',
  'TransactionDurationMs',
  'TopicPartitions',
] as const;

/** `transactions list`: one row per listed id (a header alone when there are none, as Kafka prints it). */
export function transactionsListText(listings: readonly TransactionListing[]): string {
  return formatTable(
    LIST_HEADERS,
    listings.map((listing) => [listing.transactionalId, String(listing.coordinatorId), String(listing.producerId), listing.state]),
  );
}

/** `transactions list --json`: `[{"transactionalId","coordinator","producerId","transactionState"}]`. */
export function transactionsListJson(listings: readonly TransactionListing[]): string {
  return JSON.stringify(listings.map((listing) => ({ transactionalId: listing.transactionalId, coordinator: listing.coordinatorId, producerId: listing.producerId, transactionState: listing.state })));
}

export interface DescribeTransactionJson {
  coordinatorId: number;
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  transactionState: string;
  transactionTimeoutMs: number;
  /** null when the coordinator has no start time for the id (Kafka prints None). */
  currentTransactionStartTimeMs: number | null;
  transactionDurationMs: number | null;
  topicPartitions: Array<{ topic: string; partition: number }>;
}

/**
 * The described id's fields, or a CliError with one line saying why not: TRANSACTIONAL_ID_NOT_FOUND for an id no
 * coordinator holds, else the Kafka error. The duration is `nowMs` minus the start time (never below 0: the
 * coordinator's clock may run a little ahead of this machine's).
 */
export function describedTransaction(description: TransactionDescription, nowMs: number): DescribeTransactionJson {
  const { transactionalId, error, state } = description;
  if (error !== null) {
    if (error.errorName === 'TRANSACTIONAL_ID_NOT_FOUND') throw new CliError(`TRANSACTIONAL_ID_NOT_FOUND: transactional id '${transactionalId}' does not exist`);
    throw new CliError(`cannot describe transactional id '${transactionalId}': ${describeError(error)}`);
  }
  if (state === null) throw new CliError(`cannot describe transactional id '${transactionalId}': its coordinator named no state`);
  const start = description.transactionStartTimeMs;
  return {
    coordinatorId: description.coordinatorId,
    transactionalId,
    producerId: description.producerId,
    producerEpoch: description.producerEpoch,
    transactionState: state,
    transactionTimeoutMs: description.transactionTimeoutMs,
    currentTransactionStartTimeMs: start,
    transactionDurationMs: start === null ? null : Math.max(0, nowMs - start),
    topicPartitions: description.topicPartitions.map(({ topic, partition }) => ({ topic, partition })),
  };
}

/** `transactions describe`: the header and one row, partitions as `topic-partition` joined by commas. */
export function transactionDescribeText(described: DescribeTransactionJson): string {
  const orNone = (value: number | null) => (value === null ? 'None' : String(value));
  const row = [
    String(described.coordinatorId),
    described.transactionalId,
    String(described.producerId),
    String(described.producerEpoch),
    described.transactionState,
    String(described.transactionTimeoutMs),
    orNone(described.currentTransactionStartTimeMs),
    orNone(described.transactionDurationMs),
    described.topicPartitions.map(formatTopicPartition).join(','),
  ];
  return formatTable(DESCRIBE_HEADERS, [row]);
}
