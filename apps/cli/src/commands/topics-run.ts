/**
 * What `kactor topics ...` does once its flags are parsed (topics.ts registers the flags and loads this
 * module only when a topics command runs). Per-topic failures print Kafka's error name and make the exit code non-zero.
 */
import type { ElectLeadersResult, ElectionType, PartitionDescription, TopicDescription, TopicPartition } from '@kactor/client';
import type { ClientCommandOptions } from '../support/client-flags.js';
import { CliError, describeError, exitAfterFlush } from '../support/errors.js';
import { keyValuesToRecord } from '../support/options.js';
import { hasPartitionFilter, partitionShown } from '../support/partition-filters.js';
import { parseReplicaAssignment } from '../support/replica-assignment.js';
import { describeJsonFiltered, describeText, minInsyncReplicas } from '../support/topic-describe-views.js';
import { withAdmin } from '../support/with-admin.js';

export type CreateTopicOptions = ClientCommandOptions & { partitions?: number; replicationFactor?: number; replicaAssignment?: string; config: string[]; ifNotExists?: boolean };
export type DescribeTopicsOptions = ClientCommandOptions & DescribeFilterOptions & { json?: boolean };
export type ElectLeadersOptions = ClientCommandOptions & { electionType: ElectionType; allTopicPartitions?: boolean; topic?: string; partition?: number; json?: boolean };

async function failOnErrors(command: string, results: ReadonlyArray<{ name: string; error: unknown }>): Promise<void> {
  const failed = results.filter((result) => result.error !== null);
  if (failed.length === 0) return;
  for (const result of failed) process.stderr.write(`kactor ${command}: ${result.name}: ${describeError(result.error)}\n`);
  await exitAfterFlush(1);
}

/** Kafka's kafka-leader-election.sh lines: elected, not needed, then one line per failed partition. */
function electLeadersText(electionType: ElectionType, results: readonly ElectLeadersResult[]): { stdout: string; stderr: string } {
  const label = electionType.toUpperCase();
  const name = (result: ElectLeadersResult) => `${result.topic}-${result.partition}`;
  const elected = results.filter((result) => result.error === null).map(name);
  const notNeeded = results.filter((result) => result.error?.errorName === 'ELECTION_NOT_NEEDED').map(name);
  const failed = results.filter((result) => result.error !== null && result.error.errorName !== 'ELECTION_NOT_NEEDED');
  let stdout = '';
  if (elected.length > 0) stdout += `Successfully completed leader election (${label}) for partitions ${elected.join(', ')}\n`;
  if (notNeeded.length > 0) stdout += `Valid replica already elected for partitions ${notNeeded.join(', ')}\n`;
  const stderr = failed.map((result) => `Error completing leader election (${label}) for partition: ${name(result)}: ${result.error?.errorName}\n`).join('');
  return { stdout, stderr };
}

/** kafka-topics.sh's --describe partition filters, as commander names them. */
export interface DescribeFilterOptions {
  underReplicatedPartitions?: boolean;
  unavailablePartitions?: boolean;
  underMinIsrPartitions?: boolean;
  atMinIsrPartitions?: boolean;
}

export function createTopic(name: string, options: CreateTopicOptions): Promise<void> {
  return withAdmin(options, 'topics create', async (admin) => {
    const placement =
      options.replicaAssignment === undefined
        ? { numPartitions: options.partitions ?? -1, replicationFactor: options.replicationFactor ?? -1 }
        : { replicasAssignments: Object.fromEntries(parseReplicaAssignment(options.replicaAssignment).map((brokers, partition) => [partition, brokers])) };
    const [result] = await admin.createTopics([{ name, ...placement, configs: keyValuesToRecord(options.config) }]);
    if (result === undefined) throw new CliError('the controller gave no answer for the topic');
    if (result.error !== null && !(options.ifNotExists === true && result.error.errorName === 'TOPIC_ALREADY_EXISTS')) await failOnErrors('topics create', [result]);
    process.stdout.write(`Created topic ${name}.\n`);
  });
}

export function listTopics(options: ClientCommandOptions & { json?: boolean; includeInternal?: boolean }): Promise<void> {
  return withAdmin(options, 'topics list', async (admin) => {
    const names = (await admin.listTopics({ listInternal: options.includeInternal === true })).map((topic) => topic.name).sort();
    process.stdout.write(options.json === true ? `${JSON.stringify(names)}\n` : names.map((name) => `${name}\n`).join(''));
  });
}

export function describeTopics(names: string[], options: DescribeTopicsOptions): Promise<void> {
  return withAdmin(options, 'topics describe', async (admin) => {
    const wanted = names.length > 0 ? names : (await admin.listTopics()).map((topic) => topic.name).sort();
    const descriptions = await admin.describeTopics(wanted);
    const found = descriptions.filter((description) => description.error === null);
    const configs = new Map((await admin.describeTopicConfigs(found.map((description) => description.name))).map((result) => [result.name, result]));
    const filters = {
      underReplicated: options.underReplicatedPartitions === true,
      unavailable: options.unavailablePartitions === true,
      underMinIsr: options.underMinIsrPartitions === true,
      atMinIsr: options.atMinIsrPartitions === true,
    };
    // The live brokers tell an offline partition (its leader is not one of them), for the filter and for Status.
    const liveBrokers = new Set((await admin.describeCluster()).brokers.map((broker) => broker.nodeId));
    const shownIn = (description: TopicDescription) => {
      const minIsr = minInsyncReplicas(configs.get(description.name));
      return hasPartitionFilter(filters) ? (partition: PartitionDescription) => partitionShown(partition, filters, liveBrokers, minIsr) : undefined;
    };
    process.stdout.write(
      found
        .filter((description) => {
          const shown = shownIn(description);
          return shown === undefined || description.partitions.some(shown);
        })
        .map((description) => {
          const topicConfigs = configs.get(description.name);
          const shown = shownIn(description);
          return `${options.json === true ? JSON.stringify(describeJsonFiltered(description, topicConfigs, liveBrokers, shown)) : describeText(description, topicConfigs, liveBrokers, shown)}\n`;
        })
        .join(''),
    );
    await failOnErrors('topics describe', descriptions);
  });
}

export function alterTopic(name: string, options: ClientCommandOptions & { partitions: number }): Promise<void> {
  return withAdmin(options, 'topics alter', async (admin) => {
    await failOnErrors('topics alter', await admin.createPartitions([{ name, count: options.partitions }]));
    process.stdout.write(`Topic ${name} now has ${options.partitions} partitions.\n`);
  });
}

export function deleteTopic(name: string, options: ClientCommandOptions): Promise<void> {
  return withAdmin(options, 'topics delete', async (admin) => {
    await failOnErrors('topics delete', await admin.deleteTopics([name]));
    process.stdout.write(`Deleted topic ${name}.\n`);
  });
}

export function electLeaders(options: ElectLeadersOptions): Promise<void> {
  return withAdmin(options, 'topics elect-leaders', async (admin) => {
    const partitions = await electionPartitions(admin, options);
    const results = await admin.electLeaders(options.electionType, partitions);
    if (options.json === true) {
      const json = results.map((result) => ({
        topic: result.topic,
        partition: result.partition,
        result: result.error === null ? 'elected' : result.error.errorName === 'ELECTION_NOT_NEEDED' ? 'not-needed' : 'error',
        ...(result.error !== null && result.error.errorName !== 'ELECTION_NOT_NEEDED' ? { error: result.error.errorName } : {}),
      }));
      process.stdout.write(`${JSON.stringify(json)}\n`);
    } else {
      const text = electLeadersText(options.electionType, results);
      process.stdout.write(text.stdout);
      process.stderr.write(text.stderr);
    }
    if (results.some((result) => result.error !== null && result.error.errorName !== 'ELECTION_NOT_NEEDED')) await exitAfterFlush(1);
  });
}

/** The partitions --all-topic-partitions / --topic [--partition] name: null for all, else the topic's (or one). */
async function electionPartitions(
  admin: { describeTopics(names: readonly string[]): Promise<TopicDescription[]> },
  options: { allTopicPartitions?: boolean; topic?: string; partition?: number },
): Promise<TopicPartition[] | null> {
  if (options.allTopicPartitions === true) {
    if (options.topic !== undefined || options.partition !== undefined) throw new CliError('--all-topic-partitions cannot be combined with --topic or --partition');
    return null;
  }
  if (options.topic === undefined) throw new CliError('one of --all-topic-partitions or --topic is required');
  if (options.partition !== undefined) return [{ topic: options.topic, partition: options.partition }];
  const [description] = await admin.describeTopics([options.topic]);
  if (description === undefined || description.error !== null) return [{ topic: options.topic, partition: 0 }];
  return description.partitions.map((partition) => ({ topic: options.topic!, partition: partition.partition }));
}
