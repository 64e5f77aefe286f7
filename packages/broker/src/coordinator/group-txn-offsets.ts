/**
 * Transactional offset commits of a group (KIP-98, KIP-447; Kafka's OffsetMetadataManager): TxnOffsetCommit is
 * validated like a member's commit, so a zombie producer-consumer of an old generation is refused; its offsets are
 * written to `__consumer_offsets` in a transactional batch and kept pending per producer until that producer's
 * COMMIT or ABORT marker is written or replayed on the partition. COMMIT applies them, ABORT drops them; OffsetFetch
 * never shows them, and with requireStable answers UNSTABLE_OFFSET_COMMIT for a partition that has some.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import type { TransactionResult } from '../coordinator-runtime/coordinator-shard.js';
import { memberProblem, offsetKey, type ClassicGroupData, type ClassicGroupStateName, type CommittedOffset, type GroupLimits } from './classic-group.js';
import type { GroupEffect, OffsetCommitResponseDraft } from './group-effects.js';
import { draftOffsetCommit, type GroupOffsets } from './group-offsets.js';
import type { GroupRecord } from './group-records.js';

/** A transactional offset waiting for its transaction's marker. */
export interface PendingTransactionalOffset {
  value: CommittedOffset;
  /**
   * A regular commit of the same partition was written after it: the later record wins when the transaction commits
   * (Kafka compares the two records' offsets in the log), so this one is then dropped.
   */
  superseded: boolean;
}

/** Pending offsets by producer id, then by `topic-partition`. */
export type PendingTransactionalOffsets = Record<string, Record<string, PendingTransactionalOffset>>;

/**
 * Kafka's ClassicGroup.validateOffsetCommit with isTransactional = true: a Dead group is not served, a commit outside any
 * generation is accepted by an Empty group, a member must be known (an older static incarnation is fenced) and of the
 * current generation; unlike a regular commit, one without member id and generation (older clients) is accepted in any
 * state, and a group completing its rebalance accepts it.
 */
export function txnOffsetCommitProblem(group: ClassicGroupData | undefined, state: ClassicGroupStateName | undefined, request: RequestBody<'txnOffsetCommit'>): ErrorName | undefined {
  if (state === 'Dead') return 'COORDINATOR_NOT_AVAILABLE';
  const { generationId } = request;
  if (group === undefined) return generationId < 0 ? undefined : 'ILLEGAL_GENERATION';
  if (generationId < 0 && state === 'Empty') return undefined;
  if (generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
    const member = memberProblem(group, request.memberId, request.groupInstanceId);
    if (member !== undefined) return member;
    if (generationId !== group.generationId) return 'ILLEGAL_GENERATION';
  }
  return undefined;
}

/**
 * Validates a transactional commit as a whole, then per partition as a regular one (metadata above
 * offset.metadata.max.bytes is refused alone); the accepted partitions are appended as one transactional batch of the
 * producer, and become pending once it is written.
 */
export function prepareTxnOffsetCommit(
  group: ClassicGroupData | undefined,
  state: ClassicGroupStateName | undefined,
  ref: RequestRef,
  request: RequestBody<'txnOffsetCommit'>,
  limits: GroupLimits,
  nowMs: number,
): GroupEffect[] {
  return txnOffsetCommitEffects(ref, request, txnOffsetCommitProblem(group, state, request), limits, nowMs);
}

/** A transactional commit the group validated (`problem` refuses it whole): answered at once, or appended in the producer's transaction. Either kind of group. */
export function txnOffsetCommitEffects(ref: RequestRef, request: RequestBody<'txnOffsetCommit'>, problem: ErrorName | undefined, limits: GroupLimits, nowMs: number): GroupEffect[] {
  const { records, draft } = draftOffsetCommit(request.groupId, request.topics, problem, limits, nowMs);
  if (records.length === 0) return [{ kind: 'respond', ref, body: { throttleTimeMs: 0, topics: draft.topics } satisfies ResponseBody<'txnOffsetCommit'> }];
  return [{ kind: 'append', records, transactional: { producerId: request.producerId, producerEpoch: request.producerEpoch }, purpose: { kind: 'txnOffsetCommit', ref, response: draft, producerId: request.producerId } }];
}

/** The appended transactional offsets of `producerId` become pending (a later one of the same partition replaces an earlier one). */
export function addPendingTransactionalOffsets<G extends GroupOffsets>(group: G, producerId: number, records: readonly GroupRecord[]): G {
  const producer = { ...(group.pendingTransactionalOffsets[String(producerId)] ?? {}) };
  for (const record of records) {
    if (record.type !== 'OffsetCommit' || record.value === null) continue;
    producer[offsetKey(record.topic, record.partition)] = { value: record.value, superseded: false };
  }
  return { ...group, pendingTransactionalOffsets: { ...group.pendingTransactionalOffsets, [String(producerId)]: producer } };
}

/** A regular commit of `keys` was applied: pending transactional offsets of those partitions are older than it. */
export function supersedePendingOffsets(pending: PendingTransactionalOffsets, keys: readonly string[]): PendingTransactionalOffsets {
  if (keys.length === 0 || Object.keys(pending).length === 0) return pending;
  const result: PendingTransactionalOffsets = {};
  for (const [producerId, offsets] of Object.entries(pending)) {
    const copy = { ...offsets };
    for (const key of keys) {
      const entry = copy[key];
      if (entry !== undefined) copy[key] = { ...entry, superseded: true };
    }
    result[producerId] = copy;
  }
  return result;
}

/** Whether `producerId` has offsets pending in this group (its marker concerns the group). */
export function hasPendingTransaction(group: GroupOffsets, producerId: number): boolean {
  return group.pendingTransactionalOffsets[String(producerId)] !== undefined;
}

/** The marker of `producerId`'s transaction: COMMIT applies its pending offsets (unless a later regular commit won), ABORT drops them. */
export function completeTransactionalOffsets<G extends GroupOffsets>(group: G, producerId: number, result: TransactionResult): G {
  const producer = group.pendingTransactionalOffsets[String(producerId)];
  if (producer === undefined) return group;
  const pendingTransactionalOffsets = { ...group.pendingTransactionalOffsets };
  delete pendingTransactionalOffsets[String(producerId)];
  if (result === 'ABORT') return { ...group, pendingTransactionalOffsets };
  const offsets = { ...group.offsets };
  for (const [key, entry] of Object.entries(producer)) if (!entry.superseded) offsets[key] = entry.value;
  return { ...group, offsets, pendingTransactionalOffsets };
}

/** Whether some producer has an offset of `topic-partition` pending (OffsetFetch with requireStable answers UNSTABLE_OFFSET_COMMIT). */
export function hasPendingOffset(group: GroupOffsets, topic: string, partition: number): boolean {
  const key = offsetKey(topic, partition);
  return Object.values(group.pendingTransactionalOffsets).some((offsets) => offsets[key] !== undefined);
}

/** The answer to a transactional commit whose append failed (Kafka maps the error as for a regular commit). */
export function txnCommitAnswerWithError(draft: OffsetCommitResponseDraft, errorName: ErrorName): ResponseBody<'txnOffsetCommit'> {
  const code = errorByName(errorName).code;
  return {
    throttleTimeMs: 0,
    topics: draft.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ ...partition, errorCode: partition.errorCode === 0 ? code : partition.errorCode })) })),
  };
}
