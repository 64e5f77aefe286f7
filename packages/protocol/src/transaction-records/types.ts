/**
 * The records a transaction coordinator writes to `__transaction_state` (Kafka's TransactionLogKey and
 * TransactionLogValue, transaction-coordinator/src/main/resources/common/message/), as data. One record per
 * transactional id and state change; replaying a partition's records in order rebuilds every transaction it
 * coordinates. A null value is a tombstone: the transactional id expired (transactional.id.expiration.ms).
 */

/** Kafka's TransactionState, with the ids it writes as TransactionStatus (TransactionMetadata.scala). */
export const TRANSACTION_STATUS_IDS = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

export type TransactionStatus = keyof typeof TRANSACTION_STATUS_IDS;

/** One topic's partitions in the transaction (Kafka's PartitionsSchema). */
export interface TransactionLogPartitions {
  topic: string;
  partitionIds: number[];
}

export interface TransactionLogValue {
  producerId: number;
  /** The producer id of the last committed transaction (KIP-890's tagged field; -1 when none). */
  previousProducerId: number;
  /** The producer id handed to the producer next (KIP-890's tagged field; -1 when none). */
  nextProducerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
  transactionStatus: TransactionStatus;
  /** Written as null for Empty, as Kafka does; read back as no partitions. */
  transactionPartitions: TransactionLogPartitions[];
  transactionLastUpdateTimestampMs: number;
  /** When the first partition was added; -1 while Empty. */
  transactionStartTimestampMs: number;
  /** KIP-890's transaction version the client uses (tagged field; 0 = the original protocol). */
  clientTransactionVersion: number;
}

export interface TransactionLogRecord {
  transactionalId: string;
  /** Null: the transactional id expired and is removed from the coordinator. */
  value: TransactionLogValue | null;
}
