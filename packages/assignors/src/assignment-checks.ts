/**
 * The rules every assignment must keep, as plain functions returning what is wrong (empty when
 * nothing is). The compliance suite runs them over examples and generated groups; they are separate
 * so a failing property names the broken rule, and so later suites (sticky, cooperative) can add
 * their own checks next to these.
 */
import type { GroupAssignment, GroupAssignmentInput, GroupMember } from './types.js';

/** One rule over one assignment: the violations found, each a sentence. */
export type AssignmentCheck = (input: GroupAssignmentInput, output: GroupAssignment) => string[];

/** How evenly an assignor promises to spread partitions. */
export type BalanceRule =
  /** Each topic's partitions spread over its subscribers within one (range). */
  | 'per-topic'
  /** Members with identical subscriptions hold counts within one of each other (roundrobin, sticky). */
  | 'overall';

/** The topics a member subscribes to that the metadata has partitions for. */
export function effectiveTopics(input: GroupAssignmentInput, member: GroupMember): Set<string> {
  return new Set(member.topics.filter((topic) => (input.partitionsPerTopic.get(topic) ?? 0) > 0));
}

/** Partitions a member holds in total. */
export function assignedCount(output: GroupAssignment, memberId: string): number {
  let count = 0;
  for (const entry of output.assignments.get(memberId)?.assignedPartitions ?? []) count += entry.partitions.length;
  return count;
}

/** One entry per member and none else; topics strictly ascending; partitions strictly ascending, none empty. */
export const shapeViolations: AssignmentCheck = (input, output) => {
  const problems: string[] = [];
  const memberIds = new Set(input.members.map((member) => member.memberId));
  for (const memberId of memberIds) {
    if (!output.assignments.has(memberId)) problems.push(`member ${memberId} has no assignment entry`);
  }
  for (const [memberId, assignment] of output.assignments) {
    if (!memberIds.has(memberId)) problems.push(`assignment for ${memberId}, who is not a member`);
    let previousTopic: string | null = null;
    for (const { topic, partitions } of assignment.assignedPartitions) {
      if (previousTopic !== null && !(previousTopic < topic)) {
        problems.push(`${memberId}: topic ${topic} after ${previousTopic} (topics must be strictly ascending)`);
      }
      previousTopic = topic;
      if (partitions.length === 0) problems.push(`${memberId}: empty entry for ${topic}`);
      for (let i = 1; i < partitions.length; i++) {
        if (!(partitions[i - 1]! < partitions[i]!)) problems.push(`${memberId}: ${topic} partitions not strictly ascending`);
      }
    }
  }
  return problems;
};

/** Every partition of every topic someone subscribes to has exactly one owner; nothing else is assigned. */
export const ownershipViolations: AssignmentCheck = (input, output) => {
  const problems: string[] = [];
  const owners = new Map<string, string[][]>();
  for (const member of input.members) {
    for (const topic of effectiveTopics(input, member)) {
      if (!owners.has(topic)) owners.set(topic, Array.from({ length: input.partitionsPerTopic.get(topic)! }, () => []));
    }
  }
  for (const [memberId, assignment] of output.assignments) {
    for (const { topic, partitions } of assignment.assignedPartitions) {
      const topicOwners = owners.get(topic);
      if (topicOwners === undefined) {
        problems.push(`${memberId} got partitions of ${topic}, which no member can be assigned (unknown or unsubscribed)`);
        continue;
      }
      for (const partition of partitions) {
        const partitionOwners = topicOwners[partition];
        if (partitionOwners === undefined) problems.push(`${memberId} got ${topic}-${partition}, which does not exist`);
        else partitionOwners.push(memberId);
      }
    }
  }
  for (const [topic, topicOwners] of owners) {
    topicOwners.forEach((partitionOwners, partition) => {
      if (partitionOwners.length !== 1) {
        problems.push(`${topic}-${partition} has ${partitionOwners.length} owners [${partitionOwners.join(', ')}]`);
      }
    });
  }
  return problems;
};

/** Members only hold partitions of topics they subscribe to. */
export const subscriptionViolations: AssignmentCheck = (input, output) => {
  const problems: string[] = [];
  for (const member of input.members) {
    const topics = new Set(member.topics);
    for (const { topic } of output.assignments.get(member.memberId)?.assignedPartitions ?? []) {
      if (!topics.has(topic)) problems.push(`${member.memberId} got ${topic} without subscribing to it`);
    }
  }
  return problems;
};

/** The balance the assignor promises (see `BalanceRule`). */
export function balanceViolations(rule: BalanceRule): AssignmentCheck {
  return rule === 'per-topic' ? perTopicBalanceViolations : overallBalanceViolations;
}

const perTopicBalanceViolations: AssignmentCheck = (input, output) => {
  const problems: string[] = [];
  const countsByTopic = new Map<string, Map<string, number>>();
  for (const member of input.members) {
    for (const topic of effectiveTopics(input, member)) {
      if (!countsByTopic.has(topic)) countsByTopic.set(topic, new Map());
      countsByTopic.get(topic)!.set(member.memberId, 0);
    }
  }
  for (const [memberId, assignment] of output.assignments) {
    for (const { topic, partitions } of assignment.assignedPartitions) {
      const counts = countsByTopic.get(topic);
      if (counts?.has(memberId)) counts.set(memberId, counts.get(memberId)! + partitions.length);
    }
  }
  for (const [topic, counts] of countsByTopic) {
    const values = [...counts.values()];
    if (Math.max(...values) - Math.min(...values) > 1) {
      problems.push(`${topic} is spread unevenly over its subscribers: ${JSON.stringify(Object.fromEntries(counts))}`);
    }
  }
  return problems;
};

const overallBalanceViolations: AssignmentCheck = (input, output) => {
  if (input.members.length === 0) return [];
  const key = (member: GroupMember) => [...effectiveTopics(input, member)].sort().join('\u0000');
  const first = key(input.members[0]!);
  if (!input.members.every((member) => key(member) === first)) return [];
  const counts = input.members.map((member) => assignedCount(output, member.memberId));
  return Math.max(...counts) - Math.min(...counts) > 1
    ? [`members with the same subscription hold ${Math.min(...counts)} to ${Math.max(...counts)} partitions`]
    : [];
};

/** No partition has two owners (cooperative rounds may leave some without one). */
export const doubleOwnerViolations: AssignmentCheck = (_input, output) => {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const [memberId, assignment] of output.assignments) {
    for (const { topic, partitions } of assignment.assignedPartitions) {
      for (const partition of partitions) {
        const key = `${topic}-${partition}`;
        const other = owners.get(key);
        if (other !== undefined) problems.push(`${key} is assigned to both ${other} and ${memberId}`);
        owners.set(key, memberId);
      }
    }
  }
  return problems;
};

/** Partitions members report owning (`ownedPartitions`) that the assignment takes from them. */
export function revokedPartitions(input: GroupAssignmentInput, output: GroupAssignment): Set<string> {
  const revoked = new Set<string>();
  for (const member of input.members) {
    const assigned = new Set(
      (output.assignments.get(member.memberId)?.assignedPartitions ?? []).flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}-${p}`)),
    );
    for (const { topic, partitions } of member.ownedPartitions ?? []) {
      for (const partition of partitions) if (!assigned.has(`${topic}-${partition}`)) revoked.add(`${topic}-${partition}`);
    }
  }
  return revoked;
}

/**
 * KIP-429's rule, as Kafka's `CooperativeStickyAssignorTest.verifyCooperativeValidity` checks it: no
 * partition is given to a member that did not own it in the same round it is revoked from another.
 */
export const cooperativeViolations: AssignmentCheck = (input, output) => {
  const revoked = revokedPartitions(input, output);
  const problems: string[] = [];
  for (const member of input.members) {
    const owned = new Set((member.ownedPartitions ?? []).flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}-${p}`)));
    for (const { topic, partitions } of output.assignments.get(member.memberId)?.assignedPartitions ?? []) {
      for (const partition of partitions) {
        const key = `${topic}-${partition}`;
        if (!owned.has(key) && revoked.has(key)) problems.push(`${key} is given to ${member.memberId} in the round it is revoked`);
      }
    }
  }
  return problems;
};

/** The checks every assignor must pass, with its balance rule. */
export function baseChecks(rule: BalanceRule): AssignmentCheck[] {
  return [shapeViolations, ownershipViolations, subscriptionViolations, balanceViolations(rule)];
}

/**
 * The input of the next rebalance after `output`: every member that stays owns what it was given, at
 * `generationId`. Sticky and cooperative suites run a second round from this.
 */
export function nextRoundInput(
  input: GroupAssignmentInput,
  output: GroupAssignment,
  generationId: number,
): GroupAssignmentInput {
  return {
    partitionsPerTopic: input.partitionsPerTopic,
    members: input.members.map((member) => ({
      ...member,
      ownedPartitions: output.assignments.get(member.memberId)?.assignedPartitions ?? [],
      generationId,
    })),
  };
}

/** An assignment as sorted plain data, for comparing two results exactly (member order included). */
export function assignmentSnapshot(output: GroupAssignment): [string, string][] {
  return [...output.assignments]
    .map(([memberId, assignment]): [string, string] => [
      memberId,
      JSON.stringify({ partitions: assignment.assignedPartitions, userData: assignment.userData && [...assignment.userData] }),
    ])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
