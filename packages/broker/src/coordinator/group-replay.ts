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
    if (origin.isTransactional && origin.producerId >= 0) groups.set(record.groupId, addPendingTransactionalOffsets(current, origin.producerId, [record]));
    else groups.set(record.groupId, applyOffsetRecords(current, [record]));
  } else if (record.value === null) {
    groups.delete(record.groupId);
  } else {
    groups.set(record.groupId, groupFromMetadata(current, record.value));
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
