/**
 * A KIP-848 consumer group actor's context, input, ports, events and emitted events (the types of its statechart,
 * consumer-group.machine.ts, whose named actions are in consumer-group.setup.ts).
 */
import type { ConsumerGroupRecord, ErrorName, MetadataImage, RequestBody } from '@kactor/protocol';
import { wireLimits } from '@kactor/protocol';
import type { Clock, Logger, RequestRef, Responder } from '@kactor/runtime';
import type { AppendResult, TransactionalWrite, TransactionResult } from '../../coordinator-runtime/coordinator-shard.js';
import type { GroupLimits } from '../classic-group.js';
import type { PendingGroupAppend } from '../group-pending-appends.js';
import type { RebalanceLog } from '../rebalance-log.js';
import type { ConsumerRebalanceCause } from '../rebalance-consumer.js';
import type { ConsumerGroupData, ConsumerGroupStateName } from './consumer-group-data.js';
import type { ConsumerAppendPurpose, ConsumerGroupAppendRecord, ConsumerTimerEvent } from './consumer-group-effects.js';

/** The broker's group.consumer.* settings (Kafka's GroupCoordinatorConfig), read by every consumer group. */
export interface ConsumerGroupConfig {
  /** group.consumer.session.timeout.ms */
  sessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms */
  heartbeatIntervalMs: number;
  /** group.consumer.max.size */
  maxSize: number;
  /** group.consumer.assignors: the names members may ask for; the first is the default. */
  assignors: readonly string[];
  /** MAX_DEFERRED_HEARTBEATS unless given (tests lower it to reach it cheaply). */
  maxDeferredHeartbeats?: number;
}

export interface ConsumerGroupPorts {
  clock: Clock;
  logger: Logger;
  responder: Responder;
  /** The broker's current metadata image: the subscribed topics' ids and partition counts are read from it. */
  currentImage(): MetadataImage | null;
  /** Told when a DeleteGroups for this group finished (NONE) or was refused. */
  deletionDone(token: number, errorName: ErrorName): void;
}

export interface ConsumerGroupInput {
  group: ConsumerGroupData;
  config: ConsumerGroupConfig;
  /** offset.metadata.max.bytes and the other offset limits shared with classic groups. */
  limits: GroupLimits;
  ports: ConsumerGroupPorts;
}

export type PendingConsumerAppend = PendingGroupAppend<ConsumerAppendPurpose, ConsumerGroupAppendRecord>;

export interface ConsumerGroupContext extends ConsumerGroupInput {
  /** The state the chart is in, kept in context so that answers (describe, list) read it without the snapshot. */
  stateName: ConsumerGroupStateName;
  pendingAppends: Record<number, PendingConsumerAppend>;
  nextAppendToken: number;
  /** Every rebalance of the group, recorded for DescribeRebalances (bookkeeping only: no guard reads it). */
  rebalances: RebalanceLog;
  /** What the records being applied do (a join, a leave, a fence...), so that a rebalance they start is recorded with its cause. */
  lastCause: ConsumerRebalanceCause | null;
  /** The group before the step of records last applied: a rebalance that step starts is recorded from what members held before it. */
  groupBeforeStep: ConsumerGroupData | null;
  /**
   * Heartbeats and fences that arrived while another change of the group was being written, in arrival order. Each is
   * computed from the group once that change is applied, as Kafka's coordinator runtime serves a shard's writes one
   * after the other against its latest (uncommitted) state: two joins computed from the same group would both take
   * the next epoch and assign the same partitions.
   */
  deferred: DeferrableEvent[];
}

/**
 * Heartbeats one group keeps waiting behind the change being written (docs/LIMITS.md). Each member has one heartbeat in
 * flight at a time, so a group of at most wireLimits.maxGroupMembers members stays under it; past it a heartbeat is
 * answered COORDINATOR_NOT_AVAILABLE, which the member retries after its backoff. Timers always wait (two per member).
 */
export const MAX_DEFERRED_HEARTBEATS = wireLimits.maxGroupMembers;

/** The events that change the group's membership and so wait for the change being written. */
export type DeferrableEvent = Extract<ConsumerGroupEvent, { type: 'request.consumerGroupHeartbeat' | 'timer.memberSessionExpired' | 'timer.memberRebalanceExpired' }>;

export type ConsumerGroupEvent =
  | { type: 'request.consumerGroupHeartbeat'; ref: RequestRef; body: RequestBody<'consumerGroupHeartbeat'> }
  | { type: 'request.offsetCommit'; ref: RequestRef; body: RequestBody<'offsetCommit'> }
  | { type: 'request.txnOffsetCommit'; ref: RequestRef; body: RequestBody<'txnOffsetCommit'> }
  | { type: 'request.offsetDelete'; ref: RequestRef; body: RequestBody<'offsetDelete'> }
  | { type: 'txn.completed'; producerId: number; result: TransactionResult }
  | ConsumerTimerEvent
  | { type: 'records.appended'; token: number; result: AppendResult }
  /** One step of written records applied (raised per step so that the chart decides its state after each). */
  | { type: 'records.apply'; records: ConsumerGroupRecord[] }
  | { type: 'group.delete'; token: number }
  | { type: 'group.unload' };

/** Emitted when the group has records to write; the host appends them and sends `records.appended` back. */
export type ConsumerGroupEmitted = { type: 'records.toAppend'; token: number; records: ConsumerGroupAppendRecord[]; transactional?: TransactionalWrite | undefined };
