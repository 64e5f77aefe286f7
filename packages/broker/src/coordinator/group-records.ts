/**
 * The records a group coordinator writes to its `__consumer_offsets` partition, after Kafka's
 * OffsetCommitKey/Value and GroupMetadataKey/Value (group-coordinator/src/main/resources/common/message/).
 * A null value is a tombstone: the offset or the group is gone. Replaying a partition's records in order
 * rebuilds every group and committed offset of that partition (see group-replay.ts); the byte layout is in
 * group-record-codec.ts.
 */
import type { CommittedOffset } from './classic-group.js';

export interface GroupMetadataMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the selected protocol (its ConsumerProtocolSubscription). */
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
  | { type: 'OffsetCommit'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'GroupMetadata'; groupId: string; value: GroupMetadataValue | null };
