/**
 * Shorthand for the assignors' example tests: groups written compactly and assignments read back as
 * `{ memberId: ['topic-partition', ...] }`. Test support only.
 */
import type { GroupAssignment, GroupAssignmentInput, GroupMember, PartitionAssignor } from './types.js';

export function groupOf(partitionsPerTopic: Record<string, number>, members: GroupMember[]): GroupAssignmentInput {
  return { partitionsPerTopic: new Map(Object.entries(partitionsPerTopic)), members };
}

/** Each member's partitions as 'topic-partition' strings, in the order the assignor returned them. */
export function flatten(output: GroupAssignment): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [memberId, { assignedPartitions }] of output.assignments) {
    result[memberId] = assignedPartitions.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}-${p}`));
  }
  return result;
}

export function assignFlat(assignor: PartitionAssignor, input: GroupAssignmentInput): Record<string, string[]> {
  return flatten(assignor.assign(input));
}

/** Members with the same topics, by id. */
export function dynamicMembers(ids: readonly string[], topics: readonly string[]): GroupMember[] {
  return ids.map((memberId) => ({ memberId, topics }));
}

/** Static members from [memberId, groupInstanceId] pairs, all with the same topics. */
export function staticMembers(pairs: readonly (readonly [string, string])[], topics: readonly string[]): GroupMember[] {
  return pairs.map(([memberId, groupInstanceId]) => ({ memberId, groupInstanceId, topics }));
}

/** An assignment keyed by instance id instead of member id, to compare static members across restarts. */
export function byInstanceId(input: GroupAssignmentInput, flat: Record<string, string[]>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const member of input.members) {
    if (member.groupInstanceId) result[member.groupInstanceId] = flat[member.memberId]!;
  }
  return result;
}
