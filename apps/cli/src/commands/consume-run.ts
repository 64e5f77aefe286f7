/**
 * What `kactor consume` does once its flags are parsed (consume.ts registers them and loads this module only
 * when the command runs): reads the partitions itself, or hands over to consume-group.ts with --group.
 */
import { Admin, Consumer, type TopicPartition } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { systemClock } from '@kactor/runtime';
import { clientSetup } from '../support/client-options.js';
import { CliError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { withIsolationLevel } from '../support/isolation-level.js';
import { keyValuesToRecord, propertiesToRecord } from '../support/options.js';
import { cliLogger } from '../support/logging.js';
import { recordPrinter } from '../support/record-output.js';
import { shutdownOnSignals } from '../support/shutdown-signals.js';
import type { ConsumeOptions } from './consume.js';
import { runGroupConsume } from './consume-group.js';

/** The partitions to read; a topic or --partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION, not an empty read. */
async function partitionsOf(topics: readonly string[], options: ConsumeOptions, setup: ReturnType<typeof clientSetup>): Promise<TopicPartition[]> {
  if (options.partition !== undefined && topics.length !== 1) throw new CliError('--partition reads one partition of one topic: name a single topic');
  const admin = Admin.create({ 'bootstrap.servers': setup.bootstrapServers }, setup.runtime);
  try {
    const partitions: TopicPartition[] = [];
    for (const description of await admin.describeTopics(topics)) {
      if (description.error !== null) throw description.error;
      partitions.push(...description.partitions.map((partition) => ({ topic: description.name, partition: partition.partition })));
    }
    if (options.partition !== undefined) {
      const wanted = partitions.find((candidate) => candidate.partition === options.partition);
      if (wanted === undefined) {
        throw KafkaProtocolError.from('UNKNOWN_TOPIC_OR_PARTITION', `partition ${options.partition} of topic ${topics[0]} does not exist (it has ${partitions.length} partitions)`);
      }
      return [wanted];
    }
    return partitions;
  } finally {
    admin.close();
  }
}

export async function runConsume(topics: string[], options: ConsumeOptions): Promise<void> {
  if (options.group !== undefined) return runGroupConsume(topics, { ...options, group: options.group });
  if (options.groupProtocol !== undefined || options.groupRemoteAssignor !== undefined) {
    return exitWithError('consume', new CliError('--group-protocol and --group-remote-assignor choose how a member joins a group: they need --group'));
  }
  const offset = options.fromBeginning === true ? 'earliest' : (options.offset ?? 'latest');
  const setup = clientSetup(options);
  let consumer: Consumer | undefined;
  let processed = 0;
  let stopping = false;
  const finish = async (code: number) => {
    stopping = true;
    await consumer?.close().catch(() => undefined);
    await setup.inspection.close();
    process.stderr.write(`Processed a total of ${processed} messages\n`);
    return exitAfterFlush(code);
  };
  // Persistent listeners, not `once`: a relayed second Ctrl-C must not kill the process mid-close (shutdown-signals.ts).
  shutdownOnSignals(cliLogger({ node: 'consume' }), systemClock, () => void finish(0));
  try {
    const print = recordPrinter(options.json === true, formatterProperties(options));
    const partitions = await partitionsOf(topics, options, setup);
    consumer = Consumer.create(
      withIsolationLevel(
        { 'bootstrap.servers': setup.bootstrapServers, 'auto.offset.reset': offset === 'earliest' ? 'earliest' : 'latest', ...keyValuesToRecord(options.consumerProperty) },
        options.isolationLevel,
      ),
      setup.runtime,
    );
    consumer.assign(partitions);
    if (offset === 'earliest') consumer.seekToBeginning(partitions);
    else if (offset === 'latest') consumer.seekToEnd(partitions);
    else for (const partition of partitions) consumer.seek(partition, offset);
    const idleLimitMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    let lastRecordAt = systemClock.now();
    while (!stopping) {
      const records = await consumer.poll(Math.min(1_000, Number.isFinite(idleLimitMs) ? idleLimitMs : 1_000));
      const wanted = options.maxMessages === undefined ? records : records.slice(0, options.maxMessages - processed);
      processed += wanted.length;
      if (wanted.length > 0) {
        process.stdout.write(print(wanted));
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

/** The formatter's `--property`/`--formatter-property` values, Kafka's names. */
export function formatterProperties(options: Pick<ConsumeOptions, 'property' | 'formatterProperty'>): Record<string, string> {
  return propertiesToRecord([...options.property, ...options.formatterProperty]);
}
