/** Kafka's TransactionManager handlers' answers to each error of the transaction APIs, one row per case. */
import type { ErrorName } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { decideTransactionalError, type TransactionalApi } from './transactional-errors.js';

describe('decideTransactionalError', () => {
  it("retries AddPartitionsToTxn answered CONCURRENT_TRANSACTIONS after Kafka's 20 ms, other retries after retry.backoff.ms (KAFKA-5477)", () => {
    expect(decideTransactionalError('addPartitionsToTxn', 'CONCURRENT_TRANSACTIONS')).toEqual({ kind: 'retry', backoffMs: 20 });
    expect(decideTransactionalError('endTxn', 'CONCURRENT_TRANSACTIONS')).toEqual({ kind: 'retry' });
    expect(decideTransactionalError('addOffsetsToTxn', 'CONCURRENT_TRANSACTIONS')).toEqual({ kind: 'retry' });
  });

  it.each<[TransactionalApi, ErrorName, string]>([
    ['addPartitionsToTxn', 'NONE', 'done'],
    ['addPartitionsToTxn', 'NOT_COORDINATOR', 'lookupCoordinator'],
    ['endTxn', 'COORDINATOR_NOT_AVAILABLE', 'lookupCoordinator'],
    ['addPartitionsToTxn', 'CONCURRENT_TRANSACTIONS', 'retry'],
    ['endTxn', 'COORDINATOR_LOAD_IN_PROGRESS', 'retry'],
    ['txnOffsetCommit', 'REQUEST_TIMED_OUT', 'lookupCoordinator'],
    ['txnOffsetCommit', 'UNKNOWN_TOPIC_OR_PARTITION', 'retry'],
    ['addPartitionsToTxn', 'INVALID_PRODUCER_EPOCH', 'fatal:PRODUCER_FENCED'],
    ['endTxn', 'PRODUCER_FENCED', 'fatal:PRODUCER_FENCED'],
    ['addOffsetsToTxn', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'fatal:TRANSACTIONAL_ID_AUTHORIZATION_FAILED'],
    ['endTxn', 'INVALID_TXN_STATE', 'fatal:INVALID_TXN_STATE'],
    ['endTxn', 'UNKNOWN_PRODUCER_ID', 'abortable:UNKNOWN_PRODUCER_ID'],
    ['addPartitionsToTxn', 'TOPIC_AUTHORIZATION_FAILED', 'abortable:TOPIC_AUTHORIZATION_FAILED'],
    ['addOffsetsToTxn', 'GROUP_AUTHORIZATION_FAILED', 'abortable:GROUP_AUTHORIZATION_FAILED'],
    ['txnOffsetCommit', 'ILLEGAL_GENERATION', 'abortable:ILLEGAL_GENERATION'],
    ['txnOffsetCommit', 'UNKNOWN_MEMBER_ID', 'abortable:UNKNOWN_MEMBER_ID'],
    ['txnOffsetCommit', 'FENCED_INSTANCE_ID', 'abortable:FENCED_INSTANCE_ID'],
    ['endTxn', 'TRANSACTION_ABORTABLE', 'abortable:TRANSACTION_ABORTABLE'],
    ['endTxn', 'INVALID_REQUEST', 'fatal:INVALID_REQUEST'],
    ['findCoordinator', 'COORDINATOR_NOT_AVAILABLE', 'retry'],
  ])('%s answered %s: %s', (api, errorName, expected) => {
    const action = decideTransactionalError(api, errorName);
    expect('errorName' in action ? `${action.kind}:${action.errorName}` : action.kind).toBe(expected);
  });
});
