/**
 * What a transactional producer does with each error of the transaction APIs, as Kafka's TransactionManager request
 * handlers decide it (AddPartitionsToTxnHandler, AddOffsetsToTxnHandler, TxnOffsetCommitHandler, EndTxnHandler,
 * FindCoordinatorHandler): look the coordinator up again and retry, retry as it is, or move the producer to
 * ABORTABLE_ERROR (the application aborts the transaction and goes on) or FATAL_ERROR (fenced: only close() is left).
 */
import type { ErrorName } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';

export type TransactionalApi = 'findCoordinator' | 'addPartitionsToTxn' | 'addOffsetsToTxn' | 'txnOffsetCommit' | 'endTxn';

export type TransactionalErrorAction =
  | { readonly kind: 'done' }
  /** The coordinator moved or is not available: find it again, then retry. */
  | { readonly kind: 'lookupCoordinator' }
  /** `backoffMs`: a shorter wait than retry.backoff.ms for this retry (the smaller of the two is used). */
  | { readonly kind: 'retry'; readonly backoffMs?: number }
  /** Both old-epoch answers mean a newer producer with the same transactional.id fenced this one (Kafka reports PRODUCER_FENCED). */
  | { readonly kind: 'fatal'; readonly errorName: ErrorName }
  | { readonly kind: 'abortable'; readonly errorName: ErrorName };

/**
 * Kafka's TransactionManager retries an AddPartitionsToTxn answered CONCURRENT_TRANSACTIONS after at most 20 ms instead of
 * retry.backoff.ms (100 ms; KAFKA-5477): the previous transaction's markers are being written and finish within
 * milliseconds, and every transaction's first AddPartitionsToTxn would otherwise wait the full backoff.
 */
export const ADD_PARTITIONS_RETRY_BACKOFF_MS = 20;

const FENCED: ReadonlySet<ErrorName> = new Set<ErrorName>(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

export function decideTransactionalError(api: TransactionalApi, errorName: ErrorName): TransactionalErrorAction {
  if (errorName === 'NONE') return { kind: 'done' };
  if (errorName === 'COORDINATOR_NOT_AVAILABLE' || errorName === 'NOT_COORDINATOR' || (api === 'txnOffsetCommit' && errorName === 'REQUEST_TIMED_OUT')) {
    return api === 'findCoordinator' ? { kind: 'retry' } : { kind: 'lookupCoordinator' };
  }
  if (errorName === 'TRANSACTION_ABORTABLE') return { kind: 'abortable', errorName };
  if (FENCED.has(errorName) && api !== 'findCoordinator') return { kind: 'fatal', errorName: 'PRODUCER_FENCED' };
  if (api === 'addPartitionsToTxn' && errorName === 'CONCURRENT_TRANSACTIONS') return { kind: 'retry', backoffMs: ADD_PARTITIONS_RETRY_BACKOFF_MS };
  if (errorByName(errorName).retriable || (api === 'txnOffsetCommit' && errorName === 'UNKNOWN_TOPIC_OR_PARTITION')) return { kind: 'retry' };
  if (errorName === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED') return { kind: 'fatal', errorName };
  switch (api) {
    case 'addPartitionsToTxn':
    case 'addOffsetsToTxn':
    case 'endTxn':
      if (errorName === 'INVALID_TXN_STATE') return { kind: 'fatal', errorName };
      // Kafka's abortableErrorIfPossible: the coordinator lost the producer's id; abort, and the epoch is bumped.
      if (errorName === 'UNKNOWN_PRODUCER_ID' || errorName === 'INVALID_PRODUCER_ID_MAPPING') return { kind: 'abortable', errorName };
      if (api === 'addPartitionsToTxn' && errorName === 'TOPIC_AUTHORIZATION_FAILED') return { kind: 'abortable', errorName };
      if (api === 'addOffsetsToTxn' && errorName === 'GROUP_AUTHORIZATION_FAILED') return { kind: 'abortable', errorName };
      return { kind: 'fatal', errorName };
    case 'txnOffsetCommit':
      // KIP-447: a consumer fenced out of its generation cannot commit in this transaction; abort it and go on.
      if (errorName === 'GROUP_AUTHORIZATION_FAILED' || errorName === 'FENCED_INSTANCE_ID' || errorName === 'UNKNOWN_MEMBER_ID' || errorName === 'ILLEGAL_GENERATION') {
        return { kind: 'abortable', errorName };
      }
      return { kind: 'fatal', errorName };
    case 'findCoordinator':
      if (errorName === 'GROUP_AUTHORIZATION_FAILED') return { kind: 'abortable', errorName };
      return { kind: 'fatal', errorName };
  }
}
