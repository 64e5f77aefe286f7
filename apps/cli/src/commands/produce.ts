/**
 * `kactor produce T`: one record per line of standard input (Kafka's console producer). With
 * --key-separator each line is `key<SEP>value`; Kafka's line reader properties (`--property
 * parse.headers=true` etc., see line-reader.ts) read headers and keys; with --json each line is a JSON
 * record with key, value, headers, timestamp and partition (json-record-reader.ts). Exits 0 once every
 * record is acknowledged; otherwise names the first failed lines (which line, what, Kafka's error name),
 * prints how many failed by error name and exits 1. On a terminal it shows progress.
 */
import { createInterface } from 'node:readline';
import { Producer } from '@kactor/client';
import { isKafkaError } from '@kactor/protocol';
import { systemClock } from '@kactor/runtime';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { addClientOptions, clientSetup, type ClientCommandOptions } from '../support/client-options.js';
import { CliError, describeError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { INSPECT_FLAG_HELP, parseInspectUrl } from '../support/inspection.js';
import { collectKeyValue, integerOption, keyValuesToRecord, propertiesToRecord } from '../support/options.js';
import { describeRecordFailure, recordReader, reportedFailedLines } from '../support/produce-input.js';
import { every } from '../support/ticker.js';

export interface ProduceOptions extends ClientCommandOptions {
  keySeparator?: string;
  partition?: number;
  acks?: string;
  producerProperty: string[];
  /** Kafka's line reader properties (--property, or --reader-property as newer Kafka names it). */
  property: string[];
  readerProperty: string[];
  json?: boolean;
}

/** Records waiting for their acknowledgement before reading more input; buffer.memory bounds the bytes too. */
const maxOutstandingRecords = 50_000;

export const CONSOLE_PRODUCER_CLIENT_ID = 'console-producer';

async function runProduce(topic: string, options: ProduceOptions): Promise<void> {
  const { bootstrapServers, runtime, inspection } = clientSetup(options);
  // Kafka's console producer defaults client.id the same way; it names the producer's statechart (producer/console-producer).
  const properties: Record<string, string> = { 'bootstrap.servers': bootstrapServers, 'client.id': CONSOLE_PRODUCER_CLIENT_ID, ...keyValuesToRecord(options.producerProperty) };
  if (options.acks !== undefined) properties.acks = options.acks;
  let producer: Producer;
  let readRecord: ReturnType<typeof recordReader>;
  try {
    readRecord = recordReader({ json: options.json, keySeparator: options.keySeparator, properties: propertiesToRecord([...options.property, ...options.readerProperty]) });
    producer = Producer.create(properties, runtime);
  } catch (error) {
    return exitWithError('produce', error);
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
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      read += 1;
      const lineNumber = read;
      const record = readRecord(line, lineNumber);
      const partition = record.partition ?? options.partition;
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
    }
    await producer.flush();
    await producer.close();
    await inspection.close();
  } catch (error) {
    stopTicker();
    progress?.stop();
    // A line that cannot be read stops the input (as in Kafka), but the lines before it were good: deliver them.
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
}

export function registerProduceCommand(program: Command): void {
  addClientOptions(
    program
      .command('produce <topic>')
      .description('Produce one record per line of standard input.')
      .option('--key-separator <SEP>', 'split each line into key and value at the first SEP (Kafka: parse.key + key.separator)')
      .option(
        '--property <k=v>',
        "Kafka's console-producer line reader property (repeatable): parse.key, key.separator, parse.headers (lines `h1:v1,h2:v2<TAB>[key<TAB>]value`), headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error",
        collectKeyValue,
        [],
      )
      .option('--reader-property <k=v>', 'the same as --property (the name newer Kafka versions use)', collectKeyValue, [])
      .option('--json', 'read one JSON record per line: {"key","value","headers","timestamp","partition"}, all but value optional; headers [{"key","value"}] or {"h":"v"}')
      .option('--partition <N>', 'send every record to this partition', integerOption('--partition', { min: 0 }))
      .option('--acks <0|1|all>', 'acknowledgements to wait for (default all, as Kafka)')
      .option('--inspect [URL]', `${INSPECT_FLAG_HELP}; the producer shows as producer/<client.id>`, parseInspectUrl)
      .option('--producer-property <k=v>', 'producer config, Kafka names (repeatable), e.g. linger.ms=20', collectKeyValue, []),
  ).action((topic: string, options: ProduceOptions) => runProduce(topic, options));
}
