/**
 * The named actions, guards and delays of the per-transactional-id statechart (transaction.machine.ts), with its
 * context, events and what it emits. The decisions are the pure core's (transaction-coordinator.ts); the actions here
 * apply them: answers and appends are emitted to the host, and the metadata changes only on `records.appended`.
 */
import type { ErrorName, TransactionLogRecord } from '@kactor/protocol';
import type { Clock, Logger } from '@kactor/runtime';
import { assign, enqueueActions, setup } from 'xstate';
import {
  appendErrorAnswer,
  decideAddOffsets,
  decideAddPartitions,
  decideEndTxn,
  decideInitProducerId,
  decideWithProducerId,
  hasTimedOut,
  isBusy,
  type InitProducerIdDecision,
  type InitProducerIdRequest,
  type ProducerIdAndEpoch,
  type RequestDecision,
  type TransactionCoordinatorLimits,
} from './transaction-coordinator.js';
import { markersFor, type MarkerAnswer, type TxnMarkers } from './transaction-markers.js';
import {
  abandonTransition,
  completeTransition,
  prepareComplete,
  prepareDead,
  prepareFenceAndAbort,
  TransactionInvariantError,
  transitRecord,
  type Prepared,
  type TopicPartition,
  type TransactionMetadata,
  type TransactionState,
  type TransactionTransit,
} from './transaction-metadata.js';

export type AppendResult = { ok: true } | { ok: false; errorName: ErrorName };
export type ProducerIdResult = { ok: true; producerId: number } | { ok: false; errorName: ErrorName };

/** The broker settings the chart reads (the same names as BrokerConfig's), and the marker retry backoff. */
export interface TransactionLimits extends TransactionCoordinatorLimits {
  /** transactional.id.expiration.ms: an id without a transaction for this long is removed (a tombstone is written). */
  transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: how often an expired transaction that could not be aborted is tried again. */
  transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms: how often an id whose expiry could not be written is tried again. */
  transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  /** The pause before markers that failed (no leader, not enough replicas) are sent again, and before a failed Complete* append is retried (Kafka's inter-broker retry.backoff.ms, 100 ms). */
  retryBackoffMs: number;
}

export interface TransactionPorts {
  clock: Clock;
  logger: Logger;
}

export interface TransactionInput {
  metadata: TransactionMetadata;
  /** The leader epoch of the `__transaction_state` partition: the coordinator epoch the markers carry. */
  coordinatorEpoch: number;
  limits: TransactionLimits;
  ports: TransactionPorts;
}

type PendingPurpose =
  | { kind: 'initProducerId'; requestId: number }
  | { kind: 'request'; requestId: number }
  /** A fence: answered CONCURRENT_TRANSACTIONS once written when an InitProducerId asked for it (null: a timeout). */
  | { kind: 'fence'; requestId: number | null }
  | { kind: 'complete' }
  | { kind: 'expire' };

interface PendingWrite {
  token: number;
  transit: TransactionTransit;
  purpose: PendingPurpose;
}

export interface TransactionContext extends TransactionInput {
  pending: PendingWrite | null;
  nextToken: number;
  /** An InitProducerId waiting for a producer id from the broker's producer id manager. */
  awaitingProducerId: { requestId: number; request: InitProducerIdRequest } | null;
  /** The partitions of a prepared transaction still without an acknowledged marker, and whether each is on its way. */
  outstandingMarkers: Array<{ partition: TopicPartition; inFlight: boolean }>;
  /** A newer coordinator or producer epoch was seen on a partition: this coordinator stops sending markers. */
  markersFenced: boolean;
  /** A Complete* append failed and is retried after the backoff. */
  completeRetryScheduled: boolean;
}

export type TransactionEvent =
  | { type: 'request.initProducerId'; requestId: number; transactionTimeoutMs: number; expected: ProducerIdAndEpoch | null }
  | { type: 'request.addPartitions'; requestId: number; producerId: number; producerEpoch: number; partitions: TopicPartition[] }
  | { type: 'request.addOffsets'; requestId: number; producerId: number; producerEpoch: number; groupId: string }
  | { type: 'request.endTxn'; requestId: number; producerId: number; producerEpoch: number; committed: boolean }
  | { type: 'producerId.generated'; result: ProducerIdResult }
  | { type: 'records.appended'; token: number; result: AppendResult }
  /** The host's answers for partitions it was asked to mark, as they come (one WriteTxnMarkers answer at a time). */
  | { type: 'markers.answered'; answers: MarkerAnswer[] }
  | { type: 'markers.retry' }
  | { type: 'complete.retry' };

/**
 * What the chart asks its host to do, or tells it. The host appends `records.toAppend` to `__transaction_state`
 * (acks=all) and sends `records.appended` back; asks the producer id manager on `producerId.toGenerate`; sends each
 * `markers.toSend` to the partitions' leaders as WriteTxnMarkers and reports every partition back in `markers.answered`
 * (a partition without a leader at once, as `retry`); and answers requests.
 */
export type TransactionEmitted =
  | { type: 'records.toAppend'; token: number; record: TransactionLogRecord }
  | { type: 'producerId.toGenerate' }
  | { type: 'markers.toSend'; markers: TxnMarkers }
  | { type: 'answer.initProducerId'; requestId: number; errorName: ErrorName; producerId: number; producerEpoch: number }
  | { type: 'answer'; requestId: number; errorName: ErrorName }
  | { type: 'transaction.completed'; transactionalId: string; state: 'CompleteCommit' | 'CompleteAbort' };

/** The part of XState's `enqueue` the actions use. */
interface Enqueue {
  assign(values: Partial<TransactionContext>): void;
  emit(event: TransactionEmitted): void;
  raise(event: TransactionEvent, options: { delay: number; id: string }): void;
  cancel(id: string): void;
}

type RequestEvent = Extract<TransactionEvent, { type: 'request.addPartitions' | 'request.addOffsets' | 'request.endTxn' }>;

function nowOf(context: TransactionContext): number {
  return context.ports.clock.now();
}

function initDecision(context: TransactionContext, event: TransactionEvent): InitProducerIdDecision | undefined {
  if (event.type !== 'request.initProducerId') return undefined;
  return decideInitProducerId(context.metadata, { transactionTimeoutMs: event.transactionTimeoutMs, expected: event.expected }, context.limits, nowOf(context));
}

function requestDecision(context: TransactionContext, event: TransactionEvent): RequestDecision | undefined {
  const producer = 'producerId' in event ? { producerId: event.producerId, producerEpoch: event.producerEpoch } : undefined;
  if (producer === undefined) return undefined;
  const nowMs = nowOf(context);
  if (event.type === 'request.addPartitions') return decideAddPartitions(context.metadata, producer, event.partitions, nowMs);
  if (event.type === 'request.addOffsets') return decideAddOffsets(context.metadata, producer, event.groupId, context.limits, nowMs);
  if (event.type === 'request.endTxn') return decideEndTxn(context.metadata, producer, event.committed, nowMs);
  return undefined;
}

function answerInitError(enqueue: Enqueue, requestId: number, errorName: ErrorName): void {
  enqueue.emit({ type: 'answer.initProducerId', requestId, errorName, producerId: -1, producerEpoch: -1 });
}

/** Marks the transition pending and emits its record; the metadata changes when `records.appended` says it was written. */
function write(context: TransactionContext, enqueue: Enqueue, prepared: Prepared, purpose: PendingPurpose): void {
  const token = context.nextToken;
  enqueue.assign({ metadata: prepared.metadata, pending: { token, transit: prepared.transit, purpose }, nextToken: token + 1 });
  enqueue.emit({ type: 'records.toAppend', token, record: transitRecord(context.metadata.transactionalId, prepared.transit) });
}

function appendOf(context: TransactionContext, event: TransactionEvent): PendingWrite | undefined {
  return event.type === 'records.appended' && context.pending?.token === event.token ? context.pending : undefined;
}

function appendedState(context: TransactionContext, event: TransactionEvent): TransactionState | undefined {
  const pending = appendOf(context, event);
  return pending !== undefined && event.type === 'records.appended' && event.result.ok ? pending.transit.state : undefined;
}

/** Sends the markers of the outstanding partitions not already on their way. */
function sendMarkers(context: TransactionContext, enqueue: Enqueue, outstanding: TransactionContext['outstandingMarkers']): void {
  const toSend = outstanding.filter((marker) => !marker.inFlight).map((marker) => marker.partition);
  const acknowledged = context.metadata.partitions.filter((partition) => !toSend.some((marker) => marker.topic === partition.topic && marker.partition === partition.partition));
  enqueue.assign({ outstandingMarkers: outstanding.map((marker) => ({ ...marker, inFlight: true })) });
  if (toSend.length > 0) enqueue.emit({ type: 'markers.toSend', markers: markersFor(context.metadata, context.coordinatorEpoch, acknowledged) });
}

export const transactionSetup = setup({
  types: { context: {} as TransactionContext, events: {} as TransactionEvent, input: {} as TransactionInput, emitted: {} as TransactionEmitted },
  actions: {
    answerInit: enqueueActions(({ context, event, enqueue }) => {
      const decision = initDecision(context, event);
      if (decision?.kind === 'answer' && event.type === 'request.initProducerId') answerInitError(enqueue, event.requestId, decision.errorName);
    }),
    requestProducerId: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'request.initProducerId') return;
      enqueue.assign({ awaitingProducerId: { requestId: event.requestId, request: { transactionTimeoutMs: event.transactionTimeoutMs, expected: event.expected } } });
      enqueue.emit({ type: 'producerId.toGenerate' });
    }),
    writeInit: enqueueActions(({ context, event, enqueue }) => {
      const decision = initDecision(context, event);
      if (decision?.kind === 'append' && event.type === 'request.initProducerId') write(context, enqueue, decision.prepared, { kind: 'initProducerId', requestId: event.requestId });
    }),
    /** An InitProducerId on an open transaction: its abort is written under the next epoch first (zombie fencing). */
    writeFence: enqueueActions(({ context, event, enqueue }) => {
      const decision = initDecision(context, event);
      if (decision?.kind === 'fence' && event.type === 'request.initProducerId') write(context, enqueue, decision.prepared, { kind: 'fence', requestId: event.requestId });
    }),
    /** The producer id arrived: a new id takes it, an exhausted one rotates to it (decided again: the metadata may have moved). */
    useProducerId: enqueueActions(({ context, event, enqueue }) => {
      const waiting = context.awaitingProducerId;
      if (event.type !== 'producerId.generated' || waiting === null) return;
      enqueue.assign({ awaitingProducerId: null });
      if (!event.result.ok) return answerInitError(enqueue, waiting.requestId, event.result.errorName);
      const decision = decideWithProducerId(context.metadata, waiting.request, event.result.producerId, context.limits, nowOf(context));
      if (decision.kind === 'append') write(context, enqueue, decision.prepared, { kind: 'initProducerId', requestId: waiting.requestId });
      else answerInitError(enqueue, waiting.requestId, decision.kind === 'answer' ? decision.errorName : 'CONCURRENT_TRANSACTIONS');
    }),
    answerConcurrent: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'request.initProducerId') answerInitError(enqueue, event.requestId, 'CONCURRENT_TRANSACTIONS');
      else if ('requestId' in event) enqueue.emit({ type: 'answer', requestId: event.requestId, errorName: 'CONCURRENT_TRANSACTIONS' });
    }),
    answerRequest: enqueueActions(({ context, event, enqueue }) => {
      const decision = requestDecision(context, event);
      if (decision?.kind === 'answer') enqueue.emit({ type: 'answer', requestId: (event as RequestEvent).requestId, errorName: decision.errorName });
    }),
    writeRequest: enqueueActions(({ context, event, enqueue }) => {
      const decision = requestDecision(context, event);
      if (decision?.kind === 'append') write(context, enqueue, decision.prepared, { kind: 'request', requestId: (event as RequestEvent).requestId });
    }),
    /** transaction.timeout.ms passed: the transaction is aborted under a bumped epoch, fencing its producer (abortTimedOutTransactions). */
    writeTimeoutFence: enqueueActions(({ context, enqueue }) => {
      context.ports.logger.info({ producerId: context.metadata.producerId, producerEpoch: context.metadata.producerEpoch }, 'aborting a transaction open longer than transaction.timeout.ms');
      write(context, enqueue, prepareFenceAndAbort(context.metadata, nowOf(context)), { kind: 'fence', requestId: null });
    }),
    writeExpiry: enqueueActions(({ context, enqueue }) => write(context, enqueue, prepareDead(context.metadata), { kind: 'expire' })),
    /** Every marker was acknowledged (or its partition is gone): the outcome is written as CompleteCommit/CompleteAbort. */
    writeComplete: enqueueActions(({ context, enqueue }) => {
      if (context.outstandingMarkers.length > 0) throw new TransactionInvariantError(`${context.metadata.transactionalId}: completing with ${context.outstandingMarkers.length} markers not acknowledged`);
      enqueue.assign({ completeRetryScheduled: false });
      write(context, enqueue, prepareComplete(context.metadata, nowOf(context)), { kind: 'complete' });
    }),
    /** The record was written: the transition happens, and whoever asked for it is answered. */
    applyAppend: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (pending === undefined) return;
      // An expiry's tombstone removes the id (Kafka drops its metadata rather than completing a transition to Dead).
      const metadata = pending.transit.state === 'Dead' ? { ...context.metadata, state: 'Dead' as const, pendingState: null } : completeTransition(context.metadata, pending.transit);
      enqueue.assign({ metadata, pending: null });
      const { purpose } = pending;
      if (purpose.kind === 'initProducerId') enqueue.emit({ type: 'answer.initProducerId', requestId: purpose.requestId, errorName: 'NONE', producerId: metadata.producerId, producerEpoch: metadata.producerEpoch });
      // The fenced transaction is being aborted: the new producer retries InitProducerId and then gets its epoch.
      if (purpose.kind === 'fence' && purpose.requestId !== null) answerInitError(enqueue, purpose.requestId, 'CONCURRENT_TRANSACTIONS');
      if (purpose.kind === 'request') enqueue.emit({ type: 'answer', requestId: purpose.requestId, errorName: 'NONE' });
      if (metadata.state === 'CompleteCommit' || metadata.state === 'CompleteAbort') enqueue.emit({ type: 'transaction.completed', transactionalId: metadata.transactionalId, state: metadata.state });
    }),
    /** The record could not be written: nothing changes (a failed fence keeps its epoch), the requester gets Kafka's answer. */
    abandonAppend: enqueueActions(({ context, event, enqueue }) => {
      const pending = appendOf(context, event);
      if (pending === undefined || event.type !== 'records.appended' || event.result.ok) return;
      enqueue.assign({ metadata: abandonTransition(context.metadata), pending: null });
      const errorName = appendErrorAnswer(event.result.errorName);
      const { purpose } = pending;
      context.ports.logger.info({ state: pending.transit.state, errorName: event.result.errorName }, 'could not write a transaction state change');
      if (purpose.kind === 'initProducerId') answerInitError(enqueue, purpose.requestId, errorName);
      if (purpose.kind === 'fence' && purpose.requestId !== null) answerInitError(enqueue, purpose.requestId, errorName);
      if (purpose.kind === 'request') enqueue.emit({ type: 'answer', requestId: purpose.requestId, errorName });
    }),
    scheduleCompleteRetry: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ completeRetryScheduled: true });
      enqueue.raise({ type: 'complete.retry' }, { delay: context.limits.retryBackoffMs, id: 'complete.retry' });
    }),
    allowCompleteRetry: assign({ completeRetryScheduled: false }),
    /** Entering PrepareCommit/PrepareAbort (also after a replay): a marker for every partition of the transaction. */
    startMarkers: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ markersFenced: false });
      sendMarkers(context, enqueue, context.metadata.partitions.map((partition) => ({ partition, inFlight: false })));
    }),
    /** Acknowledged and gone partitions are done; those to retry wait for `markers.retry`. */
    noteMarkerAnswers: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'markers.answered') return;
      const outcomeOf = (partition: TopicPartition) => event.answers.find((answer) => answer.topic === partition.topic && answer.partition === partition.partition)?.outcome;
      const outstanding = context.outstandingMarkers.flatMap((marker) => {
        const outcome = outcomeOf(marker.partition);
        if (outcome === 'written' || outcome === 'gone') return [];
        return [{ partition: marker.partition, inFlight: outcome === undefined ? marker.inFlight : false }];
      });
      enqueue.assign({ outstandingMarkers: outstanding });
    }),
    /** One retry for every marker answered `retry` within the backoff (a later answer restarts it). */
    scheduleMarkerRetry: enqueueActions(({ context, enqueue }) => {
      enqueue.cancel('markers.retry');
      enqueue.raise({ type: 'markers.retry' }, { delay: context.limits.retryBackoffMs, id: 'markers.retry' });
    }),
    resendMarkers: enqueueActions(({ context, enqueue }) => sendMarkers(context, enqueue, context.outstandingMarkers)),
    stopMarkers: enqueueActions(({ context, enqueue }) => {
      context.ports.logger.warn({ producerId: context.metadata.producerId, producerEpoch: context.metadata.producerEpoch }, 'a partition saw a newer coordinator or producer epoch: stopping the markers of this transaction');
      enqueue.assign({ markersFenced: true });
    }),
  },
  guards: {
    initIsAnswered: ({ context, event }) => initDecision(context, event)?.kind === 'answer',
    initNeedsProducerId: ({ context, event }) => initDecision(context, event)?.kind === 'generateProducerId',
    initFencesTransaction: ({ context, event }) => initDecision(context, event)?.kind === 'fence',
    requestIsAnswered: ({ context, event }) => requestDecision(context, event)?.kind === 'answer',
    appendFailed: ({ context, event }) => appendOf(context, event) !== undefined && event.type === 'records.appended' && !event.result.ok,
    appendedEmpty: ({ context, event }) => appendedState(context, event) === 'Empty',
    appendedOngoing: ({ context, event }) => appendedState(context, event) === 'Ongoing',
    appendedPrepareCommit: ({ context, event }) => appendedState(context, event) === 'PrepareCommit',
    appendedPrepareAbort: ({ context, event }) => appendedState(context, event) === 'PrepareAbort',
    appendedCompleteCommit: ({ context, event }) => appendedState(context, event) === 'CompleteCommit',
    appendedCompleteAbort: ({ context, event }) => appendedState(context, event) === 'CompleteAbort',
    appendedDead: ({ context, event }) => appendedState(context, event) === 'Dead',
    transactionTimedOut: ({ context }) => !isBusy(context.metadata) && hasTimedOut(context.metadata, nowOf(context)),
    mayExpire: ({ context }) => !isBusy(context.metadata) && context.metadata.txnLastUpdateTimestampMs + context.limits.transactionalIdExpirationMs <= nowOf(context),
    markersFenced: ({ event }) => event.type === 'markers.answered' && event.answers.some((answer) => answer.outcome === 'fenced'),
    markersToRetry: ({ event }) => event.type === 'markers.answered' && event.answers.some((answer) => answer.outcome === 'retry'),
    /** Nothing left to mark and nothing being written: the transaction can be completed. */
    markersDone: ({ context }) => context.outstandingMarkers.length === 0 && context.pending === null && !context.completeRetryScheduled && !context.markersFenced,
    isLoadedEmpty: ({ context }) => context.metadata.state === 'Empty',
    isLoadedOngoing: ({ context }) => context.metadata.state === 'Ongoing',
    isLoadedPrepareCommit: ({ context }) => context.metadata.state === 'PrepareCommit',
    isLoadedPrepareAbort: ({ context }) => context.metadata.state === 'PrepareAbort',
    isLoadedCompleteCommit: ({ context }) => context.metadata.state === 'CompleteCommit',
  },
  delays: {
    /** Until the transaction is older than its transaction.timeout.ms; past that (a fence could not start), the cleanup interval. */
    transactionTimeout: ({ context }) => {
      const remainingMs = context.metadata.txnStartTimestampMs + context.metadata.txnTimeoutMs + 1 - nowOf(context);
      return remainingMs > 0 ? remainingMs : context.limits.transactionAbortTimedOutTransactionCleanupIntervalMs;
    },
    /** Until transactional.id.expiration.ms after the last update; past that (busy then), the cleanup interval. */
    transactionalIdExpiration: ({ context }) => {
      const remainingMs = context.metadata.txnLastUpdateTimestampMs + context.limits.transactionalIdExpirationMs - nowOf(context);
      return remainingMs > 0 ? remainingMs : context.limits.transactionRemoveExpiredTransactionCleanupIntervalMs;
    },
  },
});
