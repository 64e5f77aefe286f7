/**
 * What a group handler asks the actor to do besides changing the group: answer requests, start or cancel
 * timers, and append records to `__consumer_offsets`. Handlers return effects instead of doing them, so
 * they stay pure and the statechart performs them in order (see group.machine.ts `perform`).
 */
import type { RequestRef } from '@kactor/runtime';
import type { GroupRecord } from './group-records.js';
import type { StaticReplacement } from './static-members.js';
import type { TransactionalWrite } from '../coordinator-runtime/coordinator-shard.js';

export type GroupTimerEvent =
  | { type: 'timer.sessionExpired'; memberId: string }
  | { type: 'timer.pendingMemberExpired'; memberId: string }
  | { type: 'timer.newMemberJoinExpired'; memberId: string }
  | { type: 'timer.pendingSyncExpired'; generationId: number };

/** Why records are appended, so their completion can be matched to what waits on it. */
export type AppendPurpose =
  | { kind: 'offsetCommit'; ref: RequestRef; response: OffsetCommitResponseDraft }
  /** TxnOffsetCommit (KIP-98): once written, the offsets are pending under the producer until its transaction's marker. */
  | { kind: 'txnOffsetCommit'; ref: RequestRef; response: OffsetCommitResponseDraft; producerId: number }
  | { kind: 'groupMetadata'; generationId: number }
  | { kind: 'groupDeletion' }
  /** OffsetDelete's tombstones (KIP-496): the request waits for them; the draft has one outcome per asked partition. */
  | { kind: 'offsetDelete'; ref: RequestRef; response: OffsetCommitResponseDraft }
  /** A restarted static member replaced in Stable without a rebalance (KIP-345): its JoinGroup waits for this append. */
  | { kind: 'staticReplacement'; replacement: StaticReplacement };

/** An OffsetCommit (or OffsetDelete) answer per partition, filled in once the records are appended. */
export interface OffsetCommitResponseDraft {
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}

export type GroupEffect =
  | { kind: 'respond'; ref: RequestRef; body: unknown }
  | { kind: 'startTimer'; event: GroupTimerEvent; delayMs: number }
  | { kind: 'cancelTimer'; event: GroupTimerEvent }
  | { kind: 'append'; records: GroupRecord[]; purpose: AppendPurpose; transactional?: TransactionalWrite };

/** One id per timer subject, so starting a timer again replaces it (Kafka's keyed timers). */
export function timerId(event: GroupTimerEvent): string {
  switch (event.type) {
    case 'timer.sessionExpired':
      return `session-${event.memberId}`;
    case 'timer.pendingMemberExpired':
      return `pending-member-${event.memberId}`;
    case 'timer.newMemberJoinExpired':
      return `new-member-join-${event.memberId}`;
    case 'timer.pendingSyncExpired':
      return 'pending-sync';
  }
}

export interface Outcome<G> {
  group: G;
  effects: GroupEffect[];
}
