/**
 * `kactor consume T`: reads a partition (or every partition) of a topic (Kafka's console consumer). Prints
 * each value, or with --json one object per line:
 * `{"type":"record","topic","partition","offset","timestamp","key","value"}`. Stops after --max-messages,
 * after --timeout-ms without a record, or on Ctrl-C, then prints how many it processed.
 */
import { Admin, Consumer, type TopicPartition } from '@kactor/client';
import { systemClock } from '@kactor/runtime';
import { InvalidArgumentError, type Command } from 'commander';
import { addClientOptions, clientSetup, type ClientCommandOptions } from '../support/client-options.js';
import { CliError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { collectKeyValue, integerOption, keyValuesToRecord } from '../support/options.js';

export interface ConsumeOptions extends ClientCommandOptions {
  partition?: number;
  offset: 'earliest' | 'latest' | number;
  maxMessages?: number;
  timeoutMs?: number;
  json?: boolean;
  consumerProperty: string[];
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));

function parseOffset(value: string): 'earliest' | 'latest' | number {
  if (value === 'earliest' || value === 'latest') return value;
  return integerOption('--offset', { min: 0 })(value);
}

async function partitionsOf(topic: string, options: ConsumeOptions, setup: ReturnType<typeof clientSetup>): Promise<TopicPartition[]> {
  if (options.partition !== undefined) return [{ topic, partition: options.partition }];
  const admin = Admin.create({ 'bootstrap.servers': setup.bootstrapServers }, setup.runtime);
  try {
    const [description] = await admin.describeTopics([topic]);
    if (description === undefined || description.error !== null) throw description?.error ?? new CliError(`topic ${topic} not found`);
    return description.partitions.map((partition) => ({ topic, partition: partition.partition }));
  } finally {
    admin.close();
  }
}

async function runConsume(topic: string, options: ConsumeOptions): Promise<void> {
  const setup = clientSetup(options);
  let consumer: Consumer | undefined;
  let processed = 0;
  let stopping = false;
  const finish = async (code: number) => {
    stopping = true;
    await consumer?.close().catch(() => undefined);
    process.stderr.write(`Processed a total of ${processed} messages\n`);
    return exitAfterFlush(code);
  };
  process.once('SIGINT', () => void finish(0));
  process.once('SIGTERM', () => void finish(0));
  try {
    const partitions = await partitionsOf(topic, options, setup);
    consumer = Consumer.create(
      { 'bootstrap.servers': setup.bootstrapServers, 'auto.offset.reset': options.offset === 'earliest' ? 'earliest' : 'latest', ...keyValuesToRecord(options.consumerProperty) },
      setup.runtime,
    );
    consumer.assign(partitions);
    if (options.offset === 'earliest') consumer.seekToBeginning(partitions);
    else if (options.offset === 'latest') consumer.seekToEnd(partitions);
    else for (const partition of partitions) consumer.seek(partition, options.offset);
    const idleLimitMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    let lastRecordAt = systemClock.now();
    while (!stopping) {
      const records = await consumer.poll(Math.min(1_000, Number.isFinite(idleLimitMs) ? idleLimitMs : 1_000));
      const out: string[] = [];
      for (const record of records) {
        out.push(
          options.json === true
            ? JSON.stringify({ type: 'record', topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, key: text(record.key), value: text(record.value) })
            : (text(record.value) ?? 'null'),
        );
        processed += 1;
        if (options.maxMessages !== undefined && processed >= options.maxMessages) break;
      }
      if (out.length > 0) {
        process.stdout.write(`${out.join('\n')}\n`);
        lastRecordAt = systemClock.now();
      }
      if (options.maxMessages !== undefined && processed >= options.maxMessages) return finish(0);
      if (systemClock.now() - lastRecordAt >= idleLimitMs) return finish(0);
    }
  } catch (error) {
    await consumer?.close().catch(() => undefined);
    return exitWithError('consume', error);
  }
}

export function registerConsumeCommand(program: Command): void {
  addClientOptions(
    program
      .command('consume <topic>')
      .description('Read records of a topic: one partition with --partition, else every partition.')
      .option('--partition <N>', 'the partition to read (default: all)', integerOption('--partition', { min: 0 }))
      .option('--offset <earliest|latest|N>', 'where to start', (value: string) => {
        try {
          return parseOffset(value);
        } catch {
          throw new InvalidArgumentError(`--offset takes earliest, latest or an offset, got "${value}".`);
        }
      }, 'latest')
      .option('--from-beginning', 'same as --offset earliest')
      .option('--max-messages <N>', 'stop after this many records', integerOption('--max-messages', { min: 1 }))
      .option('--timeout-ms <MS>', 'stop after this long without a record', integerOption('--timeout-ms', { min: 1 }))
      .option('--json', 'print one JSON object per record and line')
      .option('--consumer-property <k=v>', 'consumer config, Kafka names (repeatable)', collectKeyValue, []),
  ).action((topic: string, options: ConsumeOptions & { fromBeginning?: boolean }) => runConsume(topic, options.fromBeginning === true ? { ...options, offset: 'earliest' } : options));
}

