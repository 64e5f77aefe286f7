/**
 * `kactor produce T`: one record per line of standard input (Kafka's console producer). With
 * --key-separator each line is `key<SEP>value`. Exits 0 once every record is acknowledged; otherwise prints
 * how many failed with Kafka's error names and exits 1. On a terminal it shows progress.
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
import { collectKeyValue, integerOption, keyValuesToRecord } from '../support/options.js';
import { every } from '../support/ticker.js';

export interface ProduceOptions extends ClientCommandOptions {
  keySeparator?: string;
  partition?: number;
  acks?: string;
  producerProperty: string[];
}

/** Records waiting for their acknowledgement before reading more input; buffer.memory bounds the bytes too. */
const maxOutstandingRecords = 50_000;

export function splitLine(line: string, keySeparator: string | undefined, lineNumber: number): { key: string | null; value: string } {
  if (keySeparator === undefined) return { key: null, value: line };
  const at = line.indexOf(keySeparator);
  if (at < 0) throw new CliError(`line ${lineNumber} has no key separator "${keySeparator}"`);
  return { key: line.slice(0, at), value: line.slice(at + keySeparator.length) };
}

export const CONSOLE_PRODUCER_CLIENT_ID = 'console-producer';

async function runProduce(topic: string, options: ProduceOptions): Promise<void> {
  const { bootstrapServers, runtime, inspection } = clientSetup(options);
  // Kafka's console producer defaults client.id the same way; it names the producer's statechart (producer/console-producer).
  const properties: Record<string, string> = { 'bootstrap.servers': bootstrapServers, 'client.id': CONSOLE_PRODUCER_CLIENT_ID, ...keyValuesToRecord(options.producerProperty) };
  if (options.acks !== undefined) properties.acks = options.acks;
  let producer: Producer;
  try {
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
      const { key, value } = splitLine(line, options.keySeparator, read);
      outstanding += 1;
      producer.send({ topic, key, value, ...(options.partition === undefined ? {} : { partition: options.partition }) }).then(
        () => {
          acked += 1;
          settle();
        },
        (error: unknown) => {
          const name = isKafkaError(error) ? error.errorName : describeError(error);
          failures.set(name, (failures.get(name) ?? 0) + 1);
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
    await producer.close({ timeoutMs: 0 }).catch(() => undefined);
    await inspection.close();
    return exitWithError('produce', error);
  }
  stopTicker();
  progress?.stop();
  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
  if (failed > 0) {
    const summary = [...failures.entries()].map(([name, count]) => `${count} × ${name}`).join(', ');
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
      .option('--partition <N>', 'send every record to this partition', integerOption('--partition', { min: 0 }))
      .option('--acks <0|1|all>', 'acknowledgements to wait for (default all, as Kafka)')
      .option('--inspect [URL]', `${INSPECT_FLAG_HELP}; the producer shows as producer/<client.id>`, parseInspectUrl)
      .option('--producer-property <k=v>', 'producer config, Kafka names (repeatable), e.g. linger.ms=20', collectKeyValue, []),
  ).action((topic: string, options: ProduceOptions) => runProduce(topic, options));
}
