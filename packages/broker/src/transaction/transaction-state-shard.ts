/**
 * The transactional ids of one `__transaction_state` partition that this broker leads: the transaction coordinator's
 * shard of the coordinator runtime (coordinator-runtime/). While loading it collects the partition's records; once
 * loaded, every transactional id is its own root actor (`broker-1/transaction/copier-1`, transaction.machine.ts),
 * created from its last record, so a transaction found prepared sends its markers at once and a new coordinator
 * finishes what the old one began. The shard executes what the charts ask: their records are appended to the
 * partition (acks=all), producer ids come from the broker's producer id manager, markers go out through the marker
 * channel, and answers reach the waiting requests.
 */
import { actorIds, type Clock, type Logger } from '@kactor/runtime';
import type { ErrorName, TransactionLogRecord } from '@kactor/protocol';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import type { CoordinatorShard, CoordinatorShardContext } from '../coordinator-runtime/coordinator-shard.js';
import type { MarkerAnswer, TxnMarkers } from './transaction-markers.js';
import { newTransactionMetadata, NO_PRODUCER_ID, type TransactionMetadata } from './transaction-metadata.js';
import { replayTransactionRecords } from './transaction-replay.js';
import { transactionMachine, type ProducerIdResult, type TransactionEmitted, type TransactionEvent, type TransactionLimits } from './transaction.machine.js';

export type TransactionActor = ActorRefFrom<typeof transactionMachine>;

/** What a waiting request is told: an error, or NONE (with the producer id and epoch for InitProducerId). */
export interface TransactionAnswer {
  errorName: ErrorName;
  producerId: number;
  producerEpoch: number;
}

/** A request for the chart, without the request id the shard gives it. */
export type TransactionRequest = DistributiveOmit<Extract<TransactionEvent, { requestId: number }>, 'requestId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface TransactionStateShardOptions {
  brokerId: number;
  clock: Clock;
  limits: TransactionLimits;
  /** A new producer id from the broker's producer id manager (KIP-730). */
  generateProducerId(onDone: (result: ProducerIdResult) => void): void;
  /** WriteTxnMarkers to the leaders of the markers' partitions; every partition's outcome is reported back. */
  sendMarkers(markers: TxnMarkers, onAnswers: (answers: MarkerAnswer[]) => void): void;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

export interface TransactionView {
  /** The chart's state (PrepareEpochFence included, which Kafka never writes). */
  chartState: string;
  metadata: TransactionMetadata;
}

export class TransactionStateShard implements CoordinatorShard<TransactionLogRecord> {
  /** The partition's records while loading; the last record of an id is its state. */
  private loading: TransactionLogRecord[] | null = [];
  private readonly actors = new Map<string, TransactionActor>();
  private readonly waiting = new Map<number, (answer: TransactionAnswer) => void>();
  private nextRequestId = 1;
  private readonly logger: Logger;

  constructor(
    private readonly options: TransactionStateShardOptions,
    private readonly context: CoordinatorShardContext<TransactionLogRecord>,
  ) {
    this.logger = context.logger;
  }

  replay(record: TransactionLogRecord): void {
    if (this.loading === null) throw new Error(`partition ${this.context.partition}: a record replayed after loading`);
    this.loading.push(record);
  }

  /** `__transaction_state` holds no transactions of its own: nothing is written to it transactionally. */
  replayEndTransaction(): void {}

  onLoaded(): void {
    const records = this.loading ?? [];
    this.loading = null;
    for (const [transactionalId, metadata] of replayTransactionRecords(records)) this.start(transactionalId, metadata);
    this.logger.debug({ partition: this.context.partition, leaderEpoch: this.context.leaderEpoch, transactionalIds: this.actors.size }, 'transactions loaded');
  }

  /** Leadership moved: the charts stop, and requests still waiting are told NOT_COORDINATOR (the client looks the coordinator up again). */
  onUnloaded(): void {
    this.stopAll();
    for (const answer of [...this.waiting.values()]) answer({ errorName: 'NOT_COORDINATOR', producerId: -1, producerEpoch: -1 });
    this.waiting.clear();
  }

  halt(): void {
    this.stopAll();
    this.waiting.clear();
  }

  /**
   * Hands a request to its transactional id's chart, which answers through `onAnswer`. InitProducerId creates the id
   * (Kafka's getOrCreateTransactionState); any other request for an unknown id is INVALID_PRODUCER_ID_MAPPING.
   */
  request(transactionalId: string, request: TransactionRequest, onAnswer: (answer: TransactionAnswer) => void): void {
    let actor = this.actors.get(transactionalId);
    if (actor === undefined) {
      if (request.type !== 'request.initProducerId') {
        onAnswer({ errorName: 'INVALID_PRODUCER_ID_MAPPING', producerId: -1, producerEpoch: -1 });
        return;
      }
      actor = this.start(transactionalId, newTransactionMetadata(transactionalId, NO_PRODUCER_ID, request.transactionTimeoutMs, this.options.clock.now()));
    }
    const requestId = this.nextRequestId;
    this.nextRequestId += 1;
    this.waiting.set(requestId, onAnswer);
    actor.send({ ...request, requestId } as TransactionEvent);
  }

  view(transactionalId: string): TransactionView | undefined {
    const actor = this.actors.get(transactionalId);
    if (actor === undefined) return undefined;
    const snapshot = actor.getSnapshot();
    return { chartState: typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0] ?? 'Loaded', metadata: snapshot.context.metadata };
  }

  views(): TransactionView[] {
    return [...this.actors.keys()].flatMap((transactionalId) => {
      const view = this.view(transactionalId);
      return view === undefined ? [] : [view];
    });
  }

  private stopAll(): void {
    this.loading = null;
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }

  private answer(requestId: number, answer: TransactionAnswer): void {
    const waiting = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    waiting?.(answer);
  }

  private start(transactionalId: string, metadata: TransactionMetadata): TransactionActor {
    const id = actorIds.transaction(this.options.brokerId, transactionalId);
    const actor = createActor(transactionMachine, {
      id,
      clock: this.options.clock,
      inspect: this.options.inspect,
      input: {
        metadata,
        // The partition's leader epoch is the coordinator epoch: markers of an older coordinator are refused by the leaders.
        coordinatorEpoch: this.context.leaderEpoch,
        limits: this.options.limits,
        ports: { clock: this.options.clock, logger: this.logger.child({ actor: id, transactionalId }) },
      },
    });
    actor.on('*', (event: TransactionEmitted) => this.execute(actor, event));
    actor.subscribe({
      complete: () => {
        if (this.actors.get(transactionalId) === actor) this.actors.delete(transactionalId);
      },
      error: (error) => this.options.onFatalError(error),
    });
    this.actors.set(transactionalId, actor);
    actor.start();
    return actor;
  }

  /** What a chart asked for (its emitted events arrive after its step, so nothing here runs inside one). */
  private execute(actor: TransactionActor, event: TransactionEmitted): void {
    switch (event.type) {
      case 'records.toAppend':
        this.context.append([event.record], undefined, (result) => actor.send({ type: 'records.appended', token: event.token, result }));
        return;
      case 'producerId.toGenerate':
        this.options.generateProducerId((result) => actor.send({ type: 'producerId.generated', result }));
        return;
      case 'markers.toSend':
        this.options.sendMarkers(event.markers, (answers) => {
          if (actor.getSnapshot().status === 'active') actor.send({ type: 'markers.answered', answers });
        });
        return;
      case 'answer.initProducerId':
        this.answer(event.requestId, { errorName: event.errorName, producerId: event.producerId, producerEpoch: event.producerEpoch });
        return;
      case 'answer':
        this.answer(event.requestId, { errorName: event.errorName, producerId: -1, producerEpoch: -1 });
        return;
      case 'transaction.completed':
        this.logger.debug({ transactionalId: event.transactionalId, state: event.state }, 'transaction completed');
        return;
    }
  }
}
