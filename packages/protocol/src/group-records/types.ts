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
  | { type: 'GroupMetadata'; groupId: string; value: GroupMetadataValue | null };
