/**
 * DescribeTransactions (Kafka api key 65, KIP-664): the state of some transactional ids at their coordinator, what
 * `kafka-transactions.sh describe` prints: state, producer id and epoch, timeout, when the open transaction began
 * and its partitions (while it prepares to commit or abort, only those whose marker is not written yet). An id the
 * coordinator does not have is TRANSACTIONAL_ID_NOT_FOUND; one whose coordinator is elsewhere NOT_COORDINATOR.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString } from './primitives.js';
import { transactionState, txnTopicPartitions } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

export const describeTransactionsRequestV0 = z.strictObject({
  transactionalIds: boundedArray(kafkaString, wireLimits.maxTransactionalIdsPerRequest),
});

export const describeTransactionsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  transactionStates: boundedArray(
    z.strictObject({
      errorCode: int16,
      transactionalId: kafkaString,
      /** Kafka's state name, or '' in an entry answered with an error (Kafka's default for the field). */
      transactionState: z.union([transactionState, z.literal('')]),
      transactionTimeoutMs: int32,
      /** When the open transaction began (its first AddPartitionsToTxn), -1 when none is open. */
      transactionStartTimeMs: int64,
      producerId: int64,
      /** Kafka declares it int32 on this API although producer epochs are int16. */
      producerEpoch: int32,
      topicPartitions: boundedArray(txnTopicPartitions, wireLimits.maxTopicsPerRequest),
    }),
    wireLimits.maxTransactionalIdsPerRequest,
  ),
});
