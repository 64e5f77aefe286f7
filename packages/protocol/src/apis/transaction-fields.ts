/**
 * Pieces the transaction APIs share (KIP-98, KIP-664): Kafka's transaction states as the coordinator names them
 * on the wire (DescribeTransactions, ListTransactions; `TransactionState.java`), and a topic with partition
 * indexes, the shape every transaction API names partitions in.
 */
import { z } from 'zod';
import { kafkaString, partitionIndexes } from './primitives.js';

/**
 * The states of a transactional id at its coordinator, with the names Kafka sends (`TransactionState.stateName`).
 * `PrepareEpochFence` is the state of an open transaction being aborted because a newer producer of the id
 * called InitProducerId (KIP-360).
 */
export const transactionStates = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;

export type TransactionStateName = (typeof transactionStates)[number];

export const transactionState = z.enum(transactionStates);

/** A topic and some of its partitions, as AddPartitionsToTxn, WriteTxnMarkers and DescribeTransactions name them. */
export const txnTopicPartitions = z.strictObject({ name: kafkaString, partitionIndexes });

/** Kafka's `IsolationLevel` ids (Fetch, ListOffsets): read_uncommitted 0, read_committed 1. */
export const isolationLevels = { readUncommitted: 0, readCommitted: 1 } as const;

/** Any other id is refused (INVALID_REQUEST), as Kafka's `IsolationLevel.forId` refuses it. */
export const isolationLevel = z.union([z.literal(isolationLevels.readUncommitted), z.literal(isolationLevels.readCommitted)]);
