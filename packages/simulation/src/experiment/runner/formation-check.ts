/**
 * Whether experiment groups have formed, apart from how their members run: the simulated runner asks it of its
 * in-process members on the simulated clock (group-formation.ts), the CLI's `--real` runner of its consumer
 * processes on the wall clock, both through the Admin's describeGroups. See group-formation.ts for what "formed" means.
 */
import type { GroupDescription, GroupMemberDescription, TopicPartition } from '@kactor/client';
import { partitionNames } from './partition-name.js';

/** What a member holds now: see ExperimentMember.holdings(). */
export interface MemberHoldings {
  /** Running, not paused, its membership in the stable state of its protocol. */
  stable: boolean;
  state: string;
  /** Its generation (classic) or member epoch (KIP-848). */
  generation: number;
  /** Empty when the member cannot say (a real member's process does not print it): it is then found by client.id, its name. */
  memberId: string;
  partitions: string[];
}

/** A running member as the formation check reads it. */
export interface FormingMember {
  /** Also its client.id. */
  readonly name: string;
  readonly paused: boolean;
  /** Undefined while it has no consumer yet. */
  holdings(): MemberHoldings | undefined;
}

/** A group as the formation check reads it: its live members, lowest index first. */
export interface FormingGroup {
  readonly name: string;
  readonly topics: readonly string[];
  live(): readonly FormingMember[];
}

/** Describes the named groups as the coordinator sees them (the Admin's describeGroups, bounded by the caller). */
export type DescribeGroups = (groupIds: string[]) => Promise<GroupDescription[]>;

/**
 * Why the group is not settled in its members' own view, in words; undefined when it is: it has a live member,
 * every live member is stable in its protocol, and every partition of its topics (`partitionCount` of each) is
 * held by exactly one of them.
 */
export function groupUnsettled(group: FormingGroup, partitionCount: (topic: string) => number): string | undefined {
  const holders = new Map<string, number>();
  const live = group.live();
  if (live.length === 0) return 'no member is running';
  for (const member of live) {
    const holdings = member.holdings();
    if (holdings === undefined) continue;
    if (!holdings.stable) return `${member.name} is ${member.paused ? 'paused' : `in state ${holdings.state}`}`;
    for (const partition of holdings.partitions) holders.set(partition, (holders.get(partition) ?? 0) + 1);
  }
  for (const topic of group.topics) {
    for (let partition = 0; partition < partitionCount(topic); partition += 1) {
      const count = holders.get(`${topic}-${partition}`) ?? 0;
      if (count !== 1) return `${topic}-${partition} is held by ${count} members`;
    }
  }
  return undefined;
}

/**
 * The first group that has not formed, with why; undefined when all have. The coordinator is asked only once
 * every group looks settled to its members; a description that fails counts as "not formed yet".
 */
export async function firstUnformedGroup(groups: readonly FormingGroup[], describe: DescribeGroups, partitionCount: (topic: string) => number): Promise<string | undefined> {
  for (const group of groups) {
    const unsettled = groupUnsettled(group, partitionCount);
    if (unsettled !== undefined) return `group ${group.name}: ${unsettled}`;
  }
  let descriptions: GroupDescription[];
  try {
    descriptions = await describe(groups.map((group) => group.name));
  } catch (error) {
    return `describing the groups failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const group of groups) {
    const description = descriptions.find((candidate) => candidate.groupId === group.name);
    const disagreement = description === undefined ? 'not described' : coordinatorDisagrees(group, description);
    if (disagreement !== undefined) return `group ${group.name}: ${disagreement}`;
  }
  return undefined;
}

/** Where the coordinator's description of a group differs from a formed group's; undefined when it agrees. */
function coordinatorDisagrees(group: FormingGroup, description: GroupDescription): string | undefined {
  if (description.error !== null) return `the coordinator answered ${description.error.name}`;
  if (description.state !== 'Stable') return `the coordinator's group is ${description.state}`;
  const live = group.live();
  if (description.members.length !== live.length) return `the coordinator has ${description.members.length} members, ${live.length} run`;
  const consumerGroup = description.type === 'consumer';
  if (consumerGroup && description.targetAssignmentEpoch !== description.groupEpoch) {
    return `the target assignment is for epoch ${description.targetAssignmentEpoch}, the group is at epoch ${description.groupEpoch}`;
  }
  for (const member of live) {
    const holdings = member.holdings();
    if (holdings === undefined) continue;
    // By member id where the member knows it: a consumer group's description may not carry the member's client.id.
    const described = description.members.find((candidate) => (holdings.memberId === '' ? candidate.clientId === member.name : candidate.memberId === holdings.memberId));
    if (described === undefined) return `the coordinator does not list ${member.name} (member id ${holdings.memberId || 'none'})`;
    const expectedGeneration = consumerGroup ? description.targetAssignmentEpoch : description.generationId;
    if (consumerGroup) {
      if (described.memberEpoch !== expectedGeneration) return `${member.name} is at epoch ${described.memberEpoch}, the target assignment at ${expectedGeneration}`;
      if (!reconciled(described)) return `${member.name} has not reconciled to its target assignment`;
    }
    if (holdings.generation !== expectedGeneration) return `${member.name} is in ${consumerGroup ? 'epoch' : 'generation'} ${holdings.generation}, the coordinator's is ${expectedGeneration}`;
    if (!samePartitions(holdings.partitions, described.assignment)) return `${member.name} holds other partitions than the coordinator says it owns`;
  }
  return undefined;
}

/** A consumer group member that owns exactly its target assignment, with nothing left to revoke. */
function reconciled(member: GroupMemberDescription): boolean {
  return (member.partitionsPendingRevocation?.length ?? 0) === 0 && member.targetAssignment !== undefined && samePartitions(partitionNames(member.targetAssignment), member.assignment);
}

function samePartitions(held: readonly string[], described: readonly TopicPartition[]): boolean {
  const names = new Set(partitionNames(described));
  return names.size === held.length && held.every((partition) => names.has(partition));
}
