/**
 * Committed offsets of a group: OffsetCommit validation and records, OffsetFetch answers, and what an
 * append failure means to the committer (Kafka's OffsetMetadataManager and `appendErrorToResponseError`).
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { offsetCommitProblem, offsetKey, type ClassicGroupData, type ClassicGroupStateName, type CommittedOffset, type GroupLimits } from './classic-group.js';
import type { PendingTransactionalOffsets } from './group-txn-offsets.js';
import type { GroupEffect, OffsetCommitResponseDraft } from './group-effects.js';
import type { GroupRecord } from './group-records.js';
import { hasPendingOffset, supersedePendingOffsets } from './group-txn-offsets.js';

/**
 * What a group of either kind (classic or consumer, KIP-848) keeps of its committed offsets: Kafka keeps them apart from
 * the group's membership (OffsetMetadataManager), so the offset rules below serve both kinds.
 */
export interface GroupOffsets {
  groupId: string;
  /** Committed offsets by `topic-partition`. */
  offsets: Record<string, CommittedOffset>;
  /** Transactional offsets written but not yet decided by their transaction's marker (KIP-98), by producer id. */
  pendingTransactionalOffsets: PendingTransactionalOffsets;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The per-partition half of a commit, regular or transactional: each partition gets the whole request's problem, or
 * its own (metadata above offset.metadata.max.bytes, a negative index), or becomes an OffsetCommit record.
 */
export function draftOffsetCommit(
  groupId: string,
  topics: RequestBody<'offsetCommit'>['topics'],
  problem: ErrorName | undefined,
  limits: GroupLimits,
  nowMs: number,
): { records: GroupRecord[]; draft: OffsetCommitResponseDraft } {
  const records: GroupRecord[] = [];
  const draft: OffsetCommitResponseDraft = {
    topics: topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => {
        let errorName: ErrorName = problem ?? 'NONE';
        if (errorName === 'NONE' && utf8Bytes(partition.committedMetadata ?? '') > limits.offsetMetadataMaxBytes) errorName = 'OFFSET_METADATA_TOO_LARGE';
        // No partition has a negative index; kept, its key `topic--1` would read back as topic `topic-`, partition 1.
        if (errorName === 'NONE' && partition.partitionIndex < 0) errorName = 'UNKNOWN_TOPIC_OR_PARTITION';
        if (errorName === 'NONE') {
          const value: CommittedOffset = {
            offset: partition.committedOffset,
            leaderEpoch: partition.committedLeaderEpoch,
            metadata: partition.committedMetadata ?? '',
            commitTimestampMs: nowMs,
          };
          records.push({ type: 'OffsetCommit', groupId, topic: topic.name, partition: partition.partitionIndex, value });
        }
        return { partitionIndex: partition.partitionIndex, errorCode: errorByName(errorName).code };
      }),
    })),
  };
  return { records, draft };
}

/**
 * Validates a commit as a whole, then per partition (metadata above offset.metadata.max.bytes is refused
 * alone); the accepted partitions become OffsetCommit records whose append answers the request.
 */
export function prepareOffsetCommit(
  group: ClassicGroupData | undefined,
  state: ClassicGroupStateName | undefined,
  groupId: string,
  ref: RequestRef,
  request: RequestBody<'offsetCommit'>,
  limits: GroupLimits,
  nowMs: number,
): GroupEffect[] {
  return offsetCommitEffects(groupId, ref, request, offsetCommitProblem(group, state, request), limits, nowMs);
}

/** A commit the group validated (`problem` refuses it whole): answered at once, or its accepted partitions appended. Either kind of group. */
export function offsetCommitEffects(groupId: string, ref: RequestRef, request: RequestBody<'offsetCommit'>, problem: ErrorName | undefined, limits: GroupLimits, nowMs: number): GroupEffect[] {
  const { records, draft } = draftOffsetCommit(groupId, request.topics, problem, limits, nowMs);
  if (records.length === 0) return [{ kind: 'respond', ref, body: { throttleTimeMs: 0, topics: draft.topics } satisfies ResponseBody<'offsetCommit'> }];
  return [{ kind: 'append', records, purpose: { kind: 'offsetCommit', ref, response: draft } }];
}

/** Kafka's mapping of a failed append to what the committer should do (retry elsewhere, or give up). */
export function appendErrorForCommit(errorName: ErrorName): ErrorName {
  switch (errorName) {
    // A transactional commit's producer was fenced or is unknown to the partition: the producer must hear it as it is.
    case 'INVALID_PRODUCER_EPOCH':
    case 'PRODUCER_FENCED':
    case 'INVALID_TXN_STATE':
    case 'INVALID_PRODUCER_ID_MAPPING':
      return errorName;
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
    case 'REQUEST_TIMED_OUT':
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'MESSAGE_TOO_LARGE':
    case 'RECORD_LIST_TOO_LARGE':
    case 'INVALID_FETCH_SIZE':
      return 'INVALID_COMMIT_OFFSET_SIZE';
    default:
      return 'UNKNOWN_SERVER_ERROR';
  }
}

/** The answer to a commit whose append failed: every partition that was to be written gets the mapped error. */
export function failedCommitAnswer(draft: OffsetCommitResponseDraft, errorName: ErrorName): ResponseBody<'offsetCommit'> {
  return commitAnswerWithError(draft, appendErrorForCommit(errorName));
}

/** The answer to a commit whose partitions that were to be written all get `errorName`. */
export function commitAnswerWithError(draft: OffsetCommitResponseDraft, errorName: ErrorName): ResponseBody<'offsetCommit'> {
  const code = errorByName(errorName).code;
  return {
    throttleTimeMs: 0,
    topics: draft.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ ...partition, errorCode: partition.errorCode === 0 ? code : partition.errorCode })) })),
  };
}

/** Applies OffsetCommit records (including tombstones) to the group's offsets: the replay of commits. */
export function applyOffsetRecords<G extends GroupOffsets>(group: G, records: readonly GroupRecord[]): G {
  const offsets = { ...group.offsets };
  const written: string[] = [];
  for (const record of records) {
    if (record.type !== 'OffsetCommit') continue;
    const key = offsetKey(record.topic, record.partition);
    if (record.value === null) delete offsets[key];
    else offsets[key] = record.value;
    written.push(key);
  }
  // A regular commit is later in the log than the transactional offsets already pending for the partition: it wins.
  return { ...group, offsets, pendingTransactionalOffsets: supersedePendingOffsets(group.pendingTransactionalOffsets, written) };
}

/** OffsetFetch: the committed offset of each asked partition (-1 when none), or of every committed one. */
export function offsetFetchAnswer(group: GroupOffsets | undefined, request: RequestBody<'offsetFetch'>): ResponseBody<'offsetFetch'> {
  const offsets = group?.offsets ?? {};
  // Pending transactional offsets are never shown; a consumer that asks for stable offsets (KIP-447) is told to retry
  // while a transaction may still change a partition's offset (Kafka's OffsetMetadataManager.fetchOffsets).
  const unstable = (topic: string, partition: number) => request.requireStable && group !== undefined && hasPendingOffset(group, topic, partition);
  if (request.topics === null) {
    const byTopic = new Map<string, ResponseBody<'offsetFetch'>['topics'][number]['partitions']>();
    for (const [key, committed] of Object.entries(offsets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const separator = key.lastIndexOf('-');
      const topic = key.slice(0, separator);
      const partitions = byTopic.get(topic) ?? [];
      const partitionIndex = Number(key.slice(separator + 1));
      partitions.push(
        unstable(topic, partitionIndex)
          ? { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: errorByName('UNSTABLE_OFFSET_COMMIT').code }
          : { partitionIndex, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch, metadata: committed.metadata, errorCode: 0 },
      );
      byTopic.set(topic, partitions);
    }
    return { throttleTimeMs: 0, errorCode: 0, topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) })) };
  }
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => {
        const committed = offsets[offsetKey(topic.name, partitionIndex)];
        if (unstable(topic.name, partitionIndex)) return { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: errorByName('UNSTABLE_OFFSET_COMMIT').code };
        return {
          partitionIndex,
          committedOffset: committed?.offset ?? -1,
          committedLeaderEpoch: committed?.leaderEpoch ?? -1,
          metadata: committed === undefined ? null : committed.metadata,
          errorCode: 0,
        };
      }),
    })),
  };
}

/** The tombstones that delete a group: its metadata and every committed offset. */
export function deletionRecords(group: GroupOffsets): GroupRecord[] {
  const records: GroupRecord[] = [{ type: 'GroupMetadata', groupId: group.groupId, value: null }];
  for (const key of Object.keys(group.offsets)) {
    const separator = key.lastIndexOf('-');
    records.push({ type: 'OffsetCommit', groupId: group.groupId, topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)), value: null });
  }
  return records;
}
