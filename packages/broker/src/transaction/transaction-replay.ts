/**
 * Rebuilds the transactions of one `__transaction_state` partition from its records, in log order: the only way a
 * coordinator learns what an earlier coordinator of the partition decided (restart or failover). The last record of a
 * transactional id is its state; a tombstone removes it. A transaction found in PrepareCommit or PrepareAbort still
 * needs its markers, which the loaded transaction's statechart sends at once (Kafka's loadTransactionsForTxnTopicPartition
 * hands them to the marker channel).
 */
import type { TransactionLogRecord } from '@kactor/protocol';
import { metadataFromRecord, TransactionInvariantError, type TransactionMetadata } from './transaction-metadata.js';

export function replayTransactionRecords(records: readonly TransactionLogRecord[]): Map<string, TransactionMetadata> {
  const transactions = new Map<string, TransactionMetadata>();
  for (const record of records) {
    // Kafka writes Dead only as a tombstone; a Dead value is read the same way.
    if (record.value === null || record.value.transactionStatus === 'Dead') {
      transactions.delete(record.transactionalId);
      continue;
    }
    const replayed = metadataFromRecord(record.transactionalId, record.value);
    const previous = transactions.get(record.transactionalId);
    // Epochs never go back for a producer id: a record that did would mean two coordinators wrote the partition at once.
    if (previous !== undefined && previous.producerId === replayed.producerId && replayed.producerEpoch < previous.producerEpoch) {
      throw new TransactionInvariantError(`${record.transactionalId}: replayed epoch ${replayed.producerEpoch} after ${previous.producerEpoch} for producer id ${replayed.producerId}`);
    }
    transactions.set(record.transactionalId, replayed);
  }
  return transactions;
}
