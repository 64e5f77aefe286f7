/**
 * The `uniform` assignor when every member subscribes to the same topics (Kafka's
 * `UniformHomogeneousAssignmentBuilder`, KIP-848). Balance first: every member gets `floor(P / M)`
 * partitions and the first `P % M` members (in the group's order) one more. Then stickiness: a member
 * keeps what its current target assignment holds up to that quota; what it holds past the quota or of
 * topics it no longer subscribes to is released, and the released and never-assigned partitions fill
 * the members under quota, in order.
 *
 * Order matters for which partitions a member keeps and who receives what. As Kafka does, the subscribed
 * topics are walked in Java's `HashSet<Uuid>` order (java-uuid-order.ts), the members in the group's
 * order, and a member's current assignment in the order its maps and sets hold it.
 *
 * A member whose assignment does not change gets its input map back (the same object), so a group where
 * nothing moved costs no copies: the coordinator compares by reference cheaply.
 */
import { javaHashSetCopyOrder } from './java-uuid-order.js';
import { PartitionRange } from './partition-range.js';
import { PartitionAssignorError } from './server-assignor-errors.js';
import type {
  ServerAssignorGroupSpec,
  ServerGroupAssignment,
  SubscribedTopicDescriber,
  TopicIdPartitionSets,
} from './server-assignor.js';

/** Partitions waiting for an owner, as two parallel arrays (cheaper than one object per partition at 100,000). */
interface PartitionQueue {
  readonly topicIds: string[];
  readonly partitions: number[];
}

export function assignHomogeneous(group: ServerAssignorGroupSpec, topics: SubscribedTopicDescriber): ServerGroupAssignment {
  const members = group.members;
  const result = new Map<string, TopicIdPartitionSets>();
  const first = members[0];
  if (first === undefined) return { members: result };
  const subscribed = first.subscribedTopicIds;
  if (subscribed.size === 0) {
    for (const member of members) result.set(member.memberId, new Map());
    return { members: result };
  }

  const queue: PartitionQueue = { topicIds: [], partitions: [] };
  const totalPartitions = queueUnownedPartitions(group, topics, javaHashSetCopyOrder([...subscribed]), queue);

  const minimumQuota = Math.floor(totalPartitions / members.length);
  let membersOwedAnExtraPartition = totalPartitions % members.length;
  const unfilled: { memberId: string; remaining: number }[] = [];
  // Members whose entry in `result` is already a copy of their own, safe to change.
  const copied = new Set<string>();

  members.forEach((member, index) => {
    let quota = minimumQuota;
    let takesExtra = false;
    if (membersOwedAnExtraPartition > 0) {
      quota++;
      takesExtra = true;
    }
    let kept: Map<string, Set<number>> | undefined;
    for (const [topicId, partitions] of member.assignedPartitions) {
      if (!subscribed.has(topicId)) {
        kept ??= deepCopy(member.assignedPartitions);
        kept.delete(topicId);
        continue;
      }
      if (partitions.size <= quota) {
        quota -= partitions.size;
        continue;
      }
      // Past the quota: keep the first `quota` in the set's order and release the rest.
      for (const partition of partitions) {
        if (quota > 0) {
          quota--;
          continue;
        }
        kept ??= deepCopy(member.assignedPartitions);
        const remaining = kept.get(topicId)!;
        remaining.delete(partition);
        if (remaining.size === 0) kept.delete(topicId);
        queue.topicIds.push(topicId);
        queue.partitions.push(partition);
      }
    }
    // A member still short of its quota leaves the extra partition to a later member that may already
    // hold it, while enough members remain to take every extra (Kafka 4.x): fewer partitions move.
    if (quota > 0 && takesExtra && members.length - index > membersOwedAnExtraPartition) {
      quota--;
      takesExtra = false;
    }
    if (quota > 0) unfilled.push({ memberId: member.memberId, remaining: quota });
    if (takesExtra) membersOwedAnExtraPartition--;
    if (kept !== undefined) copied.add(member.memberId);
    result.set(member.memberId, kept ?? member.assignedPartitions);
  });

  let next = 0;
  for (const { memberId, remaining } of unfilled) {
    if (next >= queue.partitions.length) break;
    const end = Math.min(next + remaining, queue.partitions.length);
    result.set(memberId, withQueued(result.get(memberId)!, copied.has(memberId), queue, next, end));
    next = end;
  }
  if (next < queue.partitions.length) throw new PartitionAssignorError('Partitions were left unassigned');
  return { members: result };
}

/**
 * The member's assignment plus the queued partitions `from` to `to - 1`. A run of consecutive partitions of a
 * topic the member holds nothing of becomes a `PartitionRange` (a first assignment of 10,000 members is mostly
 * such runs, and a `Set` each made garbage collection most of its time); anything else goes into a `Set`.
 */
function withQueued(
  current: TopicIdPartitionSets,
  isCopy: boolean,
  queue: PartitionQueue,
  from: number,
  to: number,
): Map<string, ReadonlySet<number>> {
  const assignment: Map<string, ReadonlySet<number>> = isCopy ? (current as Map<string, Set<number>>) : new Map(current);
  let position = from;
  while (position < to) {
    const topicId = queue.topicIds[position]!;
    const first = queue.partitions[position]!;
    let runEnd = position + 1;
    while (runEnd < to && queue.topicIds[runEnd] === topicId && queue.partitions[runEnd] === first + (runEnd - position)) runEnd++;
    const held = assignment.get(topicId);
    if (held === undefined) {
      assignment.set(topicId, new PartitionRange(first, first + (runEnd - position)));
    } else {
      // Copy before adding: sets shared with the input (or ranges) are never changed.
      const merged = new Set(held);
      for (let index = position; index < runEnd; index++) merged.add(queue.partitions[index]!);
      assignment.set(topicId, merged);
    }
    position = runEnd;
  }
  return assignment;
}

/**
 * Puts every subscribed partition no member currently holds on the queue (topics in the given order,
 * partitions ascending) and returns the subscribed topics' partition count.
 */
function queueUnownedPartitions(
  group: ServerAssignorGroupSpec,
  topics: SubscribedTopicDescriber,
  topicIds: readonly string[],
  queue: PartitionQueue,
): number {
  const owned = new Map<string, Uint8Array>();
  let total = 0;
  for (const topicId of topicIds) {
    const count = topics.numPartitions(topicId);
    if (count === -1) {
      throw new PartitionAssignorError(`Members are subscribed to topic ${topicId} which doesn't exist in the topic metadata.`);
    }
    owned.set(topicId, new Uint8Array(count));
    total += count;
  }
  for (const member of group.members) {
    for (const [topicId, partitions] of member.assignedPartitions) {
      const flags = owned.get(topicId);
      if (flags !== undefined) for (const partition of partitions) flags[partition] = 1;
    }
  }
  for (const [topicId, flags] of owned) {
    for (let partition = 0; partition < flags.length; partition++) {
      if (flags[partition] === 0) {
        queue.topicIds.push(topicId);
        queue.partitions.push(partition);
      }
    }
  }
  return total;
}

/** A mutable copy of an assignment, to change without touching the input. */
export function deepCopy(assignment: TopicIdPartitionSets): Map<string, Set<number>> {
  const copy = new Map<string, Set<number>>();
  for (const [topicId, partitions] of assignment) copy.set(topicId, new Set(partitions));
  return copy;
}
