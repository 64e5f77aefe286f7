import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { AppendPurpose } from './group-effects.js';
import { reportDeletionAppended, unwrittenAppendAnswers, withoutToken, type PendingGroupAppend } from './group-pending-appends.js';

const refOf = (api: RequestRef['api'], correlationId: number): RequestRef => ({ connectionId: 'client', correlationId, api, version: 0, remoteAddress: '/client' });
const draft = { topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] };

describe('unwrittenAppendAnswers', () => {
  it('answers each offset request with the error, tells the waiting DeleteGroups, and lets the group kind answer its own purposes', () => {
    const pending: Record<number, PendingGroupAppend<AppendPurpose | { kind: 'heartbeat'; ref: RequestRef }, unknown>> = {
      1: { purpose: { kind: 'offsetCommit', ref: refOf('offsetCommit', 1), response: draft }, records: [], deletionToken: null },
      2: { purpose: { kind: 'txnOffsetCommit', ref: refOf('txnOffsetCommit', 2), response: draft, producerId: 7 }, records: [], deletionToken: null },
      3: { purpose: { kind: 'offsetDelete', ref: refOf('offsetDelete', 3), response: draft }, records: [], deletionToken: null },
      4: { purpose: { kind: 'groupDeletion' }, records: [], deletionToken: 42 },
      5: { purpose: { kind: 'heartbeat', ref: refOf('consumerGroupHeartbeat', 5) }, records: [], deletionToken: null },
    };
    const deletions: Array<[number, string]> = [];
    const answers = unwrittenAppendAnswers(pending, 'NOT_COORDINATOR', (token, errorName) => deletions.push([token, errorName]), (purpose) =>
      purpose.kind === 'heartbeat' ? { kind: 'respond', ref: purpose.ref, body: 'refused' } : null,
    );
    const code = errorByName('NOT_COORDINATOR').code;
    expect(answers.map((answer) => answer.ref.correlationId)).toEqual([1, 2, 3, 5]);
    expect(answers[0]?.body).toMatchObject({ topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: code }] }] });
    expect(answers[1]?.body).toMatchObject({ topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: code }] }] });
    expect(answers[3]?.body).toBe('refused');
    expect(deletions).toEqual([[42, 'NOT_COORDINATOR']]);
  });

  it('withoutToken forgets only the completed append', () => {
    expect(withoutToken({ 1: 'a', 2: 'b' }, 1)).toEqual({ 2: 'b' });
  });

  it('reportDeletionAppended tells the waiting DeleteGroups NONE once written, COORDINATOR_NOT_AVAILABLE when not, and no one for other appends', () => {
    const told: Array<[number, string]> = [];
    const deletionDone = (token: number, errorName: string) => told.push([token, errorName]);
    reportDeletionAppended({ purpose: null, records: [], deletionToken: 7 }, { ok: true }, deletionDone);
    reportDeletionAppended({ purpose: null, records: [], deletionToken: 8 }, { ok: false, errorName: 'NOT_LEADER_OR_FOLLOWER' }, deletionDone);
    reportDeletionAppended({ purpose: null, records: [], deletionToken: null }, { ok: true }, deletionDone);
    reportDeletionAppended(undefined, { ok: true }, deletionDone);
    expect(told).toEqual([
      [7, 'NONE'],
      [8, 'COORDINATOR_NOT_AVAILABLE'],
    ]);
  });
});
