/**
 * `groups describe [G] [--all-groups] [--members [--verbose] | --state | --offsets] [--json]` against the
 * cluster: Kafka's kafka-consumer-groups.sh --describe views. `--offsets` is the default view and keeps the
 * `groups describe G --json` shape; with --all-groups every group of the cluster is described (JSON: an array).
 */
import type { Admin } from '@kactor/client';
import { CliError } from './errors.js';
import { describeGroupData, describeOneGroup, GroupNotFoundError } from './group-describe.js';
import { describeMembersJson, describeMembersText, describeStateJson, describeStateText } from './group-describe-views.js';
import { describeGroupText } from './group-output.js';

export type DescribeView = 'offsets' | 'members' | 'state';

export interface DescribeViewOptions {
  allGroups?: boolean;
  members?: boolean;
  state?: boolean;
  offsets?: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** The one view the flags ask for; Kafka's tool takes at most one of --members, --offsets, --state. */
export function describeView(options: DescribeViewOptions): DescribeView {
  const chosen = (['members', 'offsets', 'state'] as const).filter((view) => options[view] === true);
  if (chosen.length > 1) throw new CliError(`Option --describe takes at most one of these options: --members, --offsets, --state (got ${chosen.map((view) => `--${view}`).join(', ')})`);
  return chosen[0] ?? 'offsets';
}

/** The groups to describe: the one named, or every group of the cluster with --all-groups (not both). */
export async function groupsToDescribe(admin: Pick<Admin, 'listGroups'>, group: string | undefined, allGroups: boolean): Promise<string[]> {
  if (allGroups && group !== undefined) throw new CliError('groups describe takes a group or --all-groups, not both');
  if (!allGroups && group === undefined) throw new CliError('groups describe needs a group, or --all-groups');
  if (group !== undefined) return [group];
  return (await admin.listGroups()).map((listing) => listing.groupId);
}

type DescribeAdmin = Pick<Admin, 'listGroups' | 'describeGroups' | 'listConsumerGroupOffsets' | 'describeTopics'>;

/** What `groups describe` prints on stdout. */
export async function describeGroupsOutput(admin: DescribeAdmin, group: string | undefined, options: DescribeViewOptions): Promise<string> {
  const view = describeView(options);
  const allGroups = options.allGroups === true;
  const groups = await groupsToDescribe(admin, group, allGroups);
  const objects: unknown[] = [];
  const texts: string[] = [];
  for (const groupId of groups) {
    try {
      if (view === 'offsets') {
        const json = await describeGroupData(admin, groupId);
        objects.push(json);
        texts.push(describeGroupText(json));
        continue;
      }
      const description = await describeOneGroup(admin, groupId);
      // A group the coordinator does not know is Dead: Kafka's tool says it does not exist.
      if (description.state === 'Dead' && !allGroups) throw new GroupNotFoundError(groupId);
      if (view === 'members') {
        const json = describeMembersJson(description);
        objects.push(json);
        const note = json.members.length === 0 ? `Consumer group '${groupId}' has no active members.\n\n` : '';
        texts.push(`${note}${describeMembersText(json, options.verbose === true)}`);
      } else {
        const json = describeStateJson(description);
        objects.push(json);
        texts.push(describeStateText(json));
      }
    } catch (error) {
      if (!(error instanceof GroupNotFoundError)) throw error;
      // A group listed a moment ago may be gone by now: --all-groups skips it; a named one is an error.
      if (!allGroups) throw new CliError(error.message);
    }
  }
  if (options.json === true) return JSON.stringify(allGroups ? objects : objects[0]);
  return texts.join('\n\n');
}
