/**
 * The input every eager assignor starts from, checked and indexed once: members in Kafka's order, and
 * the topics to assign (subscribed by someone and present in the metadata with at least one partition),
 * sorted by name, each with the positions of its subscribers. Building it costs O(C log C + S + T log T)
 * for C members, S subscriptions (member-topic pairs) and T topics, with no per-partition work.
 */
import { InvalidAssignmentInputError } from './errors.js';
import { compareMembers } from './member-order.js';
import type { GroupAssignmentInput, GroupMember, MemberAssignment, TopicPartitions } from './types.js';

/** Kafka's partition count is an int32. */
const MAX_PARTITION_COUNT = 0x7fff_ffff;

export interface PreparedTopic {
  readonly topic: string;
  readonly partitionCount: number;
  /** Positions in `PreparedGroup.members` of the members subscribed to the topic, ascending. */
  readonly subscribers: readonly number[];
}

export interface PreparedGroup {
  /** The members in Kafka's `MemberInfo` order. */
  readonly members: readonly GroupMember[];
  /** Topics to assign, sorted by name (UTF-16 order, as Java's `TreeSet<String>`). */
  readonly topics: readonly PreparedTopic[];
}

export function prepareGroup(input: GroupAssignmentInput): PreparedGroup {
  checkPartitionCounts(input.partitionsPerTopic);
  const members = [...input.members].sort(compareMembers);
  checkUniqueMemberIds(members);

  // One list per topic that has partitions, so each (member, topic) pair costs a single map lookup.
  const subscribersByTopic = new Map<string, number[]>();
  for (const [topic, partitionCount] of input.partitionsPerTopic) {
    if (partitionCount > 0) subscribersByTopic.set(topic, []);
  }
  for (let position = 0; position < members.length; position++) {
    for (const topic of members[position]!.topics) {
      const subscribers = subscribersByTopic.get(topic);
      // Members are visited in order, so a topic listed twice by one member repeats the last entry.
      if (subscribers !== undefined && subscribers[subscribers.length - 1] !== position) subscribers.push(position);
    }
  }
  const topics: PreparedTopic[] = [];
  for (const [topic, subscribers] of subscribersByTopic) {
    if (subscribers.length > 0) topics.push({ topic, partitionCount: input.partitionsPerTopic.get(topic)!, subscribers });
  }
  topics.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  return { members, topics };
}

function checkPartitionCounts(partitionsPerTopic: ReadonlyMap<string, number>): void {
  for (const [topic, count] of partitionsPerTopic) {
    if (!Number.isInteger(count) || count < 0 || count > MAX_PARTITION_COUNT) {
      throw new InvalidAssignmentInputError(`topic "${topic}" has a partition count of ${count}`);
    }
  }
}

function checkUniqueMemberIds(members: readonly GroupMember[]): void {
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.memberId)) throw new InvalidAssignmentInputError(`member id "${member.memberId}" appears twice`);
    seen.add(member.memberId);
  }
}

/**
 * Collects each member's partitions while an assignor walks the topics in sorted order, so every list
 * comes out sorted by topic without a final sort. An assignor adds at most one entry per member and
 * topic.
 */
export class AssignmentCollector {
  private readonly entries: TopicPartitions[][];

  constructor(private readonly group: PreparedGroup) {
    this.entries = group.members.map(() => []);
  }

  /**
   * Gives the member at `position` partitions `first, first + step, ...` (`count` of them) of `topic`,
   * as its one entry for that topic: contiguous ranges (step 1) for range, every n-th partition for
   * roundrobin.
   */
  add(position: number, topic: string, first: number, step: number, count: number): void {
    const partitions = new Array<number>(count);
    for (let k = 0, partition = first; k < count; k++, partition += step) partitions[k] = partition;
    this.entries[position]!.push({ topic, partitions });
  }

  /** Every member's assignment, keyed by member id, in member order. */
  finish(): Map<string, MemberAssignment> {
    const assignments = new Map<string, MemberAssignment>();
    this.group.members.forEach((member, position) => {
      assignments.set(member.memberId, { assignedPartitions: this.entries[position]!, userData: null });
    });
    return assignments;
  }
}
