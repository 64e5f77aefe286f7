/**
 * What the admin client's group calls return (Kafka's `ConsumerGroupListing`, `ConsumerGroupDescription`,
 * `listConsumerGroupOffsets`...). Calls about several groups answer one result per group, each with
 * `error: KafkaProtocolError | null`, like the topic calls.
 */
import type { GroupRebalanceRecord, KafkaProtocolError } from '@kactor/protocol';
import type { CommittedOffset } from '../consumer/group/group-offsets.js';
import type { GroupCoordinator } from '../network/find-coordinator.js';
import type { TopicPartition } from '../topic-partition.js';

export interface GroupListing {
  readonly groupId: string;
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
  /** The member's partitions, decoded from its ConsumerProtocolAssignment (empty while the group rebalances). */
  readonly assignment: readonly TopicPartition[];
}

export interface GroupDescription {
  readonly groupId: string;
  /** Kafka's names; "Dead" for a group that does not exist. */
  readonly state: string;
  readonly protocolType: string;
  /** The assignor the group runs (range, roundrobin...), once it is stable. */
  readonly protocol: string;
  readonly generationId: number;
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
