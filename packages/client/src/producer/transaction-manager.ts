/**
 * Runs the TransactionManager statechart (transaction-manager.machine.ts) for a producer with idempotence: it sends
 * the InitProducerId the chart asks for (to any broker for an idempotent producer: Kafka's least loaded node; to the
 * transaction coordinator for a transactional one), reports answers back as events, keeps the partitions' sequences
 * (PartitionSequences) in step with the producer id and epoch the chart assigns, and tells the sender when it may
 * drain. Whether an operation is allowed now is asked of the chart (`snapshot.can`); this class decides nothing.
 *
 * A transactional producer also adds each partition to the transaction before its first batch is drained
 * (AddPartitionsToTxn), sends offsets with AddOffsetsToTxn then TxnOffsetCommit (KIP-447), and ends the transaction
 * with EndTxn once no batch is incomplete; those requests go one at a time (transactional-requests.ts).
 */
import type { ErrorName } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import { actorIds, type Logger } from '@kactor/runtime';
import { createActor, type Actor } from 'xstate';
import type { ClientRuntime } from '../client-runtime.js';
import type { ConsumerGroupMetadata } from '../consumer/consumer-types.js';
import type { TopicPartitionOffset } from '../consumer/group/group-offsets.js';
import { IllegalStateError, ProducerFencedError, TransactionAbortedError } from '../errors.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection } from '../network/stale-metadata.js';
import { formatTopicPartition, topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import { PartitionSequences } from './partition-sequences.js';
import type { ProducerBatch, ProducerIdAndEpoch } from './producer-batch.js';
import { refusalOf, transactionManagerMachine, type InitProducerIdFailure, type TransactionManagerEvent } from './transaction-manager.machine.js';
import { initProducerIdAnswer, sendAddOffsetsToTxn, sendAddPartitionsToTxn, sendEndTxn, sendTxnOffsetCommit } from './transaction-wire.js';
import { TransactionalRequests, TXN_PRIORITY, type TxnOutcome, type TxnRequest } from './transactional-requests.js';

/** Errors saying the coordinator lost the producer id: abortable, with an epoch bump after the abort (KIP-360). */
const LOST_PRODUCER_ERRORS: ReadonlySet<ErrorName> = new Set<ErrorName>(['UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_ID_MAPPING']);

/** Kafka sends Integer.MAX_VALUE as the transaction timeout of an idempotent producer's InitProducerId: it has no transactions. */
const NO_TRANSACTION_TIMEOUT_MS = 2_147_483_647;

export interface TransactionManagerOptions {
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly clientId: string;
  readonly transactionalId: string | null;
  /** transaction.timeout.ms, sent with InitProducerId by a transactional producer. */
  readonly transactionTimeoutMs: number;
  readonly retryBackoffMs: number;
  /** The sender may drain again: a producer id arrived, the epoch changed, or a transactional request finished. */
  readonly wakeSender: () => void;
  /** Fail every record not yet done (a fatal or authorization error). */
  readonly abortRecords: (error: Error) => void;
  /** Fail the batches never drained (abortTransaction(): Kafka's abortUndrainedBatches). */
  readonly abortUndrainedBatches: (error: Error) => void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

export class TransactionManager {
  readonly sequences: PartitionSequences;
  private readonly actor: Actor<typeof transactionManagerMachine>;
  private readonly requests: TransactionalRequests | undefined;
  /** Partitions the coordinator added to the open transaction: only their batches may be drained. */
  private readonly partitionsInTransaction = new Set<string>();
  /** Partitions sent to but not yet added (Kafka's newPartitionsInTransaction + pendingPartitionsInTransaction). */
  private readonly newPartitions = new Map<string, TopicPartition>();
  private readonly pendingPartitions = new Set<string>();
  /** Whether the coordinator knows of this transaction (a partition or offsets were added): else EndTxn is not sent. */
  private transactionStarted = false;
  private initWaiter: Waiter | undefined;
  private pendingOperation: { operation: string; promise: Promise<void> } | undefined;
  private sendAnswer: { snapshot: unknown; allowed: boolean } = { snapshot: undefined, allowed: false };
  private closed = false;

  constructor(private readonly options: TransactionManagerOptions) {
    this.sequences = new PartitionSequences({
      transactional: options.transactionalId !== null,
      currentProducer: () => this.producerIdAndEpoch,
      isSendToPartitionAllowed: (tp) => this.isSendToPartitionAllowed(tp),
    });
    this.requests =
      options.transactionalId === null
        ? undefined
        : new TransactionalRequests({
            cluster: options.cluster,
            runtime: options.runtime,
            logger: options.logger,
            retryBackoffMs: options.retryBackoffMs,
            onError: (kind, error, errorName) =>
              // Kafka's abortableErrorIfPossible: a lost producer id is recovered by an epoch bump once the transaction is aborted.
              this.tell(kind === 'fatal' ? { type: 'error.fatal', error } : { type: 'transaction.failed', error, bumpEpoch: LOST_PRODUCER_ERRORS.has(errorName) }),
            refusalFor: (request) => this.refusalFor(request),
            wakeSender: options.wakeSender,
          });
    this.actor = createActor(transactionManagerMachine, {
      id: `${actorIds.producer(options.clientId)}/transaction-manager`,
      clock: options.runtime.clock,
      inspect: options.runtime.inspect,
      input: { transactionalId: options.transactionalId, retryBackoffMs: options.retryBackoffMs },
    });
    this.actor.on('initProducerId.send', (event) => this.sendInitProducerId(event.transactionalId, event.producerId, event.producerEpoch));
    this.actor.on('producerId.assigned', (event) => {
      options.logger.info({ producerId: event.producerIdAndEpoch.producerId, epoch: event.producerIdAndEpoch.epoch, bumped: event.bumped }, 'producer id and epoch assigned');
      // Idempotent: partitions that asked for the bump restart at sequence 0 (KIP-360), the others move over once their
      // batches are done. Transactional: InitProducerId ends a transaction, so every sequence restarts (Kafka's resetSequenceNumbers).
      if (this.isTransactional) this.sequences.reset();
      else this.sequences.rewriteSequencesAfterBump(event.producerIdAndEpoch);
      this.settleInit();
      options.wakeSender();
    });
    this.actor.on('fatalError', (event) => {
      options.logger.warn({ error: event.error.message }, 'the producer hit a fatal error; its records fail');
      this.settleInit(event.error);
      this.requests?.failAll(event.error);
      options.abortRecords(event.error);
    });
    this.actor.on('abortableError', (event) => {
      this.settleInit(event.error);
      if (options.transactionalId !== null) return;
      // Kafka's Sender.shouldHandleAuthorizationError: fail the waiting records, then start over with a new InitProducerId.
      options.abortRecords(event.error);
      this.tell({ type: 'abortableError.handled' });
    });
    this.actor.start();
  }

  get producerIdAndEpoch(): ProducerIdAndEpoch {
    return this.actor.getSnapshot().context.producerIdAndEpoch;
  }

  /** The statechart's state name (Kafka's TransactionManager.State). */
  get state(): string {
    const value = this.actor.getSnapshot().value;
    return typeof value === 'string' ? value : (Object.keys(value)[0] as string);
  }

  get transactionalId(): string | null {
    return this.options.transactionalId;
  }

  get isTransactional(): boolean {
    return this.options.transactionalId !== null;
  }

  /** Committing or aborting: everything queued is sent at once (Kafka's ready() with transactionCompleting). */
  get isCompleting(): boolean {
    return this.state === 'COMMITTING_TRANSACTION' || this.state === 'ABORTING_TRANSACTION';
  }

  /**
   * Why a record for this partition must be refused now, or null; a transactional producer adds the partition to its
   * transaction (Kafka's maybeAddPartition). The chart says whether records may be sent in its state.
   */
  admitSend(tp: TopicPartition): Error | null {
    const snapshot = this.actor.getSnapshot();
    // Asked once per snapshot, not per record: a snapshot only changes with a transition.
    if (snapshot !== this.sendAnswer.snapshot) this.sendAnswer = { snapshot, allowed: snapshot.can({ type: 'send.requested' }) };
    if (this.sendAnswer.allowed) {
      if (this.isTransactional) this.maybeAddPartition(tp);
      return null;
    }
    return refusalOf(snapshot.context) ?? new IllegalStateError(`cannot send to ${formatTopicPartition(tp)} in state ${this.state}${this.isTransactional ? ': call beginTransaction() first' : ''}`);
  }

  /** initTransactions(): gets the transactional id's producer id and epoch, fencing older producers of the id. */
  initTransactions(): Promise<void> {
    if (!this.isTransactional) return Promise.reject(new IllegalStateError('initTransactions() needs transactional.id'));
    return this.resumable('initTransactions()', () => {
      this.assertCan({ type: 'initTransactions.requested' }, 'initTransactions()');
      return new Promise<void>((resolve, reject) => {
        this.initWaiter = { resolve, reject };
        this.tell({ type: 'initTransactions.requested' });
      });
    });
  }

  beginTransaction(): void {
    this.assertCan({ type: 'transaction.begin' }, 'beginTransaction()');
    this.tell({ type: 'transaction.begin' });
  }

  /** sendOffsetsToTransaction(): AddOffsetsToTxn to the transaction coordinator, then TxnOffsetCommit to the group's (KIP-447). */
  sendOffsetsToTransaction(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    this.assertCan({ type: 'offsets.requested' }, 'sendOffsetsToTransaction()');
    return new Promise<void>((resolve, reject) => {
      this.enqueue(this.addOffsetsRequest(offsets, group, { resolve, reject }));
    });
  }

  /** commitTransaction(): every record sent is delivered, then EndTxn(commit). */
  commitTransaction(): Promise<void> {
    return this.resumable('commitTransaction()', () => {
      this.assertCan({ type: 'transaction.commit' }, 'commitTransaction()');
      this.tell({ type: 'transaction.commit' });
      return this.endTransaction(true);
    });
  }

  /** abortTransaction(): records never sent fail, those in flight are awaited, then EndTxn(abort). */
  abortTransaction(): Promise<void> {
    return this.resumable('abortTransaction()', () => {
      this.assertCan({ type: 'transaction.abort' }, 'abortTransaction()');
      this.tell({ type: 'transaction.abort' });
      this.newPartitions.clear();
      this.options.abortUndrainedBatches(new TransactionAbortedError('the transaction was aborted before this record was sent'));
      return this.endTransaction(false);
    });
  }

  /**
   * Kafka's handleCachedTransactionRequestResult: a call that timed out (max.block.ms) and is made again waits for
   * the same pending operation instead of starting another.
   */
  private resumable(operation: string, start: () => Promise<void>): Promise<void> {
    if (this.pendingOperation?.operation === operation) return this.pendingOperation.promise;
    const entry = { operation, promise: start() };
    this.pendingOperation = entry;
    const clear = () => {
      if (this.pendingOperation === entry) this.pendingOperation = undefined;
    };
    entry.promise.then(clear, clear);
    return entry.promise;
  }

  /** Why send() must fail now (the producer is in an error state), or null (Kafka's maybeFailWithError). */
  sendRefusal(): Error | null {
    return refusalOf(this.actor.getSnapshot().context);
  }

  /**
   * Before each drain (Kafka's Sender.runOnce): settles unresolved sequences, lets the chart bump the epoch when a
   * sequence was lost, asks for a producer id when there is none, and sends the next transactional request. Returns
   * whether batches may be drained (not while a transactional request is in flight, as in Kafka).
   */
  beforeDrain(hasIncompleteBatches: () => boolean): boolean {
    const lost = this.sequences.maybeResolveSequences();
    if (lost.length > 0) {
      const error = new KafkaProtocolError(errorForCode(errorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER), `records of ${lost.map(formatTopicPartition).join(', ')} may have been lost; abort the transaction`);
      this.tell({ type: 'transaction.failed', error, bumpEpoch: true });
    }
    if (this.sequences.epochBumpRequired) this.tellIfHandled({ type: 'epochBump.required' });
    this.tellIfHandled({ type: 'producerId.needed' });
    if (this.requests === undefined) return true;
    // Kafka's maybeSendAndPollTransactionalRequest: once the transaction is abortable or aborting, records never sent
    // fail (with the error that made it abortable), so that EndTxn no longer waits for them.
    const state = this.state;
    if ((state === 'ABORTABLE_ERROR' || state === 'ABORTING_TRANSACTION') && hasIncompleteBatches()) {
      this.options.abortUndrainedBatches(this.sendRefusal() ?? new TransactionAbortedError('the transaction was aborted before this record was sent'));
    }
    if (this.newPartitions.size > 0) this.enqueue(this.addPartitionsRequest());
    return !this.requests.maybeSend(hasIncompleteBatches());
  }

  /**
   * Whether a failed produce may be retried: Kafka's canRetry, where the idempotence errors have their own rules
   * (an out-of-order batch behind one still in flight waits for it; a lost sequence bumps the epoch and retries).
   */
  canRetry(errorName: ErrorName, retriable: boolean, logStartOffset: number, batch: ProducerBatch): boolean {
    return this.sequences.canRetry(errorName, retriable, logStartOffset, batch);
  }

  /** A batch failed for good: the sequences learn of it, and the chart decides whether the producer can go on. */
  batchFailed(batch: ProducerBatch, error: unknown, adjustSequenceNumbers: boolean): void {
    const errorName = error instanceof KafkaProtocolError ? error.errorName : undefined;
    const outcome = this.sequences.handleFailedBatch(batch, errorName, adjustSequenceNumbers);
    // Kafka's maybeTransitionToErrorState: fatal errors for every producer; any failure aborts a transaction.
    if ((outcome.fatal || this.isTransactional) && !(error instanceof TransactionAbortedError)) {
      const named = errorName === 'PRODUCER_FENCED' ? new ProducerFencedError((error as Error).message) : error instanceof Error ? error : new Error(String(error));
      this.tell({ type: 'batch.failed', errorName: errorName ?? 'UNKNOWN_SERVER_ERROR', error: named });
    }
  }

  close(): void {
    this.closed = true;
    const error = new IllegalStateError('the producer was closed');
    this.requests?.close(error);
    this.settleInit(error);
    this.actor.stop();
  }

  private isSendToPartitionAllowed(tp: TopicPartition): boolean {
    return !this.isTransactional || this.partitionsInTransaction.has(topicPartitionKey(tp.topic, tp.partition));
  }

  private maybeAddPartition(tp: TopicPartition): void {
    const key = topicPartitionKey(tp.topic, tp.partition);
    if (this.partitionsInTransaction.has(key) || this.pendingPartitions.has(key) || this.newPartitions.has(key)) return;
    this.newPartitions.set(key, { topic: tp.topic, partition: tp.partition });
  }

  private assertCan(event: TransactionManagerEvent, operation: string): void {
    const snapshot = this.actor.getSnapshot();
    if (snapshot.can(event)) return;
    throw refusalOf(snapshot.context) ?? new IllegalStateError(`${operation} is not allowed in state ${this.state}`);
  }

  private endTransaction(committed: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.enqueue(this.endTxnRequest(committed, { resolve, reject }));
    });
  }

  private completeTransaction(): void {
    this.transactionStarted = false;
    this.partitionsInTransaction.clear();
    this.pendingPartitions.clear();
    this.newPartitions.clear();
    this.tell({ type: 'transaction.completed' });
  }

  /** Kafka's maybeTerminateRequestWithError: in an error state only the abort's requests go. */
  private refusalFor(request: TxnRequest): Error | null {
    const state = this.state;
    if (state === 'FATAL_ERROR') return this.sendRefusal();
    if (state === 'ABORTABLE_ERROR' && !(request.isEndTxn && request.name === 'EndTxn(abort)')) return this.sendRefusal();
    return null;
  }

  private enqueue(request: TxnRequest): void {
    this.requests?.enqueue(request);
    this.options.wakeSender();
  }

  private txnFields(): { transactionalId: string; producerId: number; producerEpoch: number } {
    const { producerId, epoch } = this.producerIdAndEpoch;
    return { transactionalId: this.options.transactionalId as string, producerId, producerEpoch: epoch };
  }

  private transactionTarget() {
    return { type: 'transaction', key: this.options.transactionalId as string } as const;
  }

  private addPartitionsRequest(): TxnRequest {
    const partitions = [...this.newPartitions.values()];
    this.newPartitions.clear();
    for (const tp of partitions) this.pendingPartitions.add(topicPartitionKey(tp.topic, tp.partition));
    return {
      name: 'AddPartitionsToTxn',
      priority: TXN_PRIORITY.addPartitionsOrOffsets,
      target: this.transactionTarget(),
      isEndTxn: false,
      send: (url, onOutcome) => sendAddPartitionsToTxn(this.options.cluster, url, this.txnFields(), partitions, onOutcome),
      onDone: () => {
        for (const tp of partitions) {
          const key = topicPartitionKey(tp.topic, tp.partition);
          this.pendingPartitions.delete(key);
          this.partitionsInTransaction.add(key);
        }
        this.transactionStarted = true;
      },
      onFailed: () => {
        for (const tp of partitions) this.pendingPartitions.delete(topicPartitionKey(tp.topic, tp.partition));
      },
    };
  }

  private addOffsetsRequest(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata, waiter: Waiter): TxnRequest {
    return {
      name: 'AddOffsetsToTxn',
      priority: TXN_PRIORITY.addPartitionsOrOffsets,
      target: this.transactionTarget(),
      isEndTxn: false,
      send: (url, onOutcome) => sendAddOffsetsToTxn(this.options.cluster, url, this.txnFields(), group.groupId, onOutcome),
      onDone: () => {
        this.transactionStarted = true;
        // Kafka enqueues the TxnOffsetCommit once the coordinator has the group in the transaction.
        this.enqueue(this.txnOffsetCommitRequest(offsets, group, waiter));
      },
      onFailed: (error) => waiter.reject(error),
    };
  }

  private txnOffsetCommitRequest(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata, waiter: Waiter): TxnRequest {
    return {
      name: 'TxnOffsetCommit',
      priority: TXN_PRIORITY.addPartitionsOrOffsets,
      target: { type: 'group', key: group.groupId },
      isEndTxn: false,
      send: (url, onOutcome) => sendTxnOffsetCommit(this.options.cluster, url, this.txnFields(), offsets, group, onOutcome),
      onDone: () => waiter.resolve(),
      onFailed: (error) => waiter.reject(error),
    };
  }

  private endTxnRequest(committed: boolean, waiter: Waiter): TxnRequest {
    return {
      name: committed ? 'EndTxn(commit)' : 'EndTxn(abort)',
      priority: TXN_PRIORITY.endTxn,
      target: this.transactionTarget(),
      isEndTxn: true,
      send: (url, onOutcome) => {
        // Kafka's nextRequest: a transaction the coordinator never heard of ends without EndTxn; so does one whose
        // producer id the coordinator no longer maps (beginCompletingTransaction skips EndTxn after InvalidPidMapping).
        const lastError = refusalOf(this.actor.getSnapshot().context);
        const unmapped = lastError instanceof KafkaProtocolError && lastError.errorName === 'INVALID_PRODUCER_ID_MAPPING';
        if (!this.transactionStarted || unmapped) return onOutcome({ kind: 'done' });
        sendEndTxn(this.options.cluster, url, this.txnFields(), committed, onOutcome);
      },
      onDone: () => {
        this.completeTransaction();
        // After an abort that needs a new epoch the chart is INITIALIZING: the abort ends with that InitProducerId (Kafka).
        if (this.state === 'INITIALIZING') this.initWaiter = waiter;
        else waiter.resolve();
      },
      onFailed: (error) => waiter.reject(error),
    };
  }

  private settleInit(error?: Error): void {
    const waiter = this.initWaiter;
    if (waiter === undefined) return;
    if (error === undefined && this.state !== 'READY') return;
    this.initWaiter = undefined;
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }

  /** Sends an event the sender would send on every run only when the chart takes it now, so that inspection is not flooded. */
  private tellIfHandled(event: TransactionManagerEvent): void {
    if (this.actor.getSnapshot().can(event)) this.tell(event);
  }

  private tell(event: TransactionManagerEvent): void {
    if (!this.closed && this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  private sendInitProducerId(transactionalId: string | null, producerId: number, producerEpoch: number): void {
    const { cluster, logger } = this.options;
    if (cluster.isClosed) return;
    const transactionTimeoutMs = transactionalId === null ? NO_TRANSACTION_TIMEOUT_MS : this.options.transactionTimeoutMs;
    const body = { transactionalId, transactionTimeoutMs, producerId, producerEpoch };
    const onAnswer = (failure: InitProducerIdFailure | undefined, assigned?: { producerId: number; producerEpoch: number }) => {
      if (failure === undefined && assigned !== undefined) {
        this.tell({ type: 'initProducerId.succeeded', ...assigned });
        return;
      }
      if (failure === undefined) return;
      logger.info({ error: failure.errorName, message: failure.message }, 'InitProducerId failed');
      this.tell({ type: 'initProducerId.failed', failure });
    };
    const sendTo = (url: string, done: (outcome: TxnOutcome) => void) => {
      cluster.send(url, 'initProducerId', body, (result) => {
        const answer = initProducerIdAnswer(result);
        if ('assigned' in answer) {
          done({ kind: 'done' });
          onAnswer(undefined, answer.assigned);
          return;
        }
        // The chart retries (after retry.backoff.ms); a coordinator that moved is looked up again first.
        const { errorName } = answer.failure;
        const moved = errorName === 'NOT_COORDINATOR' || errorName === 'COORDINATOR_NOT_AVAILABLE' || isDisconnection(errorName);
        done({ kind: 'done', forgetCoordinator: moved });
        onAnswer(answer.failure);
      });
    };
    if (transactionalId === null || this.requests === undefined) {
      sendTo(cluster.anyBrokerUrl(), () => undefined);
      return;
    }
    this.enqueue({
      name: 'InitProducerId',
      priority: TXN_PRIORITY.initProducerId,
      target: this.transactionTarget(),
      isEndTxn: false,
      send: (url, onOutcome) => sendTo(url, onOutcome),
      onDone: () => undefined,
      onFailed: (error) => this.tell({ type: 'error.fatal', error }),
    });
  }
}
