/**
 * Errors the client throws that have no Kafka error code. Everything that does have one (a broker's
 * per-partition error, a timeout, a record that is too large) is a `KafkaProtocolError` from
 * @kactor/protocol, matched on `errorName`, as Kafka's clients throw the exception of `Errors.forCode`.
 */
import { KafkaProtocolError, type FailureErrorName } from '@kactor/protocol';
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
