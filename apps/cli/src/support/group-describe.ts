/**
 * What `kactor groups describe G --json` prints, fetched from the cluster: shared by the command and by the
 * dashboard's `GET /api/groups/:id`, so both always show the same data.
 */
import type { Admin, GroupDescription } from '@kactor/client';
import { describeGroupJson, type DescribeGroupJson } from './group-output.js';

/** The admin calls a group description needs (a narrow type, so tests can hand in a fake). */
export type GroupDescribeAdmin = Pick<Admin, 'describeGroups' | 'listConsumerGroupOffsets' | 'describeTopics'>;

/** The group is unknown to its coordinator: Dead with no committed offsets (Kafka's tool says the same). */
export class GroupNotFoundError extends Error {
  override readonly name = 'GroupNotFoundError';
  constructor(readonly groupId: string) {
    super(`consumer group '${groupId}' does not exist`);
  }
}

/** The coordinator answered nothing for the group (it should always answer one result per group asked). */
export class GroupNotDescribedError extends Error {
  override readonly name = 'GroupNotDescribedError';
  constructor(readonly groupId: string) {
    super(`the coordinator gave no answer for group ${groupId}`);
  }
}

/** One group's description, or a clear error when the group could not be described. */
export async function describeOneGroup(admin: Pick<Admin, 'describeGroups'>, group: string, timeoutMs?: number): Promise<GroupDescription> {
  const [description] = await admin.describeGroups([group], timeoutMs === undefined ? {} : { timeoutMs });
  if (description === undefined) throw new GroupNotDescribedError(group);
  if (description.error !== null) throw description.error;
  return description;
}

/** The log end offset (high watermark) of every partition of `topics`, keyed `topic\0partition`. */
export async function logEndOffsets(admin: Pick<Admin, 'describeTopics'>, topics: readonly string[], timeoutMs?: number): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  if (topics.length === 0) return ends;
  for (const description of await admin.describeTopics([...new Set(topics)], timeoutMs === undefined ? {} : { timeoutMs })) {
    for (const partition of description.partitions) ends.set(`${description.name}\u0000${partition.partition}`, partition.highWatermark);
  }
  return ends;
}

/** `groups describe G --json`: state, members, and per partition committed offset, log end offset and lag. */
export async function describeGroupData(admin: GroupDescribeAdmin, group: string, timeoutMs?: number): Promise<DescribeGroupJson> {
  const options = timeoutMs === undefined ? {} : { timeoutMs };
  const description = await describeOneGroup(admin, group, timeoutMs);
  const committed = await admin.listConsumerGroupOffsets(group, options);
  if (description.state === 'Dead' && committed.length === 0) throw new GroupNotFoundError(group);
  const topics = [...description.members.flatMap((member) => member.assignment.map((tp) => tp.topic)), ...committed.map((entry) => entry.topic)];
  return describeGroupJson(description, committed, await logEndOffsets(admin, topics, timeoutMs));
}
