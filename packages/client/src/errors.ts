/**
 * Errors the client throws that have no Kafka error code. Everything that does have one (a broker's
 * per-partition error, a timeout, a record that is too large) is a `KafkaProtocolError` from
 * @kactor/protocol, matched on `errorName`, as Kafka's clients throw the exception of `Errors.forCode`.
 */
import { errorByName, KafkaProtocolError, type FailureErrorName } from '@kactor/protocol';
import type { TopicPartition } from './topic-partition.js';
import { formatTopicPartition } from './topic-partition.js';

/** A client-side failure without a Kafka error code (Java's `KafkaException`). */
export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
}

/** A call that is not valid in the client's current state (Java's `IllegalStateException`), e.g. after close(). */
export class IllegalStateError extends KafkaClientError {
  override name = 'IllegalStateError';
}

/**
 * A newer producer with the same transactional.id fenced this one (Java's `ProducerFencedException`, Kafka's
 * PRODUCER_FENCED, code 90; an old epoch's INVALID_PRODUCER_EPOCH means the same): fatal for the producer, whose
 * records not yet written fail and whose later calls throw this error; only close() is left.
 */
export class ProducerFencedError extends KafkaProtocolError {
  override name = 'ProducerFencedError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('PRODUCER_FENCED'), message, options);
  }
}

/**
 * A record of a transaction that abortTransaction() ended before the record was sent (Java's
 * `TransactionAbortedException`): it was never written.
 */
export class TransactionAbortedError extends KafkaClientError {
  override name = 'TransactionAbortedError';
}

/**
 * A consumer has no position for these partitions and `auto.offset.reset` is `none` (Java's
 * `NoOffsetForPartitionException`): the application must `seek` first.
 */
export class NoOffsetForPartitionError extends KafkaClientError {
  override name = 'NoOffsetForPartitionError';
  readonly partitions: readonly TopicPartition[];

  constructor(partitions: readonly TopicPartition[]) {
    super(`no offset is set and auto.offset.reset is none for partitions: ${partitions.map(formatTopicPartition).join(', ')}`);
    this.partitions = partitions;
  }
}

/**
 * A commit that can never succeed because the member was fenced out of its group (Java's
 * `CommitFailedException`): the coordinator answered UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION (the
 * group rebalanced without this member, usually because poll() was not called within
 * max.poll.interval.ms), or the member had already lost its generation. Its partitions now belong to
 * someone else; the records since the last successful commit will be read again by their new owner.
 * `cause` holds the coordinator's error when there was one.
 */
export class CommitFailedError extends KafkaClientError {
  override name = 'CommitFailedError';
}

/**
 * The group is rebalancing, so a commit (or another group call) cannot be applied now (Java's
 * `RebalanceInProgressException`, Kafka's REBALANCE_IN_PROGRESS, code 27). The consumer still owns
 * its partitions until the rebalance revokes them: call poll() to complete the rebalance, then commit
 * again (from onPartitionsRevoked, the commit goes through).
 */
export class RebalanceInProgressError extends KafkaProtocolError {
  override name = 'RebalanceInProgressError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('REBALANCE_IN_PROGRESS'), message, options);
  }
}

/**
 * The transaction coordinator holds no state for a transactional id (Java's `TransactionalIdNotFoundException`,
 * Kafka's TRANSACTIONAL_ID_NOT_FOUND, code 105): no producer with that id ever called initTransactions(), or
 * its state expired after transactional.id.expiration.ms. The admin's describeTransactions reports it per id.
 */
export class TransactionalIdNotFoundError extends KafkaProtocolError {
  override name = 'TransactionalIdNotFoundError';
  constructor(readonly transactionalId: string) {
    super(errorByName('TRANSACTIONAL_ID_NOT_FOUND'), `transactional id '${transactionalId}' was not found at its coordinator`);
  }
}

/**
 * A rebalance listener callback threw (Java wraps it in a `KafkaException` thrown from poll()): the
 * rebalance step it belonged to completed anyway, and poll() throws this once, with the listener's error
 * as `cause`.
 */
export class RebalanceListenerError extends KafkaClientError {
  override name = 'RebalanceListenerError';
}

/**
 * A record too large to send at all (Java's `RecordTooLargeException`, Kafka's MESSAGE_TOO_LARGE, code
 * 10): in a batch of its own it would take `sizeBytes`, more than the producer's `limitName` setting
 * (`limitBytes`). send() rejects it before anything goes on the wire; the other records are not affected.
 */
export class RecordTooLargeError extends KafkaProtocolError {
  override name = 'RecordTooLargeError';
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
    readonly limitName: 'max.request.size' | 'buffer.memory',
  ) {
    super(errorByName('MESSAGE_TOO_LARGE'), `the record is ${sizeBytes} bytes when serialized, larger than ${limitName} ${limitBytes}`);
  }
}

/** Where a truncated log diverges from a consumer's position: the first offset the new leader does not share. */
export interface DivergentOffset {
  readonly offset: number;
  readonly leaderEpoch: number;
}

/**
 * After a leader change the new leader's log no longer holds the consumer's position (KIP-320, Java's
 * `LogTruncationException`, an OFFSET_OUT_OF_RANGE): records the consumer read were truncated away, an
 * unclean election most likely. Thrown by poll() only with auto.offset.reset=none (otherwise the consumer
 * moves to the divergence point and warns). `divergentOffset` is where the logs part, or null when the leader
 * knows no epoch at or below the consumer's; seek to continue.
 */
export class LogTruncationError extends KafkaProtocolError {
  override name = 'LogTruncationError';
  constructor(
    readonly partition: TopicPartition,
    readonly fetchPosition: number,
    readonly divergentOffset: DivergentOffset | null,
  ) {
    const where = divergentOffset === null ? 'the leader has no epoch at or below the one of the last record consumed' : `the log now ends at offset ${divergentOffset.offset} of leader epoch ${divergentOffset.leaderEpoch}`;
    super(errorByName('OFFSET_OUT_OF_RANGE'), `truncation detected for ${formatTopicPartition(partition)} at position ${fetchPosition}: ${where}, and auto.offset.reset is none`);
  }
}

/** The Kafka error for `name`, with a message that says what happened this time. */
export function kafkaError(name: FailureErrorName, message?: string): KafkaProtocolError {
  return KafkaProtocolError.from(name, message);
}

/** The Kafka error for a code found in a response body, with the broker's message when it sent one. */
export function kafkaErrorFromCode(code: number, message?: string | null): KafkaProtocolError {
  return KafkaProtocolError.from(code, message ?? undefined);
}

/** Java's `TimeoutException` is Kafka's REQUEST_TIMED_OUT (code 7, retriable). */
export function timeoutError(message: string, options?: ErrorOptions): KafkaProtocolError {
  return KafkaProtocolError.from('REQUEST_TIMED_OUT', message, options);
}
