/**
 * What `kactor produce` does once its flags are parsed (produce.ts registers them and loads this module only
 * when the command runs): reads standard input line by line, sends each record, and reports failures by line.
 */
import { createInterface } from 'node:readline';
import { Producer } from '@kactor/client';
import { isKafkaError } from '@kactor/protocol';
import { systemClock } from '@kactor/runtime';
import { SingleBar } from 'cli-progress';
import { clientSetup } from '../support/client-options.js';
import { CliError, describeError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { keyValuesToRecord, propertiesToRecord } from '../support/options.js';
import { describeRecordFailure, recordReader, reportedFailedLines } from '../support/produce-input.js';
import { ProduceTransactions, TransactionFailedError } from '../support/produce-transactions.js';
import { every } from '../support/ticker.js';
import { cliLogger } from '../support/logging.js';
import { shutdownOnSignals } from '../support/shutdown-signals.js';
import type { ProduceOptions } from './produce.js';

/** The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const interruptedExitCode = 130;

/** Records waiting for their acknowledgement before reading more input; buffer.memory bounds the bytes too. */
const maxOutstandingRecords = 50_000;

export const CONSOLE_PRODUCER_CLIENT_ID = 'console-producer';

export async function runProduce(topic: string, options: ProduceOptions): Promise<void> {
  const { bootstrapServers, runtime, inspection } = clientSetup(options);
  // Kafka's console producer defaults client.id the same way; it names the producer's statechart (producer/console-producer).
  const properties: Record<string, string> = { 'bootstrap.servers': bootstrapServers, 'client.id': CONSOLE_PRODUCER_CLIENT_ID, ...keyValuesToRecord(options.producerProperty) };
  if (options.acks !== undefined) properties.acks = options.acks;
  if (options.transactionalId !== undefined) properties['transactional.id'] = options.transactionalId;
  let producer: Producer;
  let readRecord: ReturnType<typeof recordReader>;
  let transactions: ProduceTransactions | undefined;
  try {
    if (options.transactionSize !== undefined && properties['transactional.id'] === undefined) throw new CliError('--transaction-size needs --transactional-id');
    readRecord = recordReader({ json: options.json, keySeparator: options.keySeparator, properties: propertiesToRecord([...options.property, ...options.readerProperty]) });
    producer = Producer.create(properties, runtime);
    if (properties['transactional.id'] !== undefined) {
      // InitProducerId fences an older producer with the same transactional.id and ends its open transaction.
      await producer.initTransactions();
      transactions = new ProduceTransactions(producer, options.transactionSize);
    }
  } catch (error) {
    return exitWithError('produce', error);
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let interrupted = false;
  if (transactions !== undefined) {
    // Without a listener Ctrl-C would kill the process with its transaction open until transaction.timeout.ms; stop
    // reading instead, and abort it below, as Kafka's producer aborts an incomplete transaction when it shuts down.
    shutdownOnSignals(cliLogger({ node: 'produce' }), systemClock, () => {
      interrupted = true;
      lines.close();
    });
  }
  const progress = process.stderr.isTTY ? new SingleBar({ format: 'produce {topic} | {acked} acked | {failed} failed | {rate} records/s', hideCursor: true }) : undefined;
  const started = systemClock.now();
  let read = 0;
  let acked = 0;
  let outstanding = 0;
  const failures = new Map<string, number>();
  // The earliest failed lines, in input order (acknowledgements arrive out of order across partitions).
  const failedLines: Array<{ lineNumber: number; error: unknown }> = [];
  let drained: (() => void) | undefined;
  const settle = () => {
    outstanding -= 1;
    if (outstanding < maxOutstandingRecords / 2) drained?.();
  };
  progress?.start(0, 0, { topic, acked: 0, failed: 0, rate: 0 });
  const stopTicker =
    progress === undefined
      ? () => undefined
      : every(250, () => {
          const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
          progress.update(0, { acked, failed, rate: Math.round(acked / Math.max(0.001, (systemClock.now() - started) / 1000)) });
        });
  try {
    for await (const line of lines) {
      if (interrupted) break;
      read += 1;
      const lineNumber = read;
      const record = readRecord(line, lineNumber);
      const partition = record.partition ?? options.partition;
      transactions?.beforeRecord(lineNumber);
      outstanding += 1;
      producer.send({ topic, ...record, ...(partition === undefined ? {} : { partition }) }).then(
        () => {
          acked += 1;
          settle();
        },
        (error: unknown) => {
          const name = isKafkaError(error) ? error.errorName : describeError(error);
          failures.set(name, (failures.get(name) ?? 0) + 1);
          failedLines.push({ lineNumber, error });
          failedLines.sort((a, b) => a.lineNumber - b.lineNumber);
          if (failedLines.length > reportedFailedLines) failedLines.pop();
          settle();
        },
      );
      if (outstanding >= maxOutstandingRecords) await new Promise<void>((resolve) => (drained = resolve));
      await transactions?.afterRecord();
    }
    if (interrupted) {
      stopTicker();
      progress?.stop();
      return await abortInterrupted(transactions, producer, inspection);
    }
    await transactions?.finish();
    await producer.flush();
    await producer.close();
    await inspection.close();
  } catch (error) {
    stopTicker();
    progress?.stop();
    if (error instanceof TransactionFailedError) {
      await producer.close({ timeoutMs: 0 }).catch(() => undefined);
      await inspection.close();
      const { lines: failed } = error;
      const committed = transactions?.committed.records ?? 0;
      const outcome = error.aborted ? 'aborted it' : 'could not abort it (its coordinator ends it)';
      return exitWithError('produce', new CliError(`the transaction of lines ${failed.firstLine}-${failed.lastLine} failed to commit (${describeError(error.cause)}); ${outcome}; ${committed} records committed before it`));
    }
    // A line that cannot be read stops the input (as in Kafka), but the lines before it were good: deliver them,
    // in a transaction too: the lines before the bad one make the last transaction.
    if (error instanceof CliError) await transactions?.finish().catch(() => undefined);
    await producer.close(error instanceof CliError ? {} : { timeoutMs: 0 }).catch(() => undefined);
    await inspection.close();
    return exitWithError('produce', error);
  }
  stopTicker();
  progress?.stop();
  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
  if (failed > 0) {
    const summary = [...failures.entries()].map(([name, count]) => `${count} × ${name}`).join(', ');
    for (const { lineNumber, error } of failedLines) process.stderr.write(`kactor produce: ${describeRecordFailure(lineNumber, error)}\n`);
    if (failed > failedLines.length) process.stderr.write(`kactor produce: (${failed - failedLines.length} more failed lines not shown)\n`);
    process.stderr.write(`kactor produce: ${failed} of ${read} records failed: ${summary}\n`);
    await exitAfterFlush(1);
  }
  if (process.stderr.isTTY) process.stderr.write(`${acked} records acknowledged\n`);
  if (transactions !== undefined && process.stderr.isTTY) process.stderr.write(`${transactions.committed.records} records committed in ${transactions.committed.transactions} transactions\n`);
}

/** Ctrl-C with --transactional-id: the open transaction is aborted, the committed ones stay; exit 130. */
async function abortInterrupted(transactions: ProduceTransactions | undefined, producer: Producer, inspection: { close(): Promise<void> }): Promise<never> {
  const open = transactions?.openTransaction;
  const aborted = await transactions?.abort().then(
    () => true,
    () => false,
  );
  await producer.close({ timeoutMs: 0 }).catch(() => undefined);
  await inspection.close();
  const committed = transactions?.committed ?? { records: 0, transactions: 0 };
  const lines = open === undefined ? '' : `the open transaction of lines ${open.firstLine}-${open.lastLine}`;
  // A producer fenced meanwhile cannot abort: its coordinator aborts the transaction (at the latest after transaction.timeout.ms).
  const what = open === undefined ? 'no transaction was open' : aborted === true ? `aborted ${lines}` : `could not abort ${lines} (its coordinator aborts it)`;
  process.stderr.write(`kactor produce: interrupted: ${what}; ${committed.records} records committed in ${committed.transactions} transactions\n`);
  return exitAfterFlush(interruptedExitCode);
}
