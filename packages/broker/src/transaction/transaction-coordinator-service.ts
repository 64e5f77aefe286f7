/**
 * The transaction coordinator of one broker (Kafka's TransactionCoordinator and TransactionStateManager as a service):
 * the shared coordinator runtime over `__transaction_state`, one shard per partition this broker leads, one chart per
 * transactional id. A transactional id belongs to partition `abs(javaHashCode(id)) % transaction.state.log.num.partitions`;
 * FindCoordinator (key type 1) answers that partition's leader, creating the topic on first use. Its requests
 * (InitProducerId with a transactional id, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions,
 * ListTransactions) are refused NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS where the runtime says so, and
 * otherwise handed to the id's chart.
 */
import type { ErrorName, MetadataImage, RequestBody, ResponseBody, TransactionLogRecord } from '@kactor/protocol';
import { decodeTransactionLogRecord, encodeTransactionLogKey, encodeTransactionLogValue, errorByName, transactionStates as protocolTransactionStates } from '@kactor/protocol';
import type { Clock, InboundRequest, Logger, PeerRequester, RequestRef, Responder } from '@kactor/runtime';
import type { InspectionEvent } from 'xstate';
import { CoordinatorRuntime } from '../coordinator-runtime/coordinator-runtime.js';
import type { CoordinatorRecordSerde } from '../coordinator-runtime/coordinator-shard.js';
import type { PartitionHost } from '../node/partition-host.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log.js';
import type { MarkerAnswer, TxnMarkers } from './transaction-markers.js';
import { TransactionStateShard, type TransactionAnswer } from './transaction-state-shard.js';
import type { ProducerIdResult, TransactionLimits } from './transaction.machine.js';

export interface TransactionStateTopicConfig {
  /** transaction.state.log.num.partitions */
  transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor */
  transactionStateLogReplicationFactor: number;
  /** transaction.state.log.min.isr */
  transactionStateLogMinIsr: number;
  /** transaction.state.log.segment.bytes */
  transactionStateLogSegmentBytes: number;
  /** How long a state change may wait for acks=all (Kafka's request.timeout.ms for TransactionStateManager appends). */
  appendTimeoutMs: number;
}

export interface TransactionCoordinatorServiceOptions {
  brokerId: number;
  topicConfig: TransactionStateTopicConfig;
  limits: TransactionLimits;
  clock: Clock;
  logger: Logger;
  responder: Responder;
  peers: PeerRequester;
  controllerUrl(): string | undefined;
  partitions: Pick<PartitionHost, 'view' | 'appendInternal'>;
  currentImage(): MetadataImage | null;
  generateProducerId(onDone: (result: ProducerIdResult) => void): void;
  sendMarkers(markers: TxnMarkers, onAnswers: (answers: MarkerAnswer[]) => void): void;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

/** `__transaction_state` records as keys and values (Kafka's TransactionLogKey/Value layout, in @kactor/protocol). */
export const transactionRecordSerde: CoordinatorRecordSerde<TransactionLogRecord> = {
  encode: (record) => ({ key: encodeTransactionLogKey(record), value: encodeTransactionLogValue(record) }),
  decode: (key, value) => {
    const decoded = decodeTransactionLogRecord(key, value);
    return decoded.ok ? decoded.record : undefined;
  },
};

const transactionApis = new Set(['addPartitionsToTxn', 'addOffsetsToTxn', 'endTxn', 'describeTransactions', 'listTransactions']);

type Ref<A extends string> = RequestRef & { readonly api: A };

export class TransactionCoordinatorService {
  readonly runtime: CoordinatorRuntime<TransactionLogRecord, TransactionStateShard>;

  constructor(private readonly options: TransactionCoordinatorServiceOptions) {
    const config = options.topicConfig;
    this.runtime = new CoordinatorRuntime({
      name: 'transaction coordinator',
      brokerId: options.brokerId,
      topic: {
        name: TRANSACTION_STATE_TOPIC,
        numPartitions: config.transactionStateLogNumPartitions,
        replicationFactor: config.transactionStateLogReplicationFactor,
        replicationFactorConfig: 'transaction.state.log.replication.factor',
        // Kafka declares it cleanup.policy=compact too; kactor does not compact yet (see the offsets topic).
        configs: [
          { name: 'segment.bytes', value: String(config.transactionStateLogSegmentBytes) },
          { name: 'min.insync.replicas', value: String(config.transactionStateLogMinIsr) },
        ],
      },
      appendTimeoutMs: config.appendTimeoutMs,
      serde: transactionRecordSerde,
      buildShard: (context) =>
        new TransactionStateShard(
          {
            brokerId: options.brokerId,
            clock: options.clock,
            limits: options.limits,
            generateProducerId: options.generateProducerId,
            sendMarkers: options.sendMarkers,
            onFatalError: options.onFatalError,
            inspect: options.inspect,
          },
          context,
        ),
      clock: options.clock,
      logger: options.logger,
      peers: options.peers,
      controllerUrl: options.controllerUrl,
      partitions: options.partitions,
      currentImage: options.currentImage,
    });
  }

  handles(api: string): boolean {
    return transactionApis.has(api);
  }

  /** FindCoordinator with key type 1: the leader of the transactional id's `__transaction_state` partition. */
  findCoordinator(transactionalId: string): ResponseBody<'findCoordinator'> {
    return this.runtime.findCoordinator(transactionalId);
  }

  onImage(image: MetadataImage): void {
    this.runtime.onImage(image);
  }

  closeAll(): void {
    this.runtime.closeAll();
  }

  haltAll(): void {
    this.runtime.haltAll();
  }

  /** InitProducerId with a transactional id (checked by the broker's InitProducerId handler first: non-empty id, timeout in range). */
  initProducerId(ref: Ref<'initProducerId'>, body: RequestBody<'initProducerId'> & { transactionalId: string }): void {
    const expected = body.producerId >= 0 ? { producerId: body.producerId, producerEpoch: body.producerEpoch } : null;
    this.toChart(body.transactionalId, { type: 'request.initProducerId', transactionTimeoutMs: body.transactionTimeoutMs, expected }, (answer) =>
      this.respond(ref, { throttleTimeMs: 0, errorCode: errorByName(answer.errorName).code, errorMessage: null, producerId: answer.producerId, producerEpoch: answer.producerEpoch }),
    );
  }

  handle(request: InboundRequest): void {
    switch (request.api) {
      case 'addPartitionsToTxn': {
        const { body } = request;
        const partitions = body.topics.flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name, partition })));
        const answer = (errorName: ErrorName) =>
          this.respond(request.ref, {
            throttleTimeMs: 0,
            results: body.topics.map((topic) => ({ name: topic.name, resultsByPartition: topic.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorByName(errorName).code })) })),
          });
        return this.toChart(body.transactionalId, { type: 'request.addPartitions', producerId: body.producerId, producerEpoch: body.producerEpoch, partitions }, (result) => answer(result.errorName));
      }
      case 'addOffsetsToTxn': {
        const { body } = request;
        return this.toChart(body.transactionalId, { type: 'request.addOffsets', producerId: body.producerId, producerEpoch: body.producerEpoch, groupId: body.groupId }, (result) =>
          this.respond(request.ref, { throttleTimeMs: 0, errorCode: errorByName(result.errorName).code }),
        );
      }
      case 'endTxn': {
        const { body } = request;
        return this.toChart(body.transactionalId, { type: 'request.endTxn', producerId: body.producerId, producerEpoch: body.producerEpoch, committed: body.committed }, (result) =>
          this.respond(request.ref, { throttleTimeMs: 0, errorCode: errorByName(result.errorName).code }),
        );
      }
      case 'describeTransactions':
        return this.respond(request.ref, this.describeTransactions(request.body));
      case 'listTransactions':
        return this.respond(request.ref, this.listTransactions(request.body));
      default:
        throw new Error(`${request.api} is not a transaction coordinator API`);
    }
  }

  private toChart(transactionalId: string, request: Parameters<TransactionStateShard['request']>[1], onAnswer: (answer: TransactionAnswer) => void): void {
    if (transactionalId === '') {
      onAnswer({ errorName: 'INVALID_REQUEST', producerId: -1, producerEpoch: -1 });
      return;
    }
    const lookup = this.runtime.shardFor(transactionalId);
    if (!lookup.ok) onAnswer({ errorName: lookup.errorName, producerId: -1, producerEpoch: -1 });
    else lookup.shard.request(transactionalId, request, onAnswer);
  }

  /** DescribeTransactions (KIP-664): each id's state, producer id and epoch, timeout, start time and partitions, or why not. */
  private describeTransactions(body: RequestBody<'describeTransactions'>): ResponseBody<'describeTransactions'> {
    return {
      throttleTimeMs: 0,
      transactionStates: body.transactionalIds.map((transactionalId) => {
        const refused = (errorName: ErrorName) => ({
          errorCode: errorByName(errorName).code,
          transactionalId,
          transactionState: '' as const,
          transactionTimeoutMs: 0,
          transactionStartTimeMs: -1,
          producerId: -1,
          producerEpoch: -1,
          topicPartitions: [],
        });
        const lookup = this.runtime.shardFor(transactionalId);
        if (!lookup.ok) return refused(lookup.errorName);
        const view = lookup.shard.view(transactionalId);
        if (view === undefined) return refused('TRANSACTIONAL_ID_NOT_FOUND');
        const { metadata } = view;
        const byTopic = new Map<string, number[]>();
        for (const partition of metadata.partitions) byTopic.set(partition.topic, [...(byTopic.get(partition.topic) ?? []), partition.partition]);
        return {
          errorCode: 0,
          transactionalId,
          transactionState: metadata.state,
          transactionTimeoutMs: metadata.txnTimeoutMs,
          transactionStartTimeMs: metadata.txnStartTimestampMs,
          producerId: metadata.producerId,
          producerEpoch: metadata.producerEpoch,
          topicPartitions: [...byTopic.entries()].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        };
      }),
    };
  }

  /** ListTransactions (KIP-664): the ids this broker coordinates, filtered by state and producer id; incomplete while a partition loads. */
  private listTransactions(body: RequestBody<'listTransactions'>): ResponseBody<'listTransactions'> {
    if (this.runtime.isLoading()) return { throttleTimeMs: 0, errorCode: errorByName('COORDINATOR_LOAD_IN_PROGRESS').code, unknownStateFilters: [], transactionStates: [] };
    const knownStates = new Set<string>(protocolTransactionStates);
    const states = new Set(body.stateFilters.filter((state) => knownStates.has(state)));
    const producerIds = new Set(body.producerIdFilters);
    const transactionStates = this.runtime
      .activeShards()
      .flatMap((shard) => shard.views())
      .map((view) => view.metadata)
      .filter((metadata) => (body.stateFilters.length === 0 || states.has(metadata.state)) && (producerIds.size === 0 || producerIds.has(metadata.producerId)))
      .map((metadata) => ({ transactionalId: metadata.transactionalId, producerId: metadata.producerId, transactionState: metadata.state }))
      .sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
    return { throttleTimeMs: 0, errorCode: 0, unknownStateFilters: body.stateFilters.filter((state) => !knownStates.has(state)), transactionStates };
  }

  private respond(ref: RequestRef, body: unknown): void {
    this.options.responder.respond(ref as RequestRef & { api: 'endTxn' }, body as ResponseBody<'endTxn'>);
  }
}
