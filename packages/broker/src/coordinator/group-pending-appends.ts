/**
 * The appends a group actor waits on, by token, shared by classic groups (group.setup.ts) and KIP-848 consumer groups
 * (consumer/consumer-group.setup.ts): both write their records to `__consumer_offsets` with acks=all and answer the
 * request behind an append only once it is written, or with an error when it never will be (the group is deleted,
 * stopped or moved).
 */
import type { ErrorName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import type { AppendResult } from '../coordinator-runtime/coordinator-shard.js';
import type { AppendPurpose } from './group-effects.js';
import { failedOffsetDeleteAnswer } from './group-offset-delete.js';
import { commitAnswerWithError } from './group-offsets.js';
import { txnCommitAnswerWithError } from './group-txn-offsets.js';

/** One append being written: why, what, and the DeleteGroups waiting on it (if any). */
export interface PendingGroupAppend<Purpose, AppendRecord> {
  purpose: Purpose;
  records: AppendRecord[];
  deletionToken: number | null;
}

/** The errors an unwritten append's requests hear: COORDINATOR_NOT_AVAILABLE (deleted, stopped) or NOT_COORDINATOR (moved). */
export type UnwrittenAppendError = 'COORDINATOR_NOT_AVAILABLE' | 'NOT_COORDINATOR';

export interface RespondEffect {
  kind: 'respond';
  ref: RequestRef;
  body: unknown;
}

/** The pending appends without the one of `token` (it completed). */
export function withoutToken<Pending>(pending: Record<number, Pending>, token: number): Record<number, Pending> {
  const copy = { ...pending };
  delete copy[token];
  return copy;
}

/** A DeleteGroups waiting on the append that completed (if it was one) hears how it went: NONE once written, else COORDINATOR_NOT_AVAILABLE. */
export function reportDeletionAppended(pending: PendingGroupAppend<unknown, unknown> | undefined, result: AppendResult, deletionDone: (token: number, errorName: ErrorName) => void): void {
  if (pending?.deletionToken == null) return;
  deletionDone(pending.deletionToken, result.ok ? 'NONE' : 'COORDINATOR_NOT_AVAILABLE');
}

/**
 * Tells every DeleteGroups waiting on an append that it failed with `errorName`, and returns the answers of the offset
 * requests (OffsetCommit, TxnOffsetCommit, OffsetDelete) that waited on one; `otherAnswer` answers the group kind's own
 * purposes (a consumer group's heartbeats).
 */
export function unwrittenAppendAnswers<Purpose extends { kind: string }>(
  pendingAppends: Record<number, PendingGroupAppend<Purpose, unknown>>,
  errorName: UnwrittenAppendError,
  deletionDone: (token: number, errorName: UnwrittenAppendError) => void,
  otherAnswer: (purpose: Purpose) => RespondEffect | null = () => null,
): RespondEffect[] {
  const answers: RespondEffect[] = [];
  for (const pending of Object.values(pendingAppends)) {
    if (pending.deletionToken !== null) deletionDone(pending.deletionToken, errorName);
    const answer = isOffsetPurpose(pending.purpose) ? offsetAnswer(pending.purpose, errorName) : otherAnswer(pending.purpose);
    if (answer !== null) answers.push(answer);
  }
  return answers;
}

type OffsetPurpose = Extract<AppendPurpose, { kind: 'offsetCommit' | 'txnOffsetCommit' | 'offsetDelete' }>;

const OFFSET_PURPOSE_KINDS: ReadonlySet<string> = new Set<OffsetPurpose['kind']>(['offsetCommit', 'txnOffsetCommit', 'offsetDelete']);

/** Both group kinds take these purposes from AppendPurpose (consumer-group-effects.ts ConsumerAppendPurpose), so the kind says the shape. */
function isOffsetPurpose(purpose: { kind: string }): purpose is OffsetPurpose {
  return OFFSET_PURPOSE_KINDS.has(purpose.kind);
}

function offsetAnswer(purpose: OffsetPurpose, errorName: UnwrittenAppendError): RespondEffect {
  switch (purpose.kind) {
    case 'offsetCommit':
      return { kind: 'respond', ref: purpose.ref, body: commitAnswerWithError(purpose.response, errorName) };
    case 'txnOffsetCommit':
      return { kind: 'respond', ref: purpose.ref, body: txnCommitAnswerWithError(purpose.response, errorName) };
    case 'offsetDelete':
      return { kind: 'respond', ref: purpose.ref, body: failedOffsetDeleteAnswer(errorName) };
  }
}
