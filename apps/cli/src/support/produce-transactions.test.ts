/** How `kactor produce --transactional-id ID [--transaction-size N]` cuts its input into transactions. */
import { describe, expect, it } from 'vitest';
import { ProduceTransactions, TransactionFailedError, type TransactionalProducerPort } from './produce-transactions.js';

/** Records the calls in order; commitTransaction fails with `failCommit` when it is set. */
function fakeProducer(failCommit?: Error): TransactionalProducerPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    beginTransaction: () => void calls.push('begin'),
    commitTransaction: () => {
      calls.push('commit');
      return failCommit === undefined ? Promise.resolve() : Promise.reject(failCommit);
    },
    abortTransaction: () => {
      calls.push('abort');
      return Promise.resolve();
    },
  };
}

async function feed(transactions: ProduceTransactions, producer: { calls: string[] }, lines: number): Promise<void> {
  for (let line = 1; line <= lines; line += 1) {
    transactions.beforeRecord(line);
    producer.calls.push(`send ${line}`);
    await transactions.afterRecord();
  }
}

describe('produce --transaction-size', () => {
  it('commits every N records as one transaction and the rest at the end of input', async () => {
    const producer = fakeProducer();
    const transactions = new ProduceTransactions(producer, 2);
    await feed(transactions, producer, 5);
    await transactions.finish();
    expect(producer.calls).toEqual(['begin', 'send 1', 'send 2', 'commit', 'begin', 'send 3', 'send 4', 'commit', 'begin', 'send 5', 'commit']);
    expect(transactions.committed).toEqual({ records: 5, transactions: 3 });
  });

  it('without --transaction-size, the whole input is one transaction committed at its end', async () => {
    const producer = fakeProducer();
    const transactions = new ProduceTransactions(producer, undefined);
    await feed(transactions, producer, 3);
    expect(transactions.openTransaction).toEqual({ firstLine: 1, lastLine: 3, records: 3 });
    await transactions.finish();
    expect(producer.calls).toEqual(['begin', 'send 1', 'send 2', 'send 3', 'commit']);
    expect(transactions.committed).toEqual({ records: 3, transactions: 1 });
  });

  it('empty input begins no transaction', async () => {
    const producer = fakeProducer();
    const transactions = new ProduceTransactions(producer, 10);
    await transactions.finish();
    expect(await transactions.abort()).toBeUndefined();
    expect(producer.calls).toEqual([]);
  });

  it('an interruption aborts the open transaction and keeps the committed ones', async () => {
    const producer = fakeProducer();
    const transactions = new ProduceTransactions(producer, 2);
    await feed(transactions, producer, 3);
    expect(await transactions.abort()).toEqual({ firstLine: 3, lastLine: 3, records: 1 });
    expect(producer.calls.slice(-2)).toEqual(['send 3', 'abort']);
    expect(transactions.committed).toEqual({ records: 2, transactions: 1 });
  });

  it('a transaction that fails to commit is aborted and named by its lines', async () => {
    const cause = new Error('PRODUCER_FENCED');
    const producer = fakeProducer(cause);
    const transactions = new ProduceTransactions(producer, 2);
    transactions.beforeRecord(1);
    transactions.beforeRecord(2);
    const failure = await transactions.afterRecord().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransactionFailedError);
    expect(failure).toMatchObject({ lines: { firstLine: 1, lastLine: 2, records: 2 }, cause, aborted: true });
    expect(producer.calls).toEqual(['begin', 'commit', 'abort']);
    expect(transactions.committed).toEqual({ records: 0, transactions: 0 });
    expect(transactions.openTransaction).toBeUndefined();
  });

  it('refuses a transaction size below 1', () => {
    expect(() => new ProduceTransactions(fakeProducer(), 0)).toThrow(RangeError);
  });
});
