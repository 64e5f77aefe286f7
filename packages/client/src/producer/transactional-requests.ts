/**
 * The transactional producer's requests to its coordinators (Kafka's TransactionManager request queue and
 * Sender.maybeSendAndPollTransactionalRequest): one at a time, highest priority first (InitProducerId, then
 * AddPartitionsToTxn / AddOffsetsToTxn / TxnOffsetCommit, then EndTxn, which waits until no batch is incomplete),
 * each sent to its coordinator, found first with FindCoordinator (key type 1 for the transactional id, 0 for a
 * group). A request answered "retry" goes again after retry.backoff.ms, ahead of the others; "look the coordinator
 * up" forgets the coordinator first. Fatal and abortable answers go to the statechart through `onError`.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import { coordinatorKeyTypes, errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { ClientRuntime } from '../client-runtime.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { ProducerFencedError } from '../errors.js';
import { isDisconnection } from '../network/stale-metadata.js';
import { decideTransactionalError, type TransactionalErrorAction } from './transactional-errors.js';

/** Kafka's TransactionManager.Priority. */
export const TXN_PRIORITY = { initProducerId: 1, addPartitionsOrOffsets: 2, endTxn: 3 } as const;

export type CoordinatorTarget = { readonly type: 'transaction'; readonly key: string } | { readonly type: 'group'; readonly key: string };

/** The outcome of one answer, already decided (transactional-errors.ts), with the broker's message. */
export type TxnOutcome = TransactionalErrorAction & {
  readonly message?: string | null;
  /** With `done`: the request's own handler retries, but the coordinator moved and is looked up again first. */
  readonly forgetCoordinator?: boolean;
};

export interface TxnRequest {
  /** For logs. */
  readonly name: string;
  readonly priority: number;
  readonly target: CoordinatorTarget;
  readonly isEndTxn: boolean;
  /** Sends the request to the coordinator at `url` and reports the decided outcome once. */
  send(url: string, onOutcome: (outcome: TxnOutcome) => void): void;
  /** The request succeeded (outcome `done`). */
  onDone(): void;
  /** The request will not be sent or failed for good. */
  onFailed(error: Error): void;
}

export interface TransactionalRequestsOptions {
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly logger: ClientRuntime['logger'];
  readonly retryBackoffMs: number;
  /** A fatal or abortable answer: the statechart moves to FATAL_ERROR or ABORTABLE_ERROR. */
  readonly onError: (kind: 'fatal' | 'abortable', error: Error, errorName: ErrorName) => void;
  /** Why a request may not be sent now (the producer is in an error state), or null. */
  readonly refusalFor: (request: TxnRequest) => Error | null;
  /** A request finished or its backoff ended: the sender runs again. */
  readonly wakeSender: () => void;
}

export class TransactionalRequests {
  private readonly pending: TxnRequest[] = [];
  private readonly coordinators = new Map<string, string>();
  /** A request is on the wire, or waiting out its retry backoff: nothing else goes meanwhile (Kafka sends one at a time). */
  private busy = false;
  private closed = false;
  private timer: unknown;

  constructor(private readonly options: TransactionalRequestsOptions) {}

  enqueue(request: TxnRequest): void {
    const index = this.pending.findIndex((queued) => queued.priority > request.priority);
    if (index < 0) this.pending.push(request);
    else this.pending.splice(index, 0, request);
  }

  /**
   * Sends the next request if one may go (Kafka's nextRequest): EndTxn waits while batches are incomplete. Returns
   * whether a transactional request is in flight, in which case the sender drains nothing this run, as Kafka's.
   */
  maybeSend(hasIncompleteBatches: boolean): boolean {
    if (this.busy || this.closed) return this.busy;
    const next = this.pending[0];
    if (next === undefined || (next.isEndTxn && hasIncompleteBatches)) return false;
    this.pending.shift();
    const refusal = this.options.refusalFor(next);
    if (refusal !== null) {
      next.onFailed(refusal);
      return this.maybeSend(hasIncompleteBatches);
    }
    this.busy = true;
    this.sendTo(next);
    return true;
  }

  /** Fails every queued request (close, or a fatal error). */
  failAll(error: Error): void {
    for (const request of this.pending.splice(0)) request.onFailed(error);
  }

  close(error: Error): void {
    this.closed = true;
    if (this.timer !== undefined) this.options.runtime.clock.clearTimeout(this.timer);
    this.failAll(error);
  }

  private sendTo(request: TxnRequest): void {
    const coordinatorKey = `${request.target.type}/${request.target.key}`;
    const url = this.coordinators.get(coordinatorKey);
    if (url === undefined) {
      this.findCoordinator(request, coordinatorKey);
      return;
    }
    request.send(url, (outcome) => this.onOutcome(request, coordinatorKey, outcome));
  }

  private findCoordinator(request: TxnRequest, coordinatorKey: string): void {
    const { cluster } = this.options;
    const body: RequestBody<'findCoordinator'> = { key: request.target.key, keyType: coordinatorKeyTypes[request.target.type] };
    cluster.send(cluster.anyBrokerUrl(), 'findCoordinator', body, (result) => {
      if (this.closed) return;
      if (!result.ok) return this.onOutcome(request, coordinatorKey, { kind: 'retry', message: result.error.message });
      const errorName = errorForCode(result.body.errorCode).name;
      const decided = decideTransactionalError('findCoordinator', errorName);
      if (decided.kind !== 'done') return this.onOutcome(request, coordinatorKey, { ...decided, message: result.body.errorMessage });
      this.coordinators.set(coordinatorKey, result.body.url);
      this.sendTo(request);
    });
  }

  private onOutcome(request: TxnRequest, coordinatorKey: string, outcome: TxnOutcome): void {
    if (this.closed) return;
    const { logger } = this.options;
    switch (outcome.kind) {
      case 'done':
        this.busy = false;
        if (outcome.forgetCoordinator === true) this.coordinators.delete(coordinatorKey);
        request.onDone();
        break;
      case 'lookupCoordinator':
      case 'retry':
        if (outcome.kind === 'lookupCoordinator') this.coordinators.delete(coordinatorKey);
        logger.info({ request: request.name, outcome: outcome.kind, message: outcome.message }, 'transactional request retried');
        // The retry goes first, after retry.backoff.ms (or the shorter wait the answer calls for); nothing else is sent meanwhile.
        this.timer = this.options.runtime.clock.setTimeout(
          () => {
            this.timer = undefined;
            this.busy = false;
            this.pending.unshift(request);
            this.options.wakeSender();
          },
          outcome.kind === 'retry' && outcome.backoffMs !== undefined ? Math.min(outcome.backoffMs, this.options.retryBackoffMs) : this.options.retryBackoffMs,
        );
        return;
      case 'fatal':
      case 'abortable': {
        this.busy = false;
        const message = outcome.message ?? undefined;
        const error = outcome.errorName === 'PRODUCER_FENCED' ? new ProducerFencedError(message) : KafkaProtocolError.from(outcome.errorName as Exclude<ErrorName, 'NONE'>, message);
        logger.warn({ request: request.name, error: outcome.errorName, kind: outcome.kind }, 'transactional request failed');
        request.onFailed(error);
        this.options.onError(outcome.kind, error, outcome.errorName);
        break;
      }
    }
    this.options.wakeSender();
  }
}

/** The outcome of a request that got no answer: a lost connection or a timeout means the coordinator may have moved. */
export function unansweredOutcome(errorName: ErrorName, retriable: boolean, message: string): TxnOutcome {
  if (isDisconnection(errorName)) return { kind: 'lookupCoordinator', message };
  return retriable ? { kind: 'retry', message } : { kind: 'fatal', errorName, message };
}

/** The first error of a per-partition answer, or NONE. */
export function firstPartitionError(codes: Iterable<number>): ErrorName {
  for (const code of codes) if (code !== errorCodes.NONE) return errorForCode(code).name;
  return 'NONE';
}
