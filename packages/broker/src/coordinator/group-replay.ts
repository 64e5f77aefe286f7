/**
 * Rebuilds the groups of one `__consumer_offsets` partition from its records, in log order: the only way a
 * coordinator learns what an earlier coordinator of the partition decided (restart or failover). Loaded
 * groups with members are Stable and their members get fresh session timers, as in Kafka
 * (`testOnLoadedSchedulesClassicGroupMemberHeartbeats`).
 */
import { emptyGroupData, type ClassicGroupData, type ClassicGroupMember } from './classic-group.js';
import type { RecordOrigin, TransactionResult } from '../coordinator-runtime/coordinator-shard.js';
import { applyOffsetRecords } from './group-offsets.js';
import { addPendingTransactionalOffsets, completeTransactionalOffsets, hasPendingTransaction } from './group-txn-offsets.js';
import type { GroupMetadataValue, GroupRecord } from './group-records.js';
import type { ConsumerGroupRecord } from '@kactor/protocol';
import { emptyConsumerGroup, type ConsumerGroupData } from './consumer/consumer-group-data.js';
import { applyConsumerGroupRecord } from './consumer/consumer-group-replay.js';

export function groupFromMetadata(base: ClassicGroupData, value: GroupMetadataValue): ClassicGroupData {
  const members: Record<string, ClassicGroupMember> = {};
  for (const member of value.members) {
    members[member.memberId] = {
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      sessionTimeoutMs: member.sessionTimeoutMs,
      protocolType: value.protocolType,
      protocols: value.protocolName === null ? [] : [{ name: value.protocolName, metadata: member.subscription }],
      assignment: member.assignment,
      isNew: false,
      awaitingJoin: null,
      awaitingSync: null,
    };
  }
  return {
    ...base,
    generationId: value.generationId,
    protocolType: value.protocolType === '' ? null : value.protocolType,
    protocolName: value.protocolName,
    leaderId: value.leaderId,
    members,
    pendingMemberIds: [],
    pendingSyncMemberIds: [],
    currentStateTimestampMs: value.currentStateTimestampMs,
  };
}

/**
 * Replays one record into the groups being loaded. A record of a transactional batch is an offset of that producer's
 * transaction: pending until its marker (replayGroupTransactionMarker) applies or drops it.
 */
export function replayGroupRecord(groups: Map<string, ClassicGroupData>, record: GroupRecord, origin: Pick<RecordOrigin, 'producerId' | 'isTransactional'>, nowMs: number): void {
  const current = groups.get(record.groupId) ?? emptyGroupData(record.groupId, nowMs);
  if (record.type === 'OffsetCommit') {
    // The offset tombstones of a deleted group follow its group tombstone: they must not bring the group back.
    if (record.value === null && !groups.has(record.groupId)) return;
    if (origin.isTransactional && origin.producerId >= 0) groups.set(record.groupId, addPendingTransactionalOffsets(current, origin.producerId, [record]));
    else groups.set(record.groupId, applyOffsetRecords(current, [record]));
  } else if (record.type === 'GroupMetadata') {
    if (record.value === null) groups.delete(record.groupId);
    else groups.set(record.groupId, groupFromMetadata(current, record.value));
  }
}

/** A transaction marker read while loading: every group with offsets of that producer pending applies or drops them. */
export function replayGroupTransactionMarker(groups: Map<string, ClassicGroupData>, producerId: number, result: TransactionResult): void {
  for (const [groupId, group] of groups) {
    if (hasPendingTransaction(group, producerId)) groups.set(groupId, completeTransactionalOffsets(group, producerId, result));
  }
}

/** The groups regular (non-transactional) records make, in log order: the replay of tests and tools. */
export function replayGroupRecords(records: readonly GroupRecord[], nowMs: number): Map<string, ClassicGroupData> {
  const groups = new Map<string, ClassicGroupData>();
  for (const record of records) replayGroupRecord(groups, record, { producerId: -1, isTransactional: false }, nowMs);
  return groups;
}

/**
 * A group as the loader rebuilds it: classic (JoinGroup/SyncGroup) or consumer (KIP-848). One group id is one kind at a
 * time; a record of the other kind converts it, keeping its committed offsets, as Kafka converts an empty group of one
 * kind when a member of the other kind arrives (GroupMetadataManager's maybeDeleteEmptyClassicGroup and
 * maybeDeleteEmptyConsumerGroup).
 */
export type LoadedGroup = { kind: 'classic'; data: ClassicGroupData } | { kind: 'consumer'; data: ConsumerGroupData };

/** Either kind of group record, as `__consumer_offsets` holds them. */
export type AnyGroupRecord = GroupRecord | ConsumerGroupRecord;

const isConsumerGroupRecord = (record: AnyGroupRecord): record is ConsumerGroupRecord => record.type !== 'OffsetCommit' && record.type !== 'GroupMetadata';

function offsetsOf(group: LoadedGroup): Pick<ClassicGroupData, 'offsets' | 'pendingTransactionalOffsets'> {
  return { offsets: group.data.offsets, pendingTransactionalOffsets: group.data.pendingTransactionalOffsets };
}

/**
 * Replays one record into the groups of either kind being loaded. Offset commits go to whichever group holds the id (a
 * classic one is created for an unknown id, as Kafka does for commits outside any group); a consumer group ends with
 * its ConsumerGroupMetadata tombstone.
 */
export function replayAnyGroupRecord(groups: Map<string, LoadedGroup>, record: AnyGroupRecord, origin: Pick<RecordOrigin, 'producerId' | 'isTransactional'>, nowMs: number): void {
  const current = groups.get(record.groupId);
  if (isConsumerGroupRecord(record)) {
    if (record.type === 'ConsumerGroupMetadata' && record.value === null) {
      if (current?.kind === 'consumer') groups.delete(record.groupId);
      return;
    }
    const base = current?.kind === 'consumer' ? current.data : { ...emptyConsumerGroup(record.groupId), ...(current === undefined ? {} : offsetsOf(current)) };
    groups.set(record.groupId, { kind: 'consumer', data: applyConsumerGroupRecord(base, record) });
    return;
  }
  if (record.type === 'OffsetCommit' && current?.kind === 'consumer') {
    const data = origin.isTransactional && origin.producerId >= 0 ? addPendingTransactionalOffsets(current.data, origin.producerId, [record]) : applyOffsetRecords(current.data, [record]);
    groups.set(record.groupId, { kind: 'consumer', data });
    return;
  }
  if (record.type === 'GroupMetadata' && record.value === null && current?.kind === 'consumer') return;
  const classic = new Map<string, ClassicGroupData>();
  if (current?.kind === 'classic') classic.set(record.groupId, current.data);
  else if (current?.kind === 'consumer') classic.set(record.groupId, { ...emptyGroupData(record.groupId, nowMs), ...offsetsOf(current) });
  replayGroupRecord(classic, record, origin, nowMs);
  const replayed = classic.get(record.groupId);
  if (replayed === undefined) groups.delete(record.groupId);
  else groups.set(record.groupId, { kind: 'classic', data: replayed });
}

/** A transaction marker read while loading, for groups of either kind. */
export function replayAnyGroupTransactionMarker(groups: Map<string, LoadedGroup>, producerId: number, result: TransactionResult): void {
  for (const [groupId, group] of groups) {
    if (!hasPendingTransaction(group.data, producerId)) continue;
    if (group.kind === 'classic') groups.set(groupId, { kind: 'classic', data: completeTransactionalOffsets(group.data, producerId, result) });
    else groups.set(groupId, { kind: 'consumer', data: completeTransactionalOffsets(group.data, producerId, result) });
  }
}

/** The groups of either kind that regular records make, in log order: the replay of tests and tools. */
export function replayAnyGroupRecords(records: readonly AnyGroupRecord[], nowMs: number): Map<string, LoadedGroup> {
  const groups = new Map<string, LoadedGroup>();
  for (const record of records) replayAnyGroupRecord(groups, record, { producerId: -1, isTransactional: false }, nowMs);
  return groups;
}

