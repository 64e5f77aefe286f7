/**
 * The records a group coordinator writes to `__consumer_offsets`, as data (Kafka's OffsetCommitKey/Value and
 * GroupMetadataKey/Value, group-coordinator/src/main/resources/common/message/). A null value is a
 * tombstone: the committed offset, or the whole group, is gone.
 */
export interface OffsetCommitValue {
  /** The next offset to read. */
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
}

export interface GroupMetadataMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the selected protocol (for consumers, its ConsumerProtocolSubscription). */
  subscription: Uint8Array;
  assignment: Uint8Array;
}

export interface GroupMetadataValue {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  currentStateTimestampMs: number;
  members: GroupMetadataMember[];
}

export type GroupRecord =
  | { type: 'OffsetCommit'; groupId: string; topic: string; partition: number; value: OffsetCommitValue | null }
  | { type: 'GroupMetadata'; groupId: string; value: GroupMetadataValue | null }
  | ConsumerGroupRecord;

/**
 * KIP-848's consumer group records (Kafka's ConsumerGroup*Key/Value, record types 3 to 8). A consumer group is
 * rebuilt from them alone: its epoch, the topics its subscriptions resolved to, each member's metadata, the
 * target assignment with its epoch, and each member's current assignment and reconciliation state.
 */
/** Partitions by topic id, as the records and ConsumerGroupHeartbeat name them. */
export interface TopicIdPartitions {
  topicId: string;
  partitions: number[];
}

export interface ConsumerGroupMemberMetadataValue {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
}

export interface ConsumerGroupPartitionMetadataTopic {
  topicId: string;
  topicName: string;
  numPartitions: number;
}

export interface ConsumerGroupCurrentMemberAssignmentValue {
  memberEpoch: number;
  previousMemberEpoch: number;
  /** Kafka's MemberState value: 0 STABLE, 1 UNREVOKED_PARTITIONS, 2 UNRELEASED_PARTITIONS, 127 UNKNOWN. */
  state: number;
  assignedPartitions: TopicIdPartitions[];
  partitionsPendingRevocation: TopicIdPartitions[];
}

export type ConsumerGroupRecord =
  /**
   * Type 3: the group epoch (null: the group is gone). `metadataHash` is KIP-1101's hash of the subscribed topics'
   * metadata (Kafka 4.1+, a tagged field: absent means 0).
   */
  | { type: 'ConsumerGroupMetadata'; groupId: string; value: { epoch: number; metadataHash?: bigint } | null }
  /** Type 4: the subscribed topics' metadata the group epoch was computed from. */
  | { type: 'ConsumerGroupPartitionMetadata'; groupId: string; value: { topics: ConsumerGroupPartitionMetadataTopic[] } | null }
  /** Type 5: one member's metadata (null: the member left). */
  | { type: 'ConsumerGroupMemberMetadata'; groupId: string; memberId: string; value: ConsumerGroupMemberMetadataValue | null }
  /** Type 6: the epoch of the target assignment, and when it was computed (KIP-1263, a tagged field: absent means 0). */
  | { type: 'ConsumerGroupTargetAssignmentMetadata'; groupId: string; value: { assignmentEpoch: number; assignmentTimestampMs?: number } | null }
  /** Type 7: one member's target assignment. */
  | { type: 'ConsumerGroupTargetAssignmentMember'; groupId: string; memberId: string; value: { topicPartitions: TopicIdPartitions[] } | null }
  /** Type 8: one member's current assignment, epochs and reconciliation state. */
  | { type: 'ConsumerGroupCurrentMemberAssignment'; groupId: string; memberId: string; value: ConsumerGroupCurrentMemberAssignmentValue | null };
