/**
 * What `kactor groups ...` does once its flags are parsed (groups.ts registers the flags and loads this
 * module only when a groups command runs).
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { systemClock } from '@kactor/runtime';
import type { ClientCommandOptions } from '../support/client-flags.js';
import { CliError, describeError, exitAfterFlush } from '../support/errors.js';
import { deleteOffsetsJson, deleteOffsetsText, partitionsToDelete } from '../support/group-delete-offsets.js';
import { describeGroupsOutput, type DescribeViewOptions } from '../support/group-describe-run.js';
import { filterByType, groupListJson, groupListText, parseGroupTypes } from '../support/group-list-output.js';
import { formatTable } from '../support/group-output.js';
import { parseResetOptions, type RawResetOptions, type ResetRequest } from '../support/group-reset-options.js';
import { resetGroupOffsets } from '../support/group-reset.js';
import { parseInstanceIds, rebalancesJson, rebalancesText, removeMembersText } from '../support/rebalance-output.js';
import { withAdmin } from '../support/with-admin.js';

export function listGroups(options: ClientCommandOptions & { json?: boolean; type?: string }): Promise<void> {
  return withAdmin(options, 'groups list', async (admin) => {
    const types = parseGroupTypes(options.type);
    const listings = filterByType(await admin.listGroups(), types);
    process.stdout.write(`${options.json === true ? groupListJson(listings) : groupListText(listings)}\n`);
  });
}

export function describeGroups(group: string | undefined, options: ClientCommandOptions & DescribeViewOptions): Promise<void> {
  return withAdmin(options, 'groups describe', async (admin) => {
    const output = await describeGroupsOutput(admin, group, options);
    if (output !== '') process.stdout.write(`${output}\n`);
  });
}

export function resetOffsets(group: string, options: ClientCommandOptions & RawResetOptions & { json?: boolean }): Promise<void> {
  return withAdmin(options, 'groups reset-offsets', async (admin) => {
    let request: ResetRequest;
    try {
      request = parseResetOptions(options, systemClock.now());
    } catch (error) {
      throw new CliError(describeError(error));
    }
    if (!request.execute && options.dryRun !== true) process.stderr.write('WARN: No action will be performed as the --execute option is missing: this is the plan only.\n');
    const { plan, applied } = await resetGroupOffsets(admin, group, request);
    for (const warning of plan.warnings) process.stderr.write(`WARN: ${warning}\n`);
    const failed = (applied ?? []).filter((result) => result.error !== null);
    for (const result of failed) process.stderr.write(`kactor groups reset-offsets: ${result.topic}-${result.partition}: ${describeError(result.error)}\n`);
    if (options.json === true) process.stdout.write(`${JSON.stringify(plan.offsets.map((entry) => ({ group, ...entry })))}\n`);
    else process.stdout.write(`${formatTable(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], plan.offsets.map((entry) => [group, entry.topic, String(entry.partition), String(entry.offset)]))}\n`);
    if (failed.length > 0) return exitAfterFlush(1);
  });
}

export function deleteOffsets(group: string, options: ClientCommandOptions & { topic: string[]; json?: boolean }): Promise<void> {
  return withAdmin(options, 'groups delete-offsets', async (admin) => {
    let targets: Awaited<ReturnType<typeof partitionsToDelete>>;
    try {
      targets = await partitionsToDelete(admin, options.topic);
    } catch (error) {
      throw new CliError(describeError(error));
    }
    const result =
      targets.partitions.length === 0
        ? { groupId: group, error: null, partitions: [] }
        : await admin.deleteConsumerGroupOffsets(group, targets.partitions);
    const failed = result.error !== null || targets.notFound.length > 0 || result.partitions.some((partition) => partition.error !== null);
    if (options.json === true) process.stdout.write(`${deleteOffsetsJson(result, targets.notFound)}\n`);
    else {
      const { stdout, stderr } = deleteOffsetsText(group, options.topic, result, targets.notFound);
      for (const line of stderr) process.stderr.write(`${line}\n`);
      for (const line of stdout) process.stdout.write(`${line}\n`);
    }
    if (failed) return exitAfterFlush(1);
  });
}

export function deleteGroup(group: string, options: ClientCommandOptions): Promise<void> {
  return withAdmin(options, 'groups delete', async (admin) => {
    const [result] = await admin.deleteGroups([group]);
    if (result?.error !== null && result?.error !== undefined) {
      const reason = result.error.errorName === 'NON_EMPTY_GROUP' ? 'the group still has members' : result.error.errorName === 'GROUP_ID_NOT_FOUND' ? 'the group does not exist' : describeError(result.error);
      throw new CliError(`cannot delete group '${group}': ${reason}`);
    }
    process.stdout.write(`Deleted consumer group '${group}'.\n`);
  });
}

export function describeRebalances(group: string, options: ClientCommandOptions & { json?: boolean; limit?: number }): Promise<void> {
  return withAdmin(options, 'groups rebalances', async (admin) => {
    const records = await admin.describeRebalances(group, options.limit === undefined ? {} : { limit: options.limit }).catch((error: unknown) => {
      if (error instanceof KafkaProtocolError && error.errorName === 'GROUP_ID_NOT_FOUND') throw new CliError(`GROUP_ID_NOT_FOUND: consumer group '${group}' does not exist`);
      throw error;
    });
    process.stdout.write(`${options.json === true ? rebalancesJson(records) : rebalancesText(group, records)}\n`);
  });
}

export function removeMembers(group: string, options: ClientCommandOptions & { instanceId: string[] }): Promise<void> {
  return withAdmin(options, 'groups remove-member', async (admin) => {
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
  });
}
