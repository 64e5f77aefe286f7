/**
 * What the admin client's group calls return (Kafka's `ConsumerGroupListing`, `ConsumerGroupDescription`,
 * `listConsumerGroupOffsets`...). Calls about several groups answer one result per group, each with
 * `error: KafkaProtocolError | null`, like the topic calls.
 */
import type { GroupRebalanceRecord, KafkaProtocolError } from '@kactor/protocol';
import type { CommittedOffset } from '../consumer/group/group-offsets.js';
import type { GroupCoordinator } from '../network/find-coordinator.js';
import type { TopicPartition } from '../topic-partition.js';

/**
 * Which protocol a group runs (ListGroups' groupType, KIP-848): `classic` (JoinGroup/SyncGroup, the assignment computed
 * by a member) or `consumer` (ConsumerGroupHeartbeat, the assignment computed by the coordinator). Both live in one
 * coordinator, so a cluster has groups of both types.
 */
export type GroupType = 'classic' | 'consumer';

export interface GroupListing {
  readonly groupId: string;
  /** classic or consumer (Kafka's `ConsumerGroupListing.type`). */
  readonly type: GroupType;
  /** "consumer" for consumer groups; "" for groups that only ever had offsets committed from outside (simple groups). */
  readonly protocolType: string;
  /** Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
  readonly state: string;
  /** The broker that coordinates the group (the one that listed it). */
  readonly coordinatorId: number;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly host: string;
  /**
   * The member's partitions: in a classic group decoded from its ConsumerProtocolAssignment (empty while the group
   * rebalances); in a consumer group the partitions it owns now (its current assignment).
   */
  readonly assignment: readonly TopicPartition[];
  /** Consumer groups only (KIP-848): the member's epoch, the group epoch of the assignment it reconciled to. */
  readonly memberEpoch?: number;
  /** Consumer groups only: the member's reconciliation state (Kafka's names: STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS...). */
  readonly memberState?: string;
  /** Consumer groups only: the partitions the coordinator's assignor gave the member, which it reconciles towards. */
  readonly targetAssignment?: readonly TopicPartition[];
  /** Consumer groups only: partitions the member was asked to give up and still owns. */
  readonly partitionsPendingRevocation?: readonly TopicPartition[];
}

/**
 * A group as its coordinator describes it: a classic group with DescribeGroups, a consumer group (KIP-848) with
 * ConsumerGroupDescribe. The fields marked "consumer groups only" are absent for classic groups.
 */
export interface GroupDescription {
  readonly groupId: string;
  /** classic or consumer; a group the coordinator does not know is described as a classic Dead one, as Kafka does. */
  readonly type: GroupType;
  /**
   * Kafka's names; "Dead" for a group that does not exist. Classic groups: Empty, PreparingRebalance,
   * CompletingRebalance, Stable, Dead; consumer groups: Empty, Assigning, Reconciling, Stable, Dead.
   */
  readonly state: string;
  readonly protocolType: string;
  /** The assignor the group runs (range, roundrobin...; a consumer group's server-side assignor, uniform or range). */
  readonly protocol: string;
  /** A classic group's generation; for a consumer group its group epoch (the counter that plays the same part). */
  readonly generationId: number;
  /** Consumer groups only: the group epoch, bumped by every change of members, subscriptions or topic metadata. */
  readonly groupEpoch?: number;
  /** Consumer groups only: the group epoch the target assignment was computed for. */
  readonly targetAssignmentEpoch?: number;
  /** Consumer groups only: the server-side assignor that computed the target assignment. */
  readonly assignorName?: string;
  readonly leaderId: string;
  /** null when the coordinator could not be found (see `error`). */
  readonly coordinator: GroupCoordinator | null;
  readonly members: readonly GroupMemberDescription[];
  readonly error: KafkaProtocolError | null;
}

export interface GroupResult {
  readonly groupId: string;
  readonly error: KafkaProtocolError | null;
}

export interface PartitionResult extends TopicPartition {
  readonly error: KafkaProtocolError | null;
}

/**
 * Kafka's `DeleteConsumerGroupOffsetsResult`: `error` when the whole call failed (then every partition carries
 * it too), else one outcome per partition asked for.
 */
export interface DeleteGroupOffsetsResult {
  readonly groupId: string;
  readonly error: KafkaProtocolError | null;
  readonly partitions: readonly PartitionResult[];
}

/** A group's committed offsets, one entry per partition that has one. */
export type GroupOffsets = readonly CommittedOffset[];

/** One rebalance of a group as its coordinator recorded it (kactor's DescribeRebalances), oldest first. */
export type { GroupRebalanceRecord };

/** A static member to remove from a group by its group.instance.id (Kafka's `MemberToRemove`). */
export interface MemberToRemove {
  readonly groupInstanceId: string;
}

/** Kafka's `RemoveMembersFromConsumerGroupResult`: one outcome per member asked for. */
export interface RemoveMembersResult {
  readonly groupId: string;
  readonly members: ReadonlyArray<{ readonly groupInstanceId: string; readonly error: KafkaProtocolError | null }>;
}
