/**
 * What a consumer group's statechart (consumer-group.machine.ts) asks its host to do besides changing the group: answer
 * requests, start or cancel a member's timers, append records to `__consumer_offsets`; and the shapes of those records
 * and answers. Pure: the named actions of consumer-group.setup.ts perform them in order.
 */
import type { ConsumerGroupRecord, ErrorName } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import type { TransactionalWrite } from '../../coordinator-runtime/coordinator-shard.js';
import type { AppendPurpose, GroupEffect } from '../group-effects.js';
import { appendErrorForCommit } from '../group-offsets.js';
import type { GroupRecord } from '../group-records.js';
import type { ConsumerRebalanceCause } from '../rebalance-consumer.js';
import type { ConsumerGroupData } from './consumer-group-data.js';

/** A record of either kind of group, as a consumer group appends them (its own, types 3 to 8, and offset commits). */
export type ConsumerGroupAppendRecord = GroupRecord | ConsumerGroupRecord;


/** Why a consumer group appends records: the offset purposes of classic groups, and its own. */
export type ConsumerAppendPurpose =
  | Extract<AppendPurpose, { kind: 'offsetCommit' | 'txnOffsetCommit' | 'offsetDelete' | 'groupDeletion' }>
  /** A heartbeat's records: the answer goes out once they are written. */
  | { kind: 'heartbeat'; ref: RequestRef; response: unknown; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause }
  /** The coordinator removed a member (session or rebalance timeout): nobody waits. */
  | { kind: 'fence'; memberId: string; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause };

export type ConsumerTimerEvent =
  | { type: 'timer.memberSessionExpired'; memberId: string }
  /** The member did not revoke within its rebalance timeout (it was asked at `memberEpoch`). */
  | { type: 'timer.memberRebalanceExpired'; memberId: string; memberEpoch: number };

export type ConsumerTimerEffect = { kind: 'startTimer'; event: ConsumerTimerEvent; delayMs: number } | { kind: 'cancelTimer'; event: ConsumerTimerEvent };


export type ConsumerGroupEffect =
  | { kind: 'respond'; ref: RequestRef; body: unknown }
  | ConsumerTimerEffect
  | { kind: 'append'; records: ConsumerGroupAppendRecord[]; purpose: ConsumerAppendPurpose; transactional?: TransactionalWrite };


/** One id per timer subject, so starting a timer again replaces it (Kafka's keyed timers). */
export function consumerTimerId(event: ConsumerTimerEvent): string {
  return event.type === 'timer.memberSessionExpired' ? `session-${event.memberId}` : `rebalance-${event.memberId}`;
}


/** The offset rules shared with classic groups answer or append; they never start timers here. */
export function offsetEffects(effects: readonly GroupEffect[]): ConsumerGroupEffect[] {
  return effects.map((effect) => {
    if (effect.kind === 'respond') return effect;
    if (effect.kind === 'append' && effect.purpose.kind !== 'groupMetadata' && effect.purpose.kind !== 'staticReplacement') {
      return { kind: 'append', records: effect.records, purpose: effect.purpose, ...(effect.transactional === undefined ? {} : { transactional: effect.transactional }) };
    }
    throw new Error(`a consumer group cannot perform a classic group's ${effect.kind} effect`);
  });
}


export const isConsumerRecord = (record: ConsumerGroupAppendRecord): record is ConsumerGroupRecord => record.type !== 'OffsetCommit' && record.type !== 'GroupMetadata';

/**
 * Kafka's heartbeat takes three steps, and its records come in that order: the member and the group epoch (with the
 * subscribed topics' metadata), then the target assignment, then the member's current assignment. Applying them step
 * by step lets the chart pass through the states Kafka's group passes through: Assigning once the epoch is bumped,
 * Reconciling once the target is there, Stable once every member reached it. Removals (tombstones) belong to the
 * first step. Order within a step is the records' own.
 */
export function recordSteps(records: readonly ConsumerGroupAppendRecord[]): ConsumerGroupRecord[][] {
  const steps: ConsumerGroupRecord[][] = [[], [], []];
  for (const record of records) {
    if (!isConsumerRecord(record)) continue;
    const target = record.type === 'ConsumerGroupTargetAssignmentMember' || record.type === 'ConsumerGroupTargetAssignmentMetadata';
    const current = record.type === 'ConsumerGroupCurrentMemberAssignment';
    const step = record.value === null ? 0 : target ? 1 : current ? 2 : 0;
    steps[step]?.push(record);
  }
  return steps.filter((step) => step.length > 0);
}


/** A ConsumerGroupHeartbeat answer carrying only an error (Kafka's, with the error's message). */
export function heartbeatRefusal(errorName: ErrorName, errorMessage: string | null = null): Record<string, unknown> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorName).code, errorMessage, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
}

/**
 * What a heartbeat whose records could not be written answers: as a commit's append failure, mapped to what the
 * member does next (NOT_COORDINATOR: find the coordinator again; COORDINATOR_NOT_AVAILABLE: retry), as Kafka does.
 */
export function heartbeatAppendError(errorName: ErrorName): ErrorName {
  const mapped = appendErrorForCommit(errorName);
  return mapped === 'NOT_COORDINATOR' ? 'NOT_COORDINATOR' : mapped === 'UNKNOWN_SERVER_ERROR' ? 'UNKNOWN_SERVER_ERROR' : 'COORDINATOR_NOT_AVAILABLE';
}


/** The tombstones that end a consumer group's own records (offsets are tombstoned beside them). */
export function consumerGroupTombstones(group: ConsumerGroupData): ConsumerGroupRecord[] {
  const { groupId } = group;
  const records: ConsumerGroupRecord[] = [];
  for (const memberId of Object.keys(group.members)) {
    records.push({ type: 'ConsumerGroupCurrentMemberAssignment', groupId, memberId, value: null });
    records.push({ type: 'ConsumerGroupTargetAssignmentMember', groupId, memberId, value: null });
    records.push({ type: 'ConsumerGroupMemberMetadata', groupId, memberId, value: null });
  }
  records.push({ type: 'ConsumerGroupTargetAssignmentMetadata', groupId, value: null });
  records.push({ type: 'ConsumerGroupPartitionMetadata', groupId, value: null });
  records.push({ type: 'ConsumerGroupMetadata', groupId, value: null });
  return records;
}
