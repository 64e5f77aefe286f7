/**
 * `kactor topics create|list|describe|alter|delete|elect-leaders`, Kafka's kafka-topics.sh as subcommands: their
 * flags and help. What each does is in topics-run.ts, loaded when the command runs.
 */
import type { ElectionType } from '@kactor/client';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';
import { collectKeyValue, integerOption } from '../support/options.js';
import { missingPartitionsOption } from '../support/replica-assignment.js';
import type { CreateTopicOptions, DescribeTopicsOptions, ElectLeadersOptions } from './topics-run.js';

export function registerTopicsCommand(program: Command): void {
  const topics = program.command('topics').description('Create, list, describe, alter and delete topics.');

  addClientOptions(
    topics
      .command('create <topic>')
      .description('Create a topic.')
      .option('--partitions <P>', 'number of partitions (or give --replica-assignment)', integerOption('--partitions', { min: 1 }))
      .option('--replication-factor <R>', "replicas per partition, at most the number of live brokers (default: the brokers' default.replication.factor)", integerOption('--replication-factor', { min: 1 }))
      .addOption(
        new Option('--replica-assignment <list>', "each partition's brokers, preferred leader first, instead of --partitions and --replication-factor: 0:1:2,1:2:0").conflicts([
          'partitions',
          'replicationFactor',
        ]),
      )
      .option('--config <k=v>', 'topic config, Kafka names (repeatable), e.g. --config segment.bytes=1048576', collectKeyValue, [])
      .option('--if-not-exists', 'succeed if the topic already exists')
      .hook('preAction', (command) => {
        const missing = missingPartitionsOption(command.opts());
        if (missing !== undefined) command.error(`error: ${missing}`);
      }),
  ).action(async (name: string, options: CreateTopicOptions) => (await import('./topics-run.js')).createTopic(name, options));

  addClientOptions(
    topics
      .command('list')
      .description('List topics.')
      .option('--json', 'print a JSON array of names')
      .option('--include-internal', 'include internal topics such as __consumer_offsets'),
  ).action(async (options: ClientCommandOptions & { json?: boolean; includeInternal?: boolean }) => (await import('./topics-run.js')).listTopics(options));

  addClientOptions(
    topics
      .command('describe [topics...]')
      .description(
        'Describe topics (all when none is named): configs set on the topic, and the leader, leader epoch, replicas, ISR and log offsets of each partition; ' +
          'Status: names a partition that is offline (no live leader), leader-unreachable (its leader did not answer), under-min-isr (acks=all fails) or under-replicated.',
      )
      .option('--json', 'print one JSON object per topic and line')
      .option('--under-replicated-partitions', 'only partitions with fewer in-sync replicas than replicas (no topic lines; with --json, topics keep only those partitions)')
      .option('--unavailable-partitions', 'only partitions without a leader, or whose leader is not a live broker')
      .option('--under-min-isr-partitions', 'only partitions with fewer in-sync replicas than the topic\'s min.insync.replicas (acks=all produce fails)')
      .option('--at-min-isr-partitions', 'only partitions with exactly min.insync.replicas in sync (one more replica lost and acks=all fails)'),
  ).action(async (names: string[], options: DescribeTopicsOptions) => (await import('./topics-run.js')).describeTopics(names, options));

  addClientOptions(
    topics
      .command('alter <topic>')
      .description('Grow a topic to more partitions (Kafka never decreases the count).')
      .requiredOption('--partitions <P>', 'the new partition count', integerOption('--partitions', { min: 1 })),
  ).action(async (name: string, options: ClientCommandOptions & { partitions: number }) => (await import('./topics-run.js')).alterTopic(name, options));

  addClientOptions(topics.command('delete <topic>').description('Delete a topic and its data.')).action(async (name: string, options: ClientCommandOptions) => (await import('./topics-run.js')).deleteTopic(name, options));

  addClientOptions(
    topics
      .command('elect-leaders')
      .description("Elect partition leaders now, as Kafka's kafka-leader-election.sh: preferred (the first assigned replica) or unclean.")
      .requiredOption('--election-type <type>', 'preferred or unclean', electionTypeOption)
      .option('--all-topic-partitions', 'every partition of the cluster')
      .option('--topic <T>', 'the topic to elect for')
      .option('--partition <N>', 'only this partition of --topic', integerOption('--partition', { min: 0 }))
      .option('--json', 'print a JSON array of {topic, partition, result, error?}'),
  ).action(async (options: ElectLeadersOptions) => (await import('./topics-run.js')).electLeaders(options));
}

function electionTypeOption(value: string): ElectionType {
  if (value === 'preferred' || value === 'unclean') return value;
  throw new InvalidArgumentError(`--election-type takes preferred or unclean, got "${value}".`);
}
