/**
 * The interface of a server-side assignor (KIP-848; Kafka's `ConsumerGroupPartitionAssignor` in
 * group-coordinator-api): run by the group coordinator, not by a member, whenever the group epoch passes the
 * target assignment epoch. It reads the group's members (subscriptions by topic id, racks, and each member's
 * current target assignment, which it keeps where it can) and the subscribed topics' partition counts, and
 * returns each member's new target assignment. A pure function: same input, same output.
 *
 * Partitions are named by topic id, as the consumer group protocol names them.
 */

/** HOMOGENEOUS: every member subscribes to the same topics; HETEROGENEOUS otherwise (Kafka's SubscriptionType). */
export type SubscriptionType = 'HOMOGENEOUS' | 'HETEROGENEOUS';

/** Partitions by topic id. */
export type TopicIdPartitionSets = ReadonlyMap<string, ReadonlySet<number>>;

/** One member as the assignor sees it (Kafka's MemberSubscription plus the member's current target assignment). */
export interface ServerAssignorMember {
  readonly memberId: string;
  /** group.instance.id of a static member; null for a dynamic one. */
  readonly instanceId: string | null;
  /** client.rack; null for none. */
  readonly rackId: string | null;
  /** The topic ids the member subscribes to (only topics that exist). */
  readonly subscribedTopicIds: ReadonlySet<string>;
  /** The member's current target assignment, kept where balance allows (stickiness). */
  readonly assignedPartitions: TopicIdPartitionSets;
}

/** The group as the assignor sees it (Kafka's GroupSpec). */
export interface ServerAssignorGroupSpec {
  /** The members, in the coordinator's order (insertion order of the group's member map). */
  readonly members: readonly ServerAssignorMember[];
  readonly subscriptionType: SubscriptionType;
}

/** What the assignor may know about the subscribed topics (Kafka's SubscribedTopicDescriber). */
export interface SubscribedTopicDescriber {
  /** The topic's partition count, or -1 when the topic does not exist. */
  numPartitions(topicId: string): number;
  /** The racks holding the partition's replicas (empty when unknown). */
  racksForPartition(topicId: string, partition: number): ReadonlySet<string>;
}

/** Each member's new target assignment, keyed by member id; every member of the spec has an entry. */
export interface ServerGroupAssignment {
  readonly members: ReadonlyMap<string, TopicIdPartitionSets>;
}

/** A server-side assignor: `uniform` or `range` in Kafka, chosen by a member's group.remote.assignor. */
export interface ServerPartitionAssignor {
  readonly name: string;
  assign(group: ServerAssignorGroupSpec, topics: SubscribedTopicDescriber): ServerGroupAssignment;
}
