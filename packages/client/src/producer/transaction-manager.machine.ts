/**
 * The producer's TransactionManager statechart (Kafka's `TransactionManager.State`, KIP-98, KIP-360): what the
 * producer may do with its producer id and epoch. It owns the decisions: when InitProducerId is sent and retried,
 * what an InitProducerId error or a failed batch does to the producer, when the idempotent producer bumps its epoch
 * (or asks for a new id), and whether send(), beginTransaction(), commitTransaction() or abortTransaction() are
 * allowed now (`snapshot.can(event)`). The host class (transaction-manager.ts) executes: it sends the requests the
 * machine asks for with its emitted events and reports their answers as events.
 *
 * The transitions are Kafka's `State.isTransitionValid`: UNINITIALIZED from READY or ABORTABLE_ERROR; INITIALIZING
 * from UNINITIALIZED or ABORTING_TRANSACTION; READY from INITIALIZING, COMMITTING_TRANSACTION or
 * ABORTING_TRANSACTION; IN_TRANSACTION from READY; COMMITTING_TRANSACTION from IN_TRANSACTION;
 * ABORTING_TRANSACTION from IN_TRANSACTION or ABORTABLE_ERROR; ABORTABLE_ERROR from IN_TRANSACTION,
 * COMMITTING_TRANSACTION, ABORTABLE_ERROR or INITIALIZING; FATAL_ERROR from anywhere, and never left.
 *
 * An idempotent producer (no transactional.id) only runs UNINITIALIZED -> INITIALIZING -> READY, bumps its epoch
 * in READY when a sequence cannot be resolved (KIP-360: locally, the leader accepts a higher epoch starting at
 * sequence 0), and goes back to UNINITIALIZED for a new id when the epoch is used up.
 */
import { assign, emit, setup } from 'xstate';
import type { ErrorName } from '@kactor/protocol';
import { KafkaProtocolError } from '@kactor/protocol';
import { ProducerFencedError } from '../errors.js';
import { NO_PRODUCER_ID_AND_EPOCH, type ProducerIdAndEpoch } from './producer-batch.js';
import { isFatalProducerError, MAX_PRODUCER_EPOCH } from './partition-sequences.js';

export interface TransactionManagerInput {
  /** transactional.id, or null for an idempotent producer. */
  transactionalId: string | null;
  /** retry.backoff.ms: the wait before a failed InitProducerId is sent again (Kafka's TxnRequestHandler backoff). */
  retryBackoffMs: number;
}

export interface TransactionManagerContext extends TransactionManagerInput {
  producerIdAndEpoch: ProducerIdAndEpoch;
  /** Why the producer is in ABORTABLE_ERROR or FATAL_ERROR (Kafka's `lastError`); null otherwise. */
  lastError: Error | null;
  /**
   * A transactional producer's sequences or id were lost in this transaction (KIP-360, Kafka's epochBumpRequired):
   * once it is aborted, InitProducerId with the current id and epoch bumps the epoch before the next one.
   */
  epochBumpRequired: boolean;
}

/** How an InitProducerId went wrong: the answer's error, or no answer (disconnection, timeout: retriable). */
export interface InitProducerIdFailure {
  readonly errorName: ErrorName;
  readonly retriable: boolean;
  readonly message: string;
}

export type TransactionManagerEvent =
  /** The sender has batches and the idempotent producer no id: get one (Kafka's bumpIdempotentEpochAndResetIdIfNeeded). */
  | { type: 'producerId.needed' }
  /** initTransactions() (transactional producers). */
  | { type: 'initTransactions.requested' }
  | { type: 'initProducerId.succeeded'; producerId: number; producerEpoch: number }
  | { type: 'initProducerId.failed'; failure: InitProducerIdFailure }
  /** A partition's sequence cannot be resolved (KIP-360): bump the idempotent producer's epoch before the next drain. */
  | { type: 'epochBump.required' }
  /** A batch failed for good with this error. */
  | { type: 'batch.failed'; errorName: ErrorName; error: Error }
  /** Something the producer cannot recover from, found by the host. */
  | { type: 'error.fatal'; error: Error }
  /** The batches of an authorization error were failed: the idempotent producer starts over (Kafka's transitionToUninitialized). */
  | { type: 'abortableError.handled' }
  /**
   * Asked with `snapshot.can`, never sent: whether send() is allowed now. An idempotent producer accepts records while
   * it gets its id; a transactional one only inside a transaction.
   */
  | { type: 'send.requested' }
  /** Asked with `snapshot.can`, never sent: whether sendOffsetsToTransaction() is allowed now. */
  | { type: 'offsets.requested' }
  | { type: 'transaction.begin' }
  | { type: 'transaction.commit' }
  | { type: 'transaction.abort' }
  /** The transaction coordinator answered EndTxn (or there was nothing to end). */
  | { type: 'transaction.completed' }
  /**
   * A request of the transaction failed with an error the application can recover from by aborting; `bumpEpoch` when
   * the producer's id or sequences were lost with it (Kafka's abortableErrorIfPossible).
   */
  | { type: 'transaction.failed'; error: Error; bumpEpoch?: boolean };

export type TransactionManagerEmitted =
  /** Send InitProducerId with these fields (to any broker without a transactional id, else to the transaction coordinator). */
  | { type: 'initProducerId.send'; transactionalId: string | null; producerId: number; producerEpoch: number }
  /** The producer has a new id or epoch; `bumped` when it is a KIP-360 epoch bump of the same id. */
  | { type: 'producerId.assigned'; producerIdAndEpoch: ProducerIdAndEpoch; bumped: boolean }
  /** The producer can send nothing more: fail every record not yet done with `error`. */
  | { type: 'fatalError'; error: Error }
  /** An abortable error (authorization) with the records waiting: fail them with `error`. */
  | { type: 'abortableError'; error: Error };

const AUTHORIZATION_ERRORS: ReadonlySet<ErrorName> = new Set<ErrorName>(['TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED']);

function failureOf(event: TransactionManagerEvent): InitProducerIdFailure | undefined {
  return event.type === 'initProducerId.failed' ? event.failure : undefined;
}

/** The error a send/begin/commit gets while the producer is in an error state (Kafka's maybeFailWithError). */
export function refusalOf(context: TransactionManagerContext): Error | null {
  return context.lastError;
}

export const transactionManagerMachine = setup({
  types: {
    context: {} as TransactionManagerContext,
    events: {} as TransactionManagerEvent,
    input: {} as TransactionManagerInput,
    emitted: {} as TransactionManagerEmitted,
  },
  actions: {
    sendInitProducerId: emit(({ context }) => ({
      type: 'initProducerId.send' as const,
      transactionalId: context.transactionalId,
      producerId: context.producerIdAndEpoch.producerId,
      producerEpoch: context.producerIdAndEpoch.epoch,
    })),
    assignProducerIdAndEpoch: assign(({ event }) =>
      event.type === 'initProducerId.succeeded' ? { producerIdAndEpoch: { producerId: event.producerId, epoch: event.producerEpoch }, lastError: null } : {},
    ),
    announceProducerId: emit(({ context }) => ({ type: 'producerId.assigned' as const, producerIdAndEpoch: context.producerIdAndEpoch, bumped: false })),
    /** KIP-360: the idempotent producer bumps its own epoch; the leader accepts the next epoch from sequence 0. */
    bumpIdempotentEpoch: assign(({ context }) => ({ producerIdAndEpoch: { producerId: context.producerIdAndEpoch.producerId, epoch: context.producerIdAndEpoch.epoch + 1 } })),
    announceEpochBump: emit(({ context }) => ({ type: 'producerId.assigned' as const, producerIdAndEpoch: context.producerIdAndEpoch, bumped: true })),
    /** The epoch is used up: forget the id, InitProducerId gives a new one (Kafka's resetIdempotentProducerId). */
    resetProducerId: assign({ producerIdAndEpoch: NO_PRODUCER_ID_AND_EPOCH }),
    /** Kafka: INVALID_PRODUCER_EPOCH and PRODUCER_FENCED answering InitProducerId both mean this producer was fenced. */
    recordFenced: assign(({ event }) => ({ lastError: new ProducerFencedError(failureOf(event)?.message) })),
    recordInitError: assign(({ event }) => {
      const failure = failureOf(event);
      return { lastError: failure === undefined ? null : KafkaProtocolError.from(failure.errorName as Exclude<ErrorName, 'NONE'>, failure.message) };
    }),
    recordUnexpectedInitError: assign(({ event }) => {
      const failure = failureOf(event);
      return { lastError: KafkaProtocolError.from((failure?.errorName ?? 'UNKNOWN_SERVER_ERROR') as Exclude<ErrorName, 'NONE'>, `unexpected error in the InitProducerId answer: ${failure?.message ?? ''}`) };
    }),
    recordEventError: assign(({ event }) => ('error' in event ? { lastError: event.error } : {})),
    /** Kafka's maybeTransitionToErrorState: a batch failing inside a transaction (not while completing it) needs a new epoch. */
    requireEpochBump: assign({ epochBumpRequired: true }),
    requireEpochBumpIfAsked: assign(({ context, event }) => ({ epochBumpRequired: context.epochBumpRequired || (event.type === 'transaction.failed' && event.bumpEpoch === true) })),
    clearEpochBump: assign({ epochBumpRequired: false }),
    clearError: assign({ lastError: null }),
    /**
     * The answer to `can(send.requested)` / `can(offsets.requested)`: XState's can() counts only transitions that do
     * something, so the allowed ones name this action; the host then appends the record (or sends the offsets).
     */
    allow: () => undefined,
    announceFatalError: emit(({ context }) => ({ type: 'fatalError' as const, error: context.lastError ?? new Error('fatal producer error') })),
    announceAbortableError: emit(({ context }) => ({ type: 'abortableError' as const, error: context.lastError ?? new Error('abortable producer error') })),
  },
  guards: {
    isIdempotentOnly: ({ context }) => context.transactionalId === null,
    isTransactional: ({ context }) => context.transactionalId !== null,
    isRetriableInitError: ({ event }) => failureOf(event)?.retriable === true,
    isFencedInitError: ({ event }) => failureOf(event)?.errorName === 'INVALID_PRODUCER_EPOCH' || failureOf(event)?.errorName === 'PRODUCER_FENCED',
    isAbortableInitError: ({ event }) => {
      const name = failureOf(event)?.errorName;
      return name !== undefined && (AUTHORIZATION_ERRORS.has(name) || name === 'TRANSACTION_ABORTABLE');
    },
    canBumpEpoch: ({ context }) => context.producerIdAndEpoch.epoch < MAX_PRODUCER_EPOCH,
    isFatalBatchError: ({ event }) => event.type === 'batch.failed' && isFatalProducerError(event.errorName),
    isAbortableBatchErrorInTransaction: ({ context, event }) => context.transactionalId !== null && event.type === 'batch.failed' && !isFatalProducerError(event.errorName),
    isEpochBumpRequired: ({ context }) => context.epochBumpRequired,
  },
  delays: {
    /** retry.backoff.ms before InitProducerId goes again. */
    retryBackoff: ({ context }) => context.retryBackoffMs,
  },
}).createMachine({
  id: 'transaction-manager',
  description:
    "A producer's id, epoch and transaction (Kafka's TransactionManager): it gets an id with InitProducerId, numbers batches per partition, " +
    'bumps its epoch when a sequence is lost (KIP-360), and for a transactional producer runs each transaction to its commit or abort.',
  context: ({ input }) => ({ ...input, producerIdAndEpoch: NO_PRODUCER_ID_AND_EPOCH, lastError: null, epochBumpRequired: false }),
  initial: 'UNINITIALIZED',
  on: {
    // Kafka: FATAL_ERROR may be entered from any state.
    'error.fatal': { target: '.FATAL_ERROR', actions: 'recordEventError' },
    'batch.failed': [{ guard: 'isFatalBatchError', target: '.FATAL_ERROR', actions: 'recordEventError' }],
  },
  states: {
    UNINITIALIZED: {
      description: 'No producer id: nothing can be sent yet. An idempotent producer asks for one when it has batches to send; a transactional one when initTransactions() is called.',
      on: {
        'send.requested': { guard: 'isIdempotentOnly', actions: 'allow' },
        'producerId.needed': { guard: 'isIdempotentOnly', target: 'INITIALIZING' },
        'initTransactions.requested': { guard: 'isTransactional', target: 'INITIALIZING' },
      },
    },
    INITIALIZING: {
      description:
        'InitProducerId is on its way (to any broker for an idempotent producer, to the transaction coordinator otherwise); retriable errors and lost answers ' +
        'send it again after retry.backoff.ms.',
      initial: 'requesting',
      states: {
        requesting: {
          description: 'InitProducerId sent, waiting for its answer.',
          entry: 'sendInitProducerId',
          on: {
            'initProducerId.failed': [
              { guard: 'isRetriableInitError', target: 'backingOff' },
              { guard: 'isFencedInitError', target: '#transaction-manager.FATAL_ERROR', actions: 'recordFenced' },
              { guard: 'isAbortableInitError', target: '#transaction-manager.ABORTABLE_ERROR', actions: 'recordInitError' },
              { target: '#transaction-manager.FATAL_ERROR', actions: 'recordUnexpectedInitError' },
            ],
          },
        },
        backingOff: {
          description: 'The last InitProducerId failed with a retriable error or got no answer: it goes again after retry.backoff.ms.',
          after: { retryBackoff: 'requesting' },
        },
      },
      on: {
        'send.requested': { guard: 'isIdempotentOnly', actions: 'allow' },
        'initProducerId.succeeded': { target: 'READY', actions: ['assignProducerIdAndEpoch', 'announceProducerId'] },
      },
    },
    READY: {
      description: 'The producer has an id and epoch: batches are numbered and sent. A transactional producer may begin a transaction.',
      on: {
        'send.requested': { guard: 'isIdempotentOnly', actions: 'allow' },
        'epochBump.required': [
          { guard: 'canBumpEpoch', actions: ['bumpIdempotentEpoch', 'announceEpochBump'] },
          { target: 'UNINITIALIZED', actions: 'resetProducerId' },
        ],
        'transaction.begin': { guard: 'isTransactional', target: 'IN_TRANSACTION' },
      },
    },
    IN_TRANSACTION: {
      description: 'A transaction is open: records sent go into it (their partitions are added to it first), and offsets may be sent to it.',
      on: {
        'send.requested': { actions: 'allow' },
        'offsets.requested': { actions: 'allow' },
        'transaction.commit': 'COMMITTING_TRANSACTION',
        'transaction.abort': 'ABORTING_TRANSACTION',
        'transaction.failed': { target: 'ABORTABLE_ERROR', actions: ['recordEventError', 'requireEpochBumpIfAsked'] },
        'batch.failed': [
          { guard: 'isFatalBatchError', target: 'FATAL_ERROR', actions: 'recordEventError' },
          { guard: 'isAbortableBatchErrorInTransaction', target: 'ABORTABLE_ERROR', actions: ['recordEventError', 'requireEpochBump'] },
        ],
      },
    },
    COMMITTING_TRANSACTION: {
      description: 'commitTransaction(): the records sent are flushed, then EndTxn(commit) goes to the transaction coordinator.',
      on: {
        'transaction.completed': 'READY',
        'transaction.failed': { target: 'ABORTABLE_ERROR', actions: ['recordEventError', 'requireEpochBumpIfAsked'] },
        'batch.failed': [
          { guard: 'isFatalBatchError', target: 'FATAL_ERROR', actions: 'recordEventError' },
          { guard: 'isAbortableBatchErrorInTransaction', target: 'ABORTABLE_ERROR', actions: 'recordEventError' },
        ],
      },
    },
    ABORTING_TRANSACTION: {
      description:
        'abortTransaction(): records not sent yet are dropped, then EndTxn(abort) goes to the transaction coordinator; when the transaction lost ' +
        'the producer id or sequences, InitProducerId with the current id and epoch follows (KIP-360).',
      on: {
        'transaction.completed': [
          { guard: 'isEpochBumpRequired', target: 'INITIALIZING', actions: ['clearError', 'clearEpochBump'] },
          { target: 'READY', actions: 'clearError' },
        ],
      },
    },
    ABORTABLE_ERROR: {
      description:
        'A request of the transaction failed: nothing more can be sent in it, and the application must abort it. An idempotent producer whose ' +
        'InitProducerId was not authorized fails its waiting records and starts over.',
      entry: 'announceAbortableError',
      on: {
        'transaction.abort': { guard: 'isTransactional', target: 'ABORTING_TRANSACTION' },
        'transaction.failed': { actions: ['recordEventError', 'requireEpochBumpIfAsked'] },
        'abortableError.handled': { guard: 'isIdempotentOnly', target: 'UNINITIALIZED', actions: 'clearError' },
      },
    },
    FATAL_ERROR: {
      description: 'The producer was fenced, not authorized, or hit an error it cannot recover from: every record not yet sent fails, and only close() is left.',
      entry: 'announceFatalError',
      on: {
        // Never left: later failures do not replace the error that made the producer unusable.
        'error.fatal': {},
        'batch.failed': {},
      },
    },
  },
});
