/**
 * The one interface every partition assignor implements, and the plain data it reads and returns.
 *
 * The shapes follow Kafka's embedded consumer protocol so the group leader can feed what it decoded
 * straight in: a `GroupMember` is a decoded `ConsumerProtocolSubscription` plus the member and instance
 * ids JoinGroup returned, and a `MemberAssignment` is what `encodeAssignment` writes. Optional fields
 * take the protocol's defaults, so tests and simple callers can leave them out.
 */
import type { ConsumerProtocolTopicPartitions } from '@kactor/protocol';

/**
 * Kafka's `ConsumerPartitionAssignor.RebalanceProtocol` (KIP-429). EAGER: every member revokes all its
 * partitions before rejoining. COOPERATIVE: members keep their partitions through the rebalance and
 * only give up those that move, in a second round.
 */
export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

/** Partitions of one topic, ascending: the shape of owned and assigned partitions on the wire. */
export type TopicPartitions = ConsumerProtocolTopicPartitions;

/** One member of the group as the leader sees it after JoinGroup. */
export interface GroupMember {
  /** The id the coordinator gave the member (unique in the group). */
  readonly memberId: string;
  /** `group.instance.id` of a static member (KIP-345); absent or null for dynamic members. */
  readonly groupInstanceId?: string | null;
  /** Subscribed topics, in any order; duplicates count once, topics the cluster lacks are skipped. */
  readonly topics: readonly string[];
  /** Partitions the member holds now (subscription v1+); sticky assignors keep them where they can. */
  readonly ownedPartitions?: readonly TopicPartitions[];
  /** Generation in which the member got `ownedPartitions` (subscription v2+); -1 when unknown. */
  readonly generationId?: number;
  /** The member's `client.rack` (subscription v3+); null or '' means none. */
  readonly rackId?: string | null;
  /** Assignor-specific subscription data; the eager sticky assignor keeps its last assignment here. */
  readonly userData?: Uint8Array | null;
}

/** Everything an assignor reads: the cluster's topics and the group's members. */
export interface GroupAssignmentInput {
  /**
   * Partition count per topic, from the leader's metadata. A subscribed topic that is absent here (or
   * has no partitions) is skipped, as Kafka's `AbstractPartitionAssignor` does; topics nobody
   * subscribes to are ignored.
   */
  readonly partitionsPerTopic: ReadonlyMap<string, number>;
  /** The members, in any order: assignors order them themselves, so the order here never matters. */
  readonly members: readonly GroupMember[];
}

/** One member's share, ready for `encodeAssignment`. */
export interface MemberAssignment {
  /** Sorted by topic (UTF-16 order, as Java's `String.compareTo`), partitions ascending; no empty entries. */
  readonly assignedPartitions: readonly TopicPartitions[];
  /** Assignor-specific data for the member; null for the assignors that keep none (range, roundrobin). */
  readonly userData: Uint8Array | null;
}

/** The result of one assignment. */
export interface GroupAssignment {
  /** One entry per input member, keyed by member id, including members assigned nothing. */
  readonly assignments: ReadonlyMap<string, MemberAssignment>;
}

/**
 * A client-side assignor (Kafka's `ConsumerPartitionAssignor`): a pure function of its input, run by
 * the group leader. Same input, same output, whatever the order of members and topics in it.
 */
export interface PartitionAssignor {
  /** The protocol name members offer in JoinGroup: 'range', 'roundrobin', 'sticky', 'cooperative-sticky'. */
  readonly name: string;
  /** Protocols this assignor supports, most preferred first: ['EAGER'] or ['COOPERATIVE', 'EAGER']. */
  readonly supportedProtocols: readonly RebalanceProtocol[];
  /** Throws `InvalidAssignmentInputError` for input no group can have (duplicate member ids, bad counts). */
  assign(input: GroupAssignmentInput): GroupAssignment;
}
