import type { TransactionDescription } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { TransactionalIdNotFoundError } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { DESCRIBE_HEADERS, describedTransaction, LIST_HEADERS, transactionDescribeText, transactionsListJson, transactionsListText } from './transaction-output.js';

const ongoing: TransactionDescription = {
  transactionalId: 'copier-1',
  coordinatorId: 2,
  state: 'Ongoing',
  producerId: 4001,
  producerEpoch: 3,
  transactionTimeoutMs: 60_000,
  transactionStartTimeMs: 1_700_000_000_000,
  topicPartitions: [
    { topic: 'output', partition: 0 },
    { topic: 'output', partition: 2 },
  ],
  error: null,
};

const failed = (error: KafkaProtocolError): TransactionDescription => ({ ...ongoing, coordinatorId: -1, state: null, producerId: -1, producerEpoch: -1, transactionTimeoutMs: -1, transactionStartTimeMs: null, topicPartitions: [], error });

describe('transactions output', () => {
  it("lists with kafka-transactions.sh's columns, one row per id", () => {
    const text = transactionsListText([
      { transactionalId: 'audit', coordinatorId: 0, producerId: 7, state: 'Empty' },
      { transactionalId: 'copier-1', coordinatorId: 2, producerId: 4001, state: 'Ongoing' },
    ]);
    expect(text.split('\n')).toEqual([
      'TransactionalId  Coordinator  ProducerId  TransactionState',
      'audit            0            7           Empty',
      'copier-1         2            4001        Ongoing',
    ]);
    expect(transactionsListText([])).toBe(LIST_HEADERS.join('  '));
  });

  it('lists as a JSON array with the documented keys', () => {
    expect(JSON.parse(transactionsListJson([{ transactionalId: 'copier-1', coordinatorId: 2, producerId: 4001, state: 'Ongoing' }]))).toEqual([
      { transactionalId: 'copier-1', coordinator: 2, producerId: 4001, transactionState: 'Ongoing' },
    ]);
  });

  it('describes an open transaction: its start time, how long it has run and its partitions', () => {
    const described = describedTransaction(ongoing, 1_700_000_004_250);
    expect(described).toEqual({
      coordinatorId: 2,
      transactionalId: 'copier-1',
      producerId: 4001,
      producerEpoch: 3,
      transactionState: 'Ongoing',
      transactionTimeoutMs: 60_000,
      currentTransactionStartTimeMs: 1_700_000_000_000,
      transactionDurationMs: 4_250,
      topicPartitions: [
        { topic: 'output', partition: 0 },
        { topic: 'output', partition: 2 },
      ],
    });
    const [header, row] = transactionDescribeText(described).split('\n');
    expect(header?.split(/\s+/)).toEqual([...DESCRIBE_HEADERS]);
    expect(row?.split(/\s+/)).toEqual(['2', 'copier-1', '4001', '3', 'Ongoing', '60000', '1700000000000', '4250', 'output-0,output-2']);
  });

  it('prints None for the start time and duration of an id that has had no transaction', () => {
    const described = describedTransaction({ ...ongoing, state: 'Empty', transactionStartTimeMs: null, topicPartitions: [] }, 1_700_000_004_250);
    expect(described).toMatchObject({ currentTransactionStartTimeMs: null, transactionDurationMs: null, topicPartitions: [] });
    expect(transactionDescribeText(described).split('\n')[1]?.split(/\s+/)).toEqual(['2', 'copier-1', '4001', '3', 'Empty', '60000', 'None', 'None']);
  });

  it('never prints a negative duration when the coordinator clock runs ahead of this one', () => {
    expect(describedTransaction(ongoing, 1_699_999_999_000).transactionDurationMs).toBe(0);
  });

  it('fails with one line naming TRANSACTIONAL_ID_NOT_FOUND for an unknown id, and the Kafka error otherwise', () => {
    expect(() => describedTransaction(failed(new TransactionalIdNotFoundError('copier-1')), 0)).toThrow(new CliError("TRANSACTIONAL_ID_NOT_FOUND: transactional id 'copier-1' does not exist"));
    expect(() => describedTransaction(failed(KafkaProtocolError.from('REQUEST_TIMED_OUT', 'describeTransactions timed out after 3 attempt(s)')), 0)).toThrow(
      new CliError("cannot describe transactional id 'copier-1': REQUEST_TIMED_OUT: describeTransactions timed out after 3 attempt(s)"),
    );
  });
});
