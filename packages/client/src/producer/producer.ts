/**
 * The producer (Kafka's `KafkaProducer`): send() partitions a record, appends it to its partition's batch
 * in the accumulator, and resolves once the leader acknowledged the batch (per `acks`).
 *
 * send() may have to wait, as Kafka's blocks the calling thread: for the topic's metadata (its partition
 * count) and for buffer.memory to be freed by batches completing, together at most max.block.ms, after
 * which the record fails with REQUEST_TIMED_OUT (Kafka's TimeoutException). Sends that wait keep their
 * order: a send made while another waits queues behind it, so records are appended in call order.
 *
 * Errors: a record larger than max.request.size or buffer.memory fails with MESSAGE_TOO_LARGE (Kafka's
 * RecordTooLargeException); broker errors fail records with the named `KafkaProtocolError`; a record that
 * could not be delivered within delivery.timeout.ms fails with REQUEST_TIMED_OUT; send() after close()
 * fails with IllegalStateError. All of them reject the promise send() returned.
 *
 * Key and value bytes are referenced until the batch is encoded (when it is first sent): do not modify a
 * Uint8Array after passing it to send().
 *
 * Idempotence (enable.idempotence, on by default as in Kafka 3.0+, KIP-98): the producer gets an id and epoch
 * with InitProducerId before its first batch goes, and numbers its batches per partition, so that the leader
 * writes a retried batch once. The TransactionManager statechart decides about the id and epoch; after a
 * fatal error (fenced, not authorized) every record not yet done fails, and so does every later send().
 * With idempotence off (acks not all, retries 0, or more than 5 requests in flight), a retry after a lost
 * answer can write a batch twice, as with Kafka's producer.
 */
import type { ProducerConfig } from '@kactor/protocol';
import { actorIds, type Logger } from '@kactor/runtime';
import { createActor, type Actor, type EventFrom } from 'xstate';
import { resolveClientConfig, type ClientConfigInput } from '../client-config.js';
import { systemClientRuntime, type ClientRuntime } from '../client-runtime.js';
import { MAX_BLOCKED_SENDS } from '../constants.js';
import { IllegalStateError, KafkaClientError, timeoutError } from '../errors.js';
import { withDeadline } from '../internal/deadline.js';
import { FifoQueue } from '../internal/fifo-queue.js';
import type { ConsumerGroupMetadata } from '../consumer/consumer-types.js';
import type { TopicPartitionOffset } from '../consumer/group/group-offsets.js';
import { clusterClientFor, type ClusterClient } from '../network/cluster-client.js';
import { keyedPartition, StickyPartitioner } from './partitioner.js';
import type { RecordCompletion } from './producer-batch.js';
import { producerMachine } from './producer.machine.js';
import type { ProducerRecord, RecordMetadata } from './producer-types.js';
import { RecordAccumulator } from './record-accumulator.js';
import { prepareRecord, type PreparedRecord } from './record-preparation.js';
import { Sender } from './sender.js';
import { TransactionManager } from './transaction-manager.js';

type AppendOutcome = 'appended' | 'metadata' | 'memory';

interface BlockedSend {
  readonly record: PreparedRecord;
  readonly completion: RecordCompletion;
  readonly startedMs: number;
  readonly deadlineMs: number;
  waitingFor: Exclude<AppendOutcome, 'appended'>;
  left: boolean;
}

export interface ProducerCloseOptions {
  /**
   * How long to wait for queued records to be delivered; records still pending then fail. Default: wait
   * until every record is delivered or failed (each is bounded by delivery.timeout.ms).
   */
  readonly timeoutMs?: number;
}

export class Producer {
  private readonly cluster: ClusterClient;
  private readonly accumulator: RecordAccumulator;
  private readonly sender: Sender;
  private readonly partitioner: StickyPartitioner;
  private readonly blocked = new FifoQueue<BlockedSend>();
  private readonly flushWaiters: Array<{ entry: BlockedSend; resolve: () => void }> = [];
  private readonly stopWatchingMetadata: () => void;
  private readonly actor: Actor<typeof producerMachine>;
  /** Present with idempotence: the producer id, epoch and sequences. */
  private readonly transactionManager: TransactionManager | undefined;
  private memoryUsedBytes = 0;
  private flushesInProgress = 0;
  private blockedRunQueued = false;
  /** The waiting send (and its reason) the statechart was last told about, so it hears only of changes. */
  private notifiedBlocked: { entry: BlockedSend; waitingFor: BlockedSend['waitingFor'] } | undefined;
  private closePromise: Promise<void> | undefined;

  private constructor(
    readonly config: ProducerConfig,
    private readonly runtime: ClientRuntime,
    bootstrapUrls: readonly string[],
    clientId: string,
    logger: Logger,
  ) {
    // Kafka's producer always allows auto-creation; the broker's auto.create.topics.enable decides.
    this.cluster = clusterClientFor(config, runtime, bootstrapUrls, logger, { allowAutoTopicCreation: true });
    this.actor = createActor(producerMachine, {
      id: actorIds.producer(clientId),
      clock: runtime.clock,
      inspect: runtime.inspect,
      input: {
        clientId,
        ports: {
          clock: runtime.clock,
          expireBlockedSends: () => this.expireOldestBlockedSend(),
        },
      },
    }).start();
    this.transactionManager = config.enableIdempotence
      ? new TransactionManager({
          cluster: this.cluster,
          runtime,
          logger,
          clientId,
          transactionalId: config.transactionalId,
          transactionTimeoutMs: config.transactionTimeoutMs,
          retryBackoffMs: config.retryBackoffMs,
          wakeSender: () => this.sender.wakeup(),
          abortRecords: (error) => this.abort(error),
          abortUndrainedBatches: (error) => this.accumulator.abortUndrainedBatches(error),
        })
      : undefined;
    this.accumulator = new RecordAccumulator({
      batchSizeBytes: config.batchSize,
      lingerMs: config.lingerMs,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      compressionType: config.compressionType,
      releaseMemory: (bytes) => this.releaseMemory(bytes),
      onPendingChange: (pending) => this.tell({ type: pending ? 'records.pending' : 'records.delivered' }),
      sequencing: this.transactionManager?.sequences,
    });
    this.sender = new Sender({
      cluster: this.cluster,
      accumulator: this.accumulator,
      runtime,
      logger,
      acks: config.acks,
      requestTimeoutMs: config.requestTimeoutMs,
      maxInFlightRequestsPerConnection: config.maxInFlightRequestsPerConnection,
      maxRequestSizeBytes: config.maxRequestSize,
      retries: config.retries,
      retryBackoff: { initialMs: config.retryBackoffMs, maxMs: config.retryBackoffMaxMs },
      sendAll: () => this.flushesInProgress > 0 || this.closing || this.blocked.peek()?.waitingFor === 'memory' || this.transactionManager?.isCompleting === true,
      transactionManager: this.transactionManager,
    });
    this.partitioner = new StickyPartitioner(runtime.random, config.batchSize);
    this.stopWatchingMetadata = this.cluster.onMetadataUpdate(() => {
      this.sender.wakeup();
      if (this.blocked.length > 0) this.scheduleBlockedRun();
    });
  }

  /** Settings by Kafka name (`{ 'bootstrap.servers': '127.0.0.1:9101', acks: 'all' }`) or a parsed ProducerConfig. */
  static create(config: ClientConfigInput<'producer'>, runtime: ClientRuntime = systemClientRuntime()): Producer {
    const resolved = resolveClientConfig('producer', config, runtime);
    const clientId = resolved.config.clientId || runtime.ids.next('producer');
    return new Producer(resolved.config, runtime, resolved.bootstrapUrls, clientId, runtime.logger.child({ client: clientId }));
  }

  /** The statechart's state: `closing` and `closed` refuse send(). */
  private get closing(): boolean {
    return !this.actor.getSnapshot().matches('ready');
  }

  send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.closing) return Promise.reject(new IllegalStateError('send() after the producer was closed'));
    // Kafka's maybeFailWithError: after a fatal error (fenced, not authorized) nothing more can be sent.
    const refusal = this.transactionManager?.sendRefusal() ?? null;
    if (refusal !== null) return Promise.reject(refusal);
    let prepared: PreparedRecord;
    try {
      prepared = prepareRecord(record, this.config, this.runtime.clock.now());
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<RecordMetadata>((resolve, reject) => {
      const completion: RecordCompletion = { resolve, reject };
      // A send made while others wait queues behind them, so that records keep their call order.
      const outcome = this.blocked.length === 0 ? this.tryAppend(prepared, completion) : 'metadata';
      if (outcome !== 'appended') this.block(prepared, completion, outcome);
    });
  }

  /**
   * Gets the producer id and epoch of transactional.id from its transaction coordinator (InitProducerId), which fences
   * every older producer with the same id and ends its open transaction. Call it once, before the first transaction.
   */
  initTransactions(): Promise<void> {
    try {
      return this.withinMaxBlock('initTransactions()', this.transactions('initTransactions()').initTransactions());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Starts a transaction: the records sent until commitTransaction() or abortTransaction() belong to it. */
  beginTransaction(): void {
    this.transactions('beginTransaction()').beginTransaction();
  }

  /**
   * Commits the consumer's offsets with the transaction (KIP-447): `offsets` as for commitSync() (the next offset to
   * read), `groupMetadata` from consumer.groupMetadata(), so that the group coordinator refuses a consumer fenced out
   * of its generation. The offsets become visible to the group when the transaction commits.
   */
  async sendOffsetsToTransaction(offsets: readonly TopicPartitionOffset[], groupMetadata: ConsumerGroupMetadata): Promise<void> {
    await this.withinMaxBlock('sendOffsetsToTransaction()', this.transactions('sendOffsetsToTransaction()').sendOffsetsToTransaction(offsets, groupMetadata));
  }

  /**
   * Delivers every record of the transaction, then commits it (EndTxn). Fails with the error that made the transaction
   * abortable (abort it then), or with PRODUCER_FENCED when a newer producer took over the transactional.id (close then).
   */
  async commitTransaction(): Promise<void> {
    const transactions = this.transactions('commitTransaction()');
    // Sends still waiting for metadata or memory belong to the transaction: they are appended first.
    await this.blockedSendsAdmitted();
    await this.withinMaxBlock('commitTransaction()', transactions.commitTransaction());
  }

  /** Drops the records not sent yet (they fail with TransactionAbortedError), waits for those in flight, then aborts (EndTxn). */
  async abortTransaction(): Promise<void> {
    await this.withinMaxBlock('abortTransaction()', this.transactions('abortTransaction()').abortTransaction());
  }

  /**
   * Kafka bounds the transactional calls by max.block.ms with a TimeoutException (REQUEST_TIMED_OUT here); the
   * operation goes on, and calling it again waits for the same one.
   */
  private withinMaxBlock(operation: string, promise: Promise<void>): Promise<void> {
    const { clock } = this.runtime;
    const limitMs = this.config.maxBlockMs;
    return withDeadline(clock, promise, clock.now() + limitMs, () => timeoutError(`${operation} did not complete within max.block.ms=${limitMs}; call it again to keep waiting`));
  }

  private transactions(operation: string): TransactionManager {
    if (this.closing) throw new IllegalStateError(`${operation} after the producer was closed`);
    const manager = this.transactionManager;
    if (manager === undefined || !manager.isTransactional) throw new IllegalStateError(`${operation} needs transactional.id`);
    return manager;
  }

  /**
   * Sends everything queued at once (ignoring linger.ms) and resolves when every record sent before this
   * call has completed, successfully or not (their own promises carry the outcome).
   */
  async flush(): Promise<void> {
    this.flushesInProgress += 1;
    if (this.flushesInProgress === 1) this.tell({ type: 'flush.started' });
    try {
      this.sender.wakeup();
      await this.blockedSendsAdmitted();
      this.sender.wakeup();
      await this.accumulator.awaitIncomplete();
    } finally {
      this.flushesInProgress -= 1;
      if (this.flushesInProgress === 0) this.tell({ type: 'flush.completed' });
    }
  }

  /**
   * Stops accepting records, delivers those already sent (see `timeoutMs`), and closes the connections.
   * Calling it again returns the same promise.
   */
  close(options: ProducerCloseOptions = {}): Promise<void> {
    this.closePromise ??= this.shutDown(options.timeoutMs);
    return this.closePromise;
  }

  private async shutDown(timeoutMs: number | undefined): Promise<void> {
    this.tell({ type: 'close.requested' });
    const flushed = this.flush();
    if (timeoutMs === undefined) {
      await flushed;
    } else {
      const clock = this.runtime.clock;
      const delivered = await withDeadline(clock, flushed.then(() => true), clock.now() + Math.max(0, timeoutMs), () => false).catch(() => false);
      if (!delivered) this.abort(new KafkaClientError(`the producer was closed before its records were delivered (close timeout ${timeoutMs} ms)`));
    }
    this.stopWatchingMetadata();
    this.sender.close();
    this.transactionManager?.close();
    this.cluster.close();
    this.tell({ type: 'close.completed' });
  }

  private abort(error: unknown): void {
    for (const entry of this.blocked.drain()) this.leaveBlocked(entry, () => entry.completion.reject(error));
    this.accumulator.abortIncomplete(error);
  }

  private tryAppend(record: PreparedRecord, completion: RecordCompletion): AppendOutcome {
    if (!this.cluster.isTracked(record.topic)) this.cluster.trackTopics([record.topic]);
    const topic = this.cluster.metadata.topic(record.topic);
    if (topic === undefined || topic.partitions.length === 0) return 'metadata';
    const numPartitions = topic.partitions.length;
    let partition: number;
    let sticky = false;
    if (record.partition !== undefined) {
      // A partition beyond the known count may have just been added: wait for metadata that shows it.
      if (record.partition >= numPartitions) return 'metadata';
      partition = record.partition;
    } else if (record.keyBytes !== null && !this.config.partitionerIgnoreKeys) {
      partition = keyedPartition(record.keyBytes, numPartitions);
    } else {
      partition = this.partitioner.partition(record.topic, numPartitions, topic.availablePartitions);
      // A switch put off while the partition's batch was open happens once that batch has gone (KIP-794).
      if (this.accumulator.allBatchesFull(record.topic, partition)) {
        this.partitioner.onAppend(record.topic, partition, 0, true, numPartitions, topic.availablePartitions);
        partition = this.partitioner.partition(record.topic, numPartitions, topic.availablePartitions);
      }
      sticky = true;
    }
    // Kafka's maybeAddPartition: the chart says whether records may be sent now; a transaction adds the partition.
    const refusal = this.transactionManager?.admitSend({ topic: record.topic, partition }) ?? null;
    if (refusal !== null) throw refusal;
    if (this.memoryUsedBytes + record.reservedBytes > this.config.bufferMemory) return 'memory';
    this.memoryUsedBytes += record.reservedBytes;
    const result = this.accumulator.append(record.topic, partition, { input: record.input, fixedBytes: record.fixedBytes, completion }, this.runtime.clock.now());
    if (sticky) this.partitioner.onAppend(record.topic, partition, result.appendedBytes, result.lastBatchFull, numPartitions, topic.availablePartitions);
    if (result.newBatchCreated || result.lastBatchFull) this.sender.wakeup();
    return 'appended';
  }

  private block(record: PreparedRecord, completion: RecordCompletion, waitingFor: Exclude<AppendOutcome, 'appended'>): void {
    if (this.blocked.length >= MAX_BLOCKED_SENDS) {
      completion.reject(timeoutError(`${MAX_BLOCKED_SENDS} sends already wait for metadata or buffer memory`));
      return;
    }
    const nowMs = this.runtime.clock.now();
    this.blocked.push({ record, completion, startedMs: nowMs, deadlineMs: nowMs + this.config.maxBlockMs, waitingFor, left: false });
    if (this.blocked.length > 1) return; // it waits behind the head, which already asked for what it needs
    if (waitingFor === 'memory') this.sender.wakeup();
    else this.cluster.requestMetadataUpdate();
    this.notifyAdmission();
  }

  /**
   * The statechart's max.block.ms timer ended for the oldest waiting send (the chart decides when; this class keeps
   * no deadline check of its own): it is appended if it can be right now, else it fails with REQUEST_TIMED_OUT. The
   * queue then moves on, and the chart arms its timer for the next waiting send (at once if its time is up too).
   */
  private expireOldestBlockedSend(): void {
    const head = this.blocked.shift();
    if (head !== undefined) {
      let outcome: AppendOutcome | undefined;
      try {
        outcome = this.tryAppend(head.record, head.completion);
      } catch (error) {
        this.leaveBlocked(head, () => head.completion.reject(error));
      }
      if (outcome === 'appended') this.leaveBlocked(head);
      else if (outcome !== undefined) this.leaveBlocked(head, () => head.completion.reject(this.blockedTimeout(head, outcome)));
    }
    // Told again even if the oldest send looks unchanged, so that its timer is armed anew.
    this.notifiedBlocked = undefined;
    this.runBlocked();
  }

  /** Admits waiting sends in order while they can be appended; the first that cannot waits (the chart times it). */
  private runBlocked(): void {
    while (this.blocked.length > 0) {
      const head = this.blocked.peek() as BlockedSend;
      let outcome: AppendOutcome;
      try {
        outcome = this.tryAppend(head.record, head.completion);
      } catch (error) {
        // A limit refused the record (too many topics tracked): fail this send, not the queue.
        this.blocked.shift();
        this.leaveBlocked(head, () => head.completion.reject(error));
        continue;
      }
      if (outcome === 'appended') {
        this.blocked.shift();
        this.leaveBlocked(head);
        continue;
      }
      head.waitingFor = outcome;
      if (outcome === 'metadata') this.cluster.requestMetadataUpdate();
      else this.sender.wakeup();
      break;
    }
    this.notifyAdmission();
  }

  private blockedTimeout(entry: BlockedSend, outcome: Exclude<AppendOutcome, 'appended'>): unknown {
    const waitedMs = this.runtime.clock.now() - entry.startedMs;
    const { topic, partition } = entry.record;
    if (outcome === 'memory') return timeoutError(`no buffer.memory was freed for the record within max.block.ms=${this.config.maxBlockMs} (waited ${waitedMs} ms)`);
    const count = this.cluster.partitionCount(topic);
    if (partition !== undefined && count !== undefined) {
      return timeoutError(`partition ${partition} of topic ${topic} (which has ${count} partitions) did not appear in metadata within max.block.ms=${this.config.maxBlockMs}`);
    }
    // Kafka's words (KafkaProducer.waitOnMetadata), with the setting named: the topic does not exist and was not
    // created (auto.create.topics.enable=false), or the cluster did not answer in time.
    return timeoutError(`Topic ${topic} not present in metadata after ${this.config.maxBlockMs} ms (max.block.ms; waited ${waitedMs} ms)`);
  }

  private leaveBlocked(entry: BlockedSend, settle?: () => void): void {
    entry.left = true;
    settle?.();
    for (let index = this.flushWaiters.length - 1; index >= 0; index--) {
      const waiter = this.flushWaiters[index] as { entry: BlockedSend; resolve: () => void };
      if (waiter.entry.left) {
        this.flushWaiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once every send queued now has been appended or has failed. */
  private blockedSendsAdmitted(): Promise<void> {
    const tail = this.blocked.last();
    if (tail === undefined) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push({ entry: tail, resolve }));
  }

  private releaseMemory(bytes: number): void {
    this.memoryUsedBytes -= bytes;
    if (this.blocked.length > 0) this.scheduleBlockedRun();
  }

  /** Runs the blocked queue after the current work, not inside a batch's completion. */
  private scheduleBlockedRun(): void {
    if (this.blockedRunQueued) return;
    this.blockedRunQueued = true;
    queueMicrotask(() => {
      this.blockedRunQueued = false;
      this.runBlocked();
    });
  }

  /** Sends the statechart an event, unless it has closed (a flush() may end after a close with a timeout). */
  private tell(event: EventFrom<typeof producerMachine>): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  /** Tells the statechart which send waits now (its max.block.ms timer runs there), or that none does. */
  private notifyAdmission(): void {
    const head = this.blocked.peek();
    const notified = this.notifiedBlocked;
    if (head === undefined) {
      if (notified === undefined && this.actor.getSnapshot().matches({ ready: { admission: 'admitting' } })) return;
      this.notifiedBlocked = undefined;
      this.tell({ type: 'send.admitted' });
      return;
    }
    if (notified?.entry === head && notified.waitingFor === head.waitingFor) return;
    this.notifiedBlocked = { entry: head, waitingFor: head.waitingFor };
    this.tell({ type: 'send.blocked', waitingFor: head.waitingFor, deadlineMs: head.deadlineMs });
  }
}
