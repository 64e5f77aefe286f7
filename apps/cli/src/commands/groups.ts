/**
 * `kactor groups list|describe|reset-offsets|delete|remove-member|rebalances`: Kafka's
 * kafka-consumer-groups.sh as subcommands (`remove-member` is its --delete-members / the admin's
 * removeMembersFromConsumerGroup), plus `rebalances`, kactor's record of a group's rebalances.
 * `describe` prints Kafka's --describe columns (or one JSON object with --json); `reset-offsets` is
 * refused while the group has members, as in Kafka, since the members would overwrite the new offsets
 * with their next commit.
 */
import type { Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-options.js';
import { KafkaProtocolError } from '@kactor/protocol';
import { CliError, describeError, exitAfterFlush } from '../support/errors.js';
import { describeGroupData, describeOneGroup, GroupNotFoundError } from '../support/group-describe.js';
import { describeGroupText, formatTable, parseTopicPartitions, resetOffsets, type ResetTarget } from '../support/group-output.js';
import { integerOption } from '../support/options.js';
import { parseInstanceIds, rebalancesJson, rebalancesText, removeMembersText } from '../support/rebalance-output.js';
import { withAdmin } from '../support/with-admin.js';

interface ResetOptions extends ClientCommandOptions {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: number;
  dryRun?: boolean;
  json?: boolean;
}

function resetTarget(options: ResetOptions): ResetTarget {
  const chosen = [options.toEarliest === true, options.toLatest === true, options.toOffset !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new CliError('reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset N');
  if (options.toEarliest === true) return { kind: 'earliest' };
  if (options.toLatest === true) return { kind: 'latest' };
  return { kind: 'offset', offset: options.toOffset as number };
}

export function registerGroupsCommand(program: Command): void {
  const groups = program.command('groups').description('List, describe, reset the offsets of, and delete consumer groups; remove static members; show recorded rebalances.');

  addClientOptions(groups.command('list').description('List the consumer groups of the cluster with their state.').option('--json', 'print a JSON array')).action(
    (options: ClientCommandOptions & { json?: boolean }) =>
      withAdmin(options, 'groups list', async (admin) => {
        const listings = await admin.listGroups();
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(listings.map((listing) => ({ group: listing.groupId, state: listing.state, protocolType: listing.protocolType, coordinator: listing.coordinatorId })))}\n`);
          return;
        }
        process.stdout.write(`${formatTable(['GROUP', 'STATE'], listings.map((listing) => [listing.groupId, listing.state]))}\n`);
      }),
  );

  addClientOptions(
    groups
      .command('describe <group>')
      .description("Describe a group: state, protocol, generation, coordinator, members, and per partition the committed offset, log end offset, lag and owner (Kafka's --describe columns).")
      .option('--json', 'print one JSON object'),
  ).action((group: string, options: ClientCommandOptions & { json?: boolean }) =>
    withAdmin(options, 'groups describe', async (admin) => {
      const json = await describeGroupData(admin, group).catch((error: unknown) => {
        throw error instanceof GroupNotFoundError ? new CliError(error.message) : error;
      });
      process.stdout.write(`${options.json === true ? JSON.stringify(json) : describeGroupText(json)}\n`);
    }),
  );

  addClientOptions(
    groups
      .command('reset-offsets <group>')
      .description('Set the committed offsets of an inactive group for a topic (all partitions, or --topic T:0,2).')
      .requiredOption('--topic <T[:P,P...]>', 'the topic, optionally with partitions')
      .option('--to-earliest', 'to the first offset of each partition')
      .option('--to-latest', 'to the end of each partition')
      .option('--to-offset <N>', 'to this offset (clamped into each partition\'s range)', integerOption('--to-offset', { min: 0 }))
      .option('--dry-run', 'print the new offsets without committing them')
      .option('--json', 'print the new offsets as a JSON array'),
  ).action((group: string, options: ResetOptions) =>
    withAdmin(options, 'groups reset-offsets', async (admin) => {
      const target = resetTarget(options);
      let selection: { topic: string; partitions?: number[] };
      try {
        selection = parseTopicPartitions(options.topic);
      } catch (error) {
        throw new CliError(describeError(error));
      }
      const description = await describeOneGroup(admin, group);
      if (description.members.length > 0 || !['Empty', 'Dead'].includes(description.state)) {
        throw new CliError(`cannot reset the offsets of group '${group}' while it is active (state ${description.state}, ${description.members.length} members): stop its consumers first`);
      }
      const [topic] = await admin.describeTopics([selection.topic]);
      if (topic === undefined || topic.error !== null) throw topic?.error ?? new CliError(`topic ${selection.topic} not found`);
      const offsets = resetOffsets(topic.name, topic.partitions, target, selection.partitions);
      if (options.dryRun !== true) {
        const results = await admin.alterConsumerGroupOffsets(group, offsets);
        const failed = results.filter((result) => result.error !== null);
        for (const result of failed) process.stderr.write(`kactor groups reset-offsets: ${result.topic}-${result.partition}: ${describeError(result.error)}\n`);
        if (failed.length > 0) return exitAfterFlush(1);
      }
      if (options.json === true) process.stdout.write(`${JSON.stringify(offsets.map((entry) => ({ group, ...entry })))}\n`);
      else process.stdout.write(`${formatTable(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], offsets.map((entry) => [group, entry.topic, String(entry.partition), String(entry.offset)]))}\n`);
    }),
  );

  addClientOptions(groups.command('delete <group>').description('Delete an inactive group and its committed offsets.')).action((group: string, options: ClientCommandOptions) =>
    withAdmin(options, 'groups delete', async (admin) => {
      const [result] = await admin.deleteGroups([group]);
      if (result?.error !== null && result?.error !== undefined) {
        const reason = result.error.errorName === 'NON_EMPTY_GROUP' ? 'the group still has members' : result.error.errorName === 'GROUP_ID_NOT_FOUND' ? 'the group does not exist' : describeError(result.error);
        throw new CliError(`cannot delete group '${group}': ${reason}`);
      }
      process.stdout.write(`Deleted consumer group '${group}'.\n`);
    }),
  );

  addClientOptions(
    groups
      .command('rebalances <group>')
      .description(
        "The group's recent rebalances as its coordinator recorded them (kactor's own API, up to 100, kept in the coordinator's memory): " +
          'trigger, protocol, generations, duration, partitions moved, and per member what it gave up and got and how long it was paused.',
      )
      .option('--limit <N>', 'only the newest N', integerOption('--limit', { min: 1 }))
      .option('--json', 'print the records as one JSON array'),
  ).action((group: string, options: ClientCommandOptions & { json?: boolean; limit?: number }) =>
    withAdmin(options, 'groups rebalances', async (admin) => {
      const records = await admin.describeRebalances(group, options.limit === undefined ? {} : { limit: options.limit }).catch((error: unknown) => {
        if (error instanceof KafkaProtocolError && error.errorName === 'GROUP_ID_NOT_FOUND') throw new CliError(`GROUP_ID_NOT_FOUND: consumer group '${group}' does not exist`);
        throw error;
      });
      process.stdout.write(`${options.json === true ? rebalancesJson(records) : rebalancesText(group, records)}\n`);
    }),
  );

  addClientOptions(
    groups
      .command('remove-member <group>')
      .description('Remove static members (group.instance.id, KIP-345) from a group, as Kafka\'s admin removeMembersFromConsumerGroup does; the group rebalances without them.')
      .requiredOption('--instance-id <id[,id...]>', 'the group.instance.id of a member to remove (repeatable, or comma-separated)', (value: string, previous: string[] = []) => [...previous, value], []),
  ).action((group: string, options: ClientCommandOptions & { instanceId: string[] }) =>
    withAdmin(options, 'groups remove-member', async (admin) => {
      const instanceIds = parseInstanceIds(options.instanceId);
      if (instanceIds.length === 0) throw new CliError('remove-member needs at least one --instance-id');
      const result = await admin.removeMembersFromConsumerGroup(
        group,
        instanceIds.map((groupInstanceId) => ({ groupInstanceId })),
      );
      const { stdout, stderr } = removeMembersText(result);
      for (const line of stdout) process.stdout.write(`${line}\n`);
      for (const line of stderr) process.stderr.write(`kactor groups remove-member: ${line}\n`);
      if (stderr.length > 0) return exitAfterFlush(1);
    }),
  );
}
