/**
 * How `kactor produce --transactional-id ID [--transaction-size N]` cuts its input into transactions (issue 13,
 * KIP-98). Every N records are committed as one transaction, as Kafka's transactional message copier does with its
 * --transaction-size; without --transaction-size the whole input is one transaction, committed at the end of input
 * (kafka-producer-perf-test likewise commits the transaction it has open when it runs out of records). An interrupted
 * producer (Ctrl-C) aborts its open transaction, as Kafka's producer aborts an incomplete transaction when it shuts down:
 * a read_committed consumer sees whole transactions or nothing. A transaction that cannot commit is aborted and the
 * command stops: its lines are named, the transactions committed before it stay.
 */

/** The transactional calls of the producer this needs (the client's Producer). */
export interface TransactionalProducerPort {
  beginTransaction(): void;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
}

/** The input lines one transaction held (1-based, inclusive). */
export interface TransactionLines {
  firstLine: number;
  lastLine: number;
  records: number;
}

export class TransactionFailedError extends Error {
  constructor(
    readonly lines: TransactionLines,
    override readonly cause: unknown,
    readonly aborted: boolean,
  ) {
    super(`the transaction of lines ${lines.firstLine}-${lines.lastLine} failed to commit`);
    this.name = 'TransactionFailedError';
  }
}

export class ProduceTransactions {
  private open: TransactionLines | undefined;
  private committedRecords = 0;
  private committedTransactions = 0;

  /** `transactionSize` undefined: the whole input is one transaction. */
  constructor(
    private readonly producer: TransactionalProducerPort,
    private readonly transactionSize: number | undefined,
  ) {
    if (transactionSize !== undefined && (!Number.isInteger(transactionSize) || transactionSize < 1)) throw new RangeError(`transactionSize must be a positive integer, got ${transactionSize}`);
  }

  get committed(): { records: number; transactions: number } {
    return { records: this.committedRecords, transactions: this.committedTransactions };
  }

  /** The open transaction's lines, if one is open. */
  get openTransaction(): TransactionLines | undefined {
    return this.open === undefined ? undefined : { ...this.open };
  }

  /** Call before sending the record of `lineNumber`: begins a transaction when none is open. */
  beforeRecord(lineNumber: number): void {
    if (this.open === undefined) {
      this.producer.beginTransaction();
      this.open = { firstLine: lineNumber, lastLine: lineNumber, records: 0 };
    }
    this.open.lastLine = lineNumber;
    this.open.records += 1;
  }

  /** Call after sending a record: commits the open transaction once it holds transactionSize records. */
  async afterRecord(): Promise<void> {
    if (this.open !== undefined && this.transactionSize !== undefined && this.open.records >= this.transactionSize) await this.commit();
  }

  /** End of input: commits the open transaction, if any. */
  async finish(): Promise<void> {
    if (this.open !== undefined) await this.commit();
  }

  /** Interrupted: aborts the open transaction, if any; returns its lines. */
  async abort(): Promise<TransactionLines | undefined> {
    const open = this.open;
    if (open === undefined) return undefined;
    this.open = undefined;
    await this.producer.abortTransaction();
    return open;
  }

  private async commit(): Promise<void> {
    const open = this.open as TransactionLines;
    try {
      await this.producer.commitTransaction();
    } catch (error) {
      this.open = undefined;
      // A fenced producer cannot abort (its epoch is gone): the coordinator already ended the transaction.
      const aborted = await this.producer.abortTransaction().then(
        () => true,
        () => false,
      );
      throw new TransactionFailedError(open, error, aborted);
    }
    this.open = undefined;
    this.committedRecords += open.records;
    this.committedTransactions += 1;
  }
}
