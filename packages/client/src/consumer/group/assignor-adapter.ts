/**
 * The one place the client touches @kactor/assignors and the embedded consumer protocol codecs: what a
 * member offers in JoinGroup, how the leader turns the members' subscriptions into assignments, and how a
 * member (or the admin client) reads an assignment. Everything here is a pure function.
 */
import {
  COOPERATIVE_STICKY_ASSIGNOR_NAME,
  encodeCooperativeStickyAssignorUserData,
  encodeStickyAssignorUserData,
  findAssignor,
  STICKY_ASSIGNOR_NAME,
  type GroupMember,
  type PartitionAssignor,
  type RebalanceProtocol,
} from '@kactor/assignors';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '@kactor/protocol';
import { KafkaClientError } from '../../errors.js';
import type { TopicPartition } from '../../topic-partition.js';
import { cooperativeViolations, fromTopicPartitions, toTopicPartitions } from './cooperative.js';
import { CooperativeAssignmentViolationError } from './group-errors.js';
import type { JoinedMember } from './group-types.js';

/** JoinGroup's protocol type for consumers. */
export const consumerProtocolType = CONSUMER_PROTOCOL_TYPE;

/**
 * The assignors of partition.assignment.strategy that exist here, in the configured order (Kafka's
 * default list is [range, cooperative-sticky]). A listed assignor this build lacks is left out rather
 * than refused, so a consumer configured for a newer kactor still joins with what it has.
 */
export function availableAssignors(configured: readonly string[]): PartitionAssignor[] {
  return configured.map((name) => findAssignor(name)).filter((assignor): assignor is PartitionAssignor => assignor !== undefined);
}

/** The member's last assignment and the generation it came in (Kafka's `onAssignment`), or null before the first. */
export interface PreviousAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly generationId: number;
}

/**
 * JoinGroup's `protocols`: one per assignor, each with the member's ConsumerProtocolSubscription.
 * Kafka sends the owned partitions in both modes (KIP-429): an EAGER member has revoked everything
 * by then, so its list is empty. That is why the eager `sticky` assignor carries the member's last
 * assignment and its generation in its own userData (KIP-54, KIP-341); `cooperative-sticky` carries
 * the generation alone, for leaders that read an older subscription version. The other assignors keep
 * no userData.
 */
export function joinProtocols(
  assignors: readonly string[],
  topics: readonly string[],
  generationId: number,
  owned: readonly TopicPartition[] = [],
  previous: PreviousAssignment | null = null,
): Array<{ name: string; metadata: Uint8Array }> {
  const ownedPartitions = toTopicPartitions(owned);
  const plain = encodeSubscription({ topics, ownedPartitions, generationId });
  return assignors.map((name) => {
    const userData = assignorUserData(name, previous);
    return { name, metadata: userData === null ? plain : encodeSubscription({ topics, ownedPartitions, generationId, userData }) };
  });
}

/** What Kafka's `subscriptionUserData` returns for each assignor. */
function assignorUserData(assignor: string, previous: PreviousAssignment | null): Uint8Array | null {
  if (assignor === STICKY_ASSIGNOR_NAME) {
    return previous === null ? null : encodeStickyAssignorUserData({ partitions: toTopicPartitions(previous.partitions), generation: previous.generationId });
  }
  if (assignor === COOPERATIVE_STICKY_ASSIGNOR_NAME) return encodeCooperativeStickyAssignorUserData(previous?.generationId ?? -1);
  return null;
}

export interface ComputedAssignment {
  /** SyncGroup's `assignments`: every member, including those assigned nothing. */
  readonly assignments: Array<{ memberId: string; assignment: Uint8Array }>;
  /** The partition counts the assignment was computed from (-1: the topic is unknown), for the leader's snapshot. */
  readonly partitionCounts: Record<string, number>;
  /** Members whose subscription could not be read: they subscribe to nothing this round, and the leader says so. */
  readonly unreadableMembers: readonly UnreadableMember[];
}

/** A member whose ConsumerProtocolSubscription bytes do not decode, and why. */
export interface UnreadableMember {
  readonly memberId: string;
  readonly problem: string;
}

/**
 * The leader's work between JoinGroup and SyncGroup: decode each member's subscription, run the assignor
 * the coordinator selected on the leader's view of the topics, and encode one assignment per member.
 * A member whose subscription cannot be read counts as subscribing to nothing (it is listed in
 * `unreadableMembers` and assigned nothing), so one broken or hostile member never stops the group.
 * Throws KafkaClientError when the protocol is not one offered here.
 */
export function computeAssignment(
  protocolName: string,
  members: readonly JoinedMember[],
  partitionCount: (topic: string) => number | undefined,
  rebalanceProtocol: RebalanceProtocol = 'EAGER',
): ComputedAssignment {
  const assignor = findAssignor(protocolName);
  if (assignor === undefined) throw new KafkaClientError(`the coordinator selected assignor "${protocolName}", which this consumer does not have`);
  const { groupMembers, unreadableMembers } = decodeMembers(members);
  const { partitionCounts, partitionsPerTopic } = countPartitions(groupMembers, partitionCount);
  const result = assignor.assign({ partitionsPerTopic, members: groupMembers });
  if (rebalanceProtocol === 'COOPERATIVE') {
    const violations = cooperativeViolations(
      groupMembers.map((member) => ({
        owned: fromTopicPartitions(member.ownedPartitions ?? []),
        assigned: fromTopicPartitions(result.assignments.get(member.memberId)?.assignedPartitions ?? []),
      })),
    );
    if (violations.length > 0) {
      throw new CooperativeAssignmentViolationError(
        `assignor "${protocolName}" gave partitions to a new owner in the round they are revoked (COOPERATIVE forbids it): ${violations.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}`,
      );
    }
  }
  const assignments = groupMembers.map((member) => {
    const share = result.assignments.get(member.memberId);
    return { memberId: member.memberId, assignment: encodeAssignment({ assignedPartitions: share?.assignedPartitions ?? [], userData: share?.userData ?? null }) };
  });
  return { assignments, partitionCounts, unreadableMembers };
}

/**
 * The partition counts the group's subscriptions cover, for a leader told to skip the assignment (a
 * static member's restart, KIP-814): it assigns nothing but still watches the topics for changes.
 */
export function subscribedPartitionCounts(members: readonly JoinedMember[], partitionCount: (topic: string) => number | undefined): Record<string, number> {
  return countPartitions(decodeMembers(members).groupMembers, partitionCount).partitionCounts;
}

/**
 * Each member's subscription. Kafka's leader cannot assign to a member it cannot read either; rather than
 * failing the whole rebalance (which left the group Empty), such a member subscribes to nothing: it is
 * still answered in SyncGroup, with an empty assignment, and the leader reports it.
 */
function decodeMembers(members: readonly JoinedMember[]): { groupMembers: GroupMember[]; unreadableMembers: UnreadableMember[] } {
  const unreadableMembers: UnreadableMember[] = [];
  const groupMembers = members.map((member): GroupMember => {
    const decoded = decodeSubscription(member.metadata);
    if (!decoded.ok) {
      unreadableMembers.push({ memberId: member.memberId, problem: decoded.problem.message });
      return { memberId: member.memberId, groupInstanceId: member.groupInstanceId, topics: [], ownedPartitions: [], generationId: -1, rackId: null, userData: null };
    }
    const { topics, ownedPartitions, generationId, rackId, userData } = decoded.value;
    return { memberId: member.memberId, groupInstanceId: member.groupInstanceId, topics, ownedPartitions, generationId, rackId, userData };
  });
  return { groupMembers, unreadableMembers };
}

function countPartitions(groupMembers: readonly GroupMember[], partitionCount: (topic: string) => number | undefined) {
  const partitionCounts: Record<string, number> = {};
  const partitionsPerTopic = new Map<string, number>();
  for (const topic of new Set(groupMembers.flatMap((member) => member.topics))) {
    const count = partitionCount(topic);
    partitionCounts[topic] = count ?? -1;
    if (count !== undefined) partitionsPerTopic.set(topic, count);
  }
  return { partitionCounts, partitionsPerTopic };
}

/** The partitions in a member's ConsumerProtocolAssignment (empty bytes: none). */
export function decodeMemberAssignment(bytes: Uint8Array): TopicPartition[] {
  const decoded = decodeAssignment(bytes);
  if (!decoded.ok) throw new KafkaClientError(`the assignment cannot be read: ${decoded.problem.message}`);
  return decoded.value.assignedPartitions.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
}

/** The topics in a member's ConsumerProtocolSubscription, or null when the bytes cannot be read. */
export function decodeMemberTopics(bytes: Uint8Array): string[] | null {
  const decoded = decodeSubscription(bytes);
  return decoded.ok ? [...decoded.value.topics] : null;
}
