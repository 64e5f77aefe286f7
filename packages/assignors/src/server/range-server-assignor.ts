/**
 * Kafka's server-side `range` assignor (`org.apache.kafka.coordinator.group.assignor.RangeAssignor`,
 * KIP-848): each topic's partitions are cut into contiguous ranges, handed to the topic's subscribers in
 * one fixed member order, `floor(P / N)` each and one more to the first `P % N`. Because every topic uses
 * the same order, members that subscribe to the same topics get the same partition numbers of topics with
 * the same partition count (co-partitioning, for joins).
 *
 * The order: static members first, by group.instance.id, so a static member that restarts with a new
 * member id gets its ranges back; then dynamic members by member id. It does not read the current
 * assignment (Kafka 4.4's range is not sticky) nor racks.
 */
import { PartitionRange } from './partition-range.js';
import { PartitionAssignorError } from './server-assignor-errors.js';
import type {
  ServerAssignorGroupSpec,
  ServerAssignorMember,
  ServerGroupAssignment,
  ServerPartitionAssignor,
  SubscribedTopicDescriber,
  TopicIdPartitionSets,
} from './server-assignor.js';

export const RANGE_SERVER_ASSIGNOR_NAME = 'range';

/** One topic's ranges as they are handed out. */
interface TopicRanges {
  readonly topicId: string;
  readonly partitionCount: number;
  subscriberCount: number;
  /** Partitions every subscriber gets; -1 until the first range is cut (the subscriber count is final by then). */
  minimumQuota: number;
  /** Subscribers still owed one partition past the minimum. */
  extraPartitions: number;
  nextPartition: number;
}

/** The assignment of a member that gets nothing; shared, since assignments are read-only. */
const NOTHING: TopicIdPartitionSets = new Map();

/** Java's `String.compareTo`: by UTF-16 code unit, which is also how JavaScript compares strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Static members by instance id, then dynamic members by member id. */
export function compareRangeMembers(a: ServerAssignorMember, b: ServerAssignorMember): number {
  if (a.instanceId !== null && b.instanceId !== null) return compareStrings(a.instanceId, b.instanceId);
  if (a.instanceId !== null) return -1;
  if (b.instanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** Cuts the next subscriber's range of the topic into `assignment`, if it is not empty. */
function cutRange(topic: TopicRanges, assignment: Map<string, ReadonlySet<number>>): void {
  if (topic.minimumQuota === -1) {
    topic.minimumQuota = Math.floor(topic.partitionCount / topic.subscriberCount);
    topic.extraPartitions = topic.partitionCount % topic.subscriberCount;
  }
  let quota = topic.minimumQuota;
  if (topic.extraPartitions > 0) {
    quota++;
    topic.extraPartitions--;
  }
  const start = topic.nextPartition;
  const end = Math.min(start + quota, topic.partitionCount);
  topic.nextPartition = end;
  if (start < end) assignment.set(topic.topicId, new PartitionRange(start, end));
}

export const rangeServerAssignor: ServerPartitionAssignor = {
  name: RANGE_SERVER_ASSIGNOR_NAME,
  assign(group: ServerAssignorGroupSpec, topics: SubscribedTopicDescriber): ServerGroupAssignment {
    const ordered = [...group.members].sort(compareRangeMembers);
    // Homogeneous groups skip counting subscribers: every member subscribes to every topic.
    const homogeneous = group.subscriptionType === 'HOMOGENEOUS';
    const ranges = new Map<string, TopicRanges>();
    for (const member of homogeneous ? ordered.slice(0, 1) : ordered) {
      for (const topicId of member.subscribedTopicIds) {
        let topic = ranges.get(topicId);
        if (topic === undefined) {
          const partitionCount = topics.numPartitions(topicId);
          if (partitionCount === -1) throw new PartitionAssignorError('Member is subscribed to a non-existent topic');
          topic = { topicId, partitionCount, subscriberCount: 0, minimumQuota: -1, extraPartitions: -1, nextPartition: 0 };
          ranges.set(topicId, topic);
        }
        topic.subscriberCount = homogeneous ? ordered.length : topic.subscriberCount + 1;
      }
    }
    const members = new Map<string, TopicIdPartitionSets>();
    const allTopics = [...ranges.values()];
    for (const member of ordered) {
      const assignment = new Map<string, ReadonlySet<number>>();
      if (homogeneous) for (const topic of allTopics) cutRange(topic, assignment);
      else for (const topicId of member.subscribedTopicIds) cutRange(ranges.get(topicId)!, assignment);
      members.set(member.memberId, assignment.size === 0 ? NOTHING : assignment);
    }
    return { members };
  },
};
