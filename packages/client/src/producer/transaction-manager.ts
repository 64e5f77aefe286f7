/**
 * Runs the TransactionManager statechart (transaction-manager.machine.ts) for a producer with idempotence: it sends
 * the InitProducerId the chart asks for (to any broker for an idempotent producer: Kafka's least loaded node),
 * reports its answer back as an event, keeps the partitions' sequences (PartitionSequences) in step with the
 * producer id and epoch the chart assigns, and tells the sender when it may drain again. It decides nothing itself.
 */
import type { ErrorName } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import { actorIds, type Logger } from '@kactor/runtime';
import { createActor, type Actor } from 'xstate';
import type { ClientRuntime } from '../client-runtime.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection } from '../network/stale-metadata.js';
import { PartitionSequences } from './partition-sequences.js';
import type { ProducerBatch, ProducerIdAndEpoch } from './producer-batch.js';
import { refusalOf, transactionManagerMachine, type InitProducerIdFailure, type TransactionManagerEvent } from './transaction-manager.machine.js';

/** Kafka sends Integer.MAX_VALUE as the transaction timeout of an idempotent producer's InitProducerId: it has no transactions. */
const NO_TRANSACTION_TIMEOUT_MS = 2_147_483_647;

export interface TransactionManagerOptions {
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly clientId: string;
  readonly transactionalId: string | null;
  readonly retryBackoffMs: number;
  /** The sender may drain again: a producer id arrived or the epoch changed. */
  readonly wakeSender: () => void;
  /** Fail every record not yet done (a fatal or authorization error). */
  readonly abortRecords: (error: Error) => void;
}

export class TransactionManager {
  readonly sequences: PartitionSequences;
  private readonly actor: Actor<typeof transactionManagerMachine>;
  private closed = false;

  constructor(private readonly options: TransactionManagerOptions) {
    this.sequences = new PartitionSequences({ transactional: options.transactionalId !== null, currentProducer: () => this.producerIdAndEpoch });
    this.actor = createActor(transactionManagerMachine, {
      id: `${actorIds.producer(options.clientId)}/transaction-manager`,
      clock: options.runtime.clock,
      inspect: options.runtime.inspect,
      input: { transactionalId: options.transactionalId, retryBackoffMs: options.retryBackoffMs },
    });
    this.actor.on('initProducerId.send', (event) => this.sendInitProducerId(event.transactionalId, event.producerId, event.producerEpoch));
    this.actor.on('producerId.assigned', (event) => {
      options.logger.info({ producerId: event.producerIdAndEpoch.producerId, epoch: event.producerIdAndEpoch.epoch, bumped: event.bumped }, 'producer id and epoch assigned');
      // Partitions that asked for the bump restart at sequence 0 (KIP-360); the others move over once their batches are done.
      this.sequences.rewriteSequencesAfterBump(event.producerIdAndEpoch);
      options.wakeSender();
    });
    this.actor.on('fatalError', (event) => {
      options.logger.warn({ error: event.error.message }, 'the producer hit a fatal error; its records fail');
      options.abortRecords(event.error);
    });
    this.actor.on('abortableError', (event) => {
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
    return typeof value === 'string' ? value : Object.keys(value)[0] as string;
  }

  /** Why send() must fail now (the producer is in an error state), or null (Kafka's maybeFailWithError). */
  sendRefusal(): Error | null {
    return refusalOf(this.actor.getSnapshot().context);
  }

  /**
   * Before each drain (Kafka's Sender.runOnce): settles unresolved sequences, lets the chart bump the epoch when a
   * sequence was lost, and asks for a producer id when there is none. Returns whether batches may be drained.
   */
  beforeDrain(): boolean {
    this.sequences.maybeResolveSequences();
    if (this.sequences.epochBumpRequired) this.tellIfHandled({ type: 'epochBump.required' });
    this.tellIfHandled({ type: 'producerId.needed' });
    return this.state === 'READY';
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
    if (outcome.fatal && errorName !== undefined) this.tell({ type: 'batch.failed', errorName, error: error as Error });
  }

  close(): void {
    this.closed = true;
    this.actor.stop();
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
    const url = cluster.anyBrokerUrl();
    const body = { transactionalId, transactionTimeoutMs: NO_TRANSACTION_TIMEOUT_MS, producerId, producerEpoch };
    cluster.send(url, 'initProducerId', body, (result) => {
      let failure: InitProducerIdFailure;
      if (!result.ok) {
        // No answer (disconnected, request.timeout.ms): Kafka re-enqueues the request. A refusal keeps its own retriable flag.
        failure = { errorName: result.error.name, retriable: result.error.retriable || isDisconnection(result.error.name), message: result.error.message };
      } else if (result.body.errorCode !== errorCodes.NONE) {
        const info = errorForCode(result.body.errorCode);
        failure = { errorName: info.name, retriable: info.retriable, message: result.body.errorMessage ?? info.message };
      } else if (result.body.producerId < 0 || result.body.producerEpoch < 0) {
        failure = { errorName: 'UNKNOWN_SERVER_ERROR', retriable: false, message: `InitProducerId answered producer id ${result.body.producerId} epoch ${result.body.producerEpoch}` };
      } else {
        this.tell({ type: 'initProducerId.succeeded', producerId: result.body.producerId, producerEpoch: result.body.producerEpoch });
        return;
      }
      logger.info({ url, error: failure.errorName, message: failure.message }, 'InitProducerId failed');
      this.tell({ type: 'initProducerId.failed', failure });
    });
  }
}
