/**
 * `kactor groups list|describe|reset-offsets|delete-offsets|delete|remove-member|rebalances`: Kafka's
 * kafka-consumer-groups.sh as subcommands (`remove-member` is its --delete-members / the admin's
 * removeMembersFromConsumerGroup), plus `rebalances`, kactor's record of a group's rebalances.
 * `describe` prints Kafka's --describe views (--offsets by default, --members, --state; JSON with --json);
 * `reset-offsets` prints the plan unless --execute is given, and is refused while the group is active, as in
 * Kafka, since the members would overwrite the new offsets with their next commit. What each does is in
 * groups-run.ts, loaded when the command runs.
 */
import type { Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';
import type { DescribeViewOptions } from '../support/group-describe-run.js';
import type { RawResetOptions } from '../support/group-reset-options.js';
import { integerOption } from '../support/options.js';

export function registerGroupsCommand(program: Command): void {
  const groups = program.command('groups').description('List, describe, reset or delete the offsets of, and delete consumer groups; remove static members; show recorded rebalances.');

  addClientOptions(
    groups
      .command('list')
      .description("List the consumer groups of the cluster with their type (classic or consumer, KIP-848) and state.")
      .option('--type <types>', 'only groups of these types, comma-separated: classic, consumer (Kafka\'s --list --type)')
      .option('--json', 'print a JSON array'),
  ).action(async (options: ClientCommandOptions & { json?: boolean; type?: string }) => (await import('./groups-run.js')).listGroups(options));

  addClientOptions(
    groups
      .command('describe [group]')
      .description(
        "Describe a group (Kafka's --describe): by default per partition the committed offset, log end offset, lag and owner (--offsets); " +
          '--members lists the members (--verbose adds their partitions), --state the coordinator, assignor, state and member count.',
      )
      .option('--all-groups', 'describe every group of the cluster')
      .option('--offsets', "per partition: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID (the default)")
      .option('--members', 'per member: GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS')
      .option('--verbose', "with --members, add each member's ASSIGNMENT; for a consumer group (KIP-848) CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT STATE")
      .option('--state', 'GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS; a consumer group adds GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH')
      .option('--json', 'print one JSON object (an array with --all-groups), with the group\'s "type" (classic or consumer) and a consumer group\'s epochs'),
  ).action(async (group: string | undefined, options: ClientCommandOptions & DescribeViewOptions) => (await import('./groups-run.js')).describeGroups(group, options));

  addClientOptions(
    groups
      .command('reset-offsets <group>')
      .description(
        "Plan, and with --execute set, the committed offsets of an inactive group (Kafka's --reset-offsets; a dry run is the default). " +
          'Scope: --topic T or T:0,2 (repeatable) or --all-topics; exactly one of --to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration.',
      )
      .option('--topic <T[:P,P...]>', 'a topic, optionally with partitions (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--all-topics', 'every topic the group has committed offsets for')
      .option('--to-earliest', 'to the first offset of each partition')
      .option('--to-latest', 'to the end of each partition')
      .option('--to-current', 'to the committed offset (the end where there is none)')
      .option('--to-offset <N>', "to this offset (clamped into each partition's range)", integerOption('--to-offset', { min: 0 }))
      .option('--shift-by <N>', 'move the committed offset by N (negative: back), clamped into the range', integerOption('--shift-by'))
      .option('--to-datetime <YYYY-MM-DDTHH:mm:SS.sss>', 'to the first offset at or after this time (UTC unless a zone such as Z or +02:00 is given; kactor has no time index yet, so the leader scans the log)')
      .option('--by-duration <PnDTnHnMnS>', 'to the first offset at or after now minus this ISO-8601 duration (PT1H, P1DT2H)')
      .option('--dry-run', 'only print the plan (the default)')
      .option('--execute', 'commit the planned offsets')
      .option('--json', 'print the plan as a JSON array'),
  ).action(async (group: string, options: ClientCommandOptions & RawResetOptions & { json?: boolean }) => (await import('./groups-run.js')).resetOffsets(group, options));

  addClientOptions(
    groups
      .command('delete-offsets <group>')
      .description("Delete the group's committed offsets of a topic (Kafka's --delete-offsets, KIP-496); refused for topics the active group subscribes to.")
      .requiredOption('--topic <T[:P,P...]>', 'a topic, optionally with partitions (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--json', 'print the outcome as one JSON object'),
  ).action(async (group: string, options: ClientCommandOptions & { topic: string[]; json?: boolean }) => (await import('./groups-run.js')).deleteOffsets(group, options));

  addClientOptions(groups.command('delete <group>').description('Delete an inactive group and its committed offsets.')).action(async (group: string, options: ClientCommandOptions) => (await import('./groups-run.js')).deleteGroup(group, options));

  addClientOptions(
    groups
      .command('rebalances <group>')
      .description(
        "The group's recent rebalances as its coordinator recorded them (kactor's own API, up to 100, kept in the coordinator's memory): " +
          'trigger, protocol (EAGER, COOPERATIVE, or CONSUMER for a KIP-848 group), generations (a consumer group\'s group epochs), duration, partitions moved, and per member what it gave up and got and how long it was paused.',
      )
      .option('--limit <N>', 'only the newest N', integerOption('--limit', { min: 1 }))
      .option('--json', 'print the records as one JSON array'),
  ).action(async (group: string, options: ClientCommandOptions & { json?: boolean; limit?: number }) => (await import('./groups-run.js')).describeRebalances(group, options));

  addClientOptions(
    groups
      .command('remove-member <group>')
      .description('Remove static members (group.instance.id, KIP-345) from a group, as Kafka\'s admin removeMembersFromConsumerGroup does; the group rebalances without them.')
      .requiredOption('--instance-id <id[,id...]>', 'the group.instance.id of a member to remove (repeatable, or comma-separated)', (value: string, previous: string[] = []) => [...previous, value], []),
  ).action(async (group: string, options: ClientCommandOptions & { instanceId: string[] }) => (await import('./groups-run.js')).removeMembers(group, options));
}
