/**
 * The setup's last step: the groups form before the workload and the measured window start, so that the first
 * rebalance a run measures is the first one its timeline causes, under every protocol.
 *
 * A group has formed when its members and its coordinator agree that it is settled:
 * - every live member is stable in its protocol and each partition of the group's topics is held by exactly one of
 *   them (ExperimentGroup.settled), each member holding what the coordinator says it owns;
 * - classic protocol: the coordinator's group is Stable with every live member, all in its generation;
 * - consumer protocol (KIP-848): the coordinator's group is Stable, its target assignment is for the current group
 *   epoch, and every member's epoch is that target assignment epoch with nothing pending revocation and its
 *   assignment equal to its target (reconciled). A member stable at an older epoch has not heard of the newer target
 *   yet (it will at its next heartbeat, and then reconcile): that is not formed.
 * The coordinator's view comes from the Admin's describeGroups (ConsumerGroupDescribe for a consumer group), asked
 * only once the members' own view looks settled. Bounded in simulated time: a group that does not form within
 * GROUP_FORMATION_MAX_MS fails the run with the reason it was still unsettled.
 */
import type { Admin, GroupDescription, GroupMemberDescription, TopicPartition } from '@kactor/client';
import { formatDurationMs } from '../report/format-values.js';
import type { ExperimentGroup } from './experiment-group.js';
import { partitionNames } from './partition-name.js';
import type { RunContext } from './run-context.js';
import { RunSetupError } from './run-setup-error.js';

/** The longest the groups may take to form (simulated) once their members started, before the run fails. */
export const GROUP_FORMATION_MAX_MS = 120_000;
/** How often the setup looks whether the groups formed. */
const FORMATION_CHECK_MS = 100;
/** How long one look at the coordinator may take (simulated) before it counts as "not formed yet". */
const DESCRIBE_TIMEOUT_MS = 5_000;

export async function awaitGroupsFormed(run: RunContext, admin: Admin, groups: readonly ExperimentGroup[], partitionCount: (topic: string) => number): Promise<void> {
  const forming = groups.filter((group) => group.live().length > 0);
  if (forming.length === 0) return;
  const deadlineMs = run.cluster.clock.now() + GROUP_FORMATION_MAX_MS;
  for (;;) {
    const reason = await firstUnformed(run, admin, forming, partitionCount);
    if (reason === undefined) return;
    if (run.cluster.clock.now() >= deadlineMs) throw new RunSetupError(`the groups did not settle within ${formatDurationMs(GROUP_FORMATION_MAX_MS)} of their members starting: ${reason}`);
    await run.cluster.advance(FORMATION_CHECK_MS);
  }
}

/** The first group that has not formed, with why; undefined when all have. */
async function firstUnformed(run: RunContext, admin: Admin, groups: readonly ExperimentGroup[], partitionCount: (topic: string) => number): Promise<string | undefined> {
  for (const group of groups) {
    const unsettled = group.unsettled(partitionCount);
    if (unsettled !== undefined) return `group ${group.name}: ${unsettled}`;
  }
  let descriptions: GroupDescription[];
  try {
    descriptions = await run.settle(admin.describeGroups(groups.map((group) => group.name), { timeoutMs: DESCRIBE_TIMEOUT_MS }), 'the groups are described', 2 * DESCRIBE_TIMEOUT_MS);
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
function coordinatorDisagrees(group: ExperimentGroup, description: GroupDescription): string | undefined {
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
    // By member id: a consumer group's description may not carry the member's client.id.
    const described = description.members.find((candidate) => candidate.memberId === holdings.memberId);
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
