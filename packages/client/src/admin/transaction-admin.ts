/**
 * The admin client's transaction calls (Kafka's `Admin.listTransactions` and `describeTransactions`, KIP-664),
 * what `kactor transactions list|describe` prints. Each broker's transaction coordinator knows only the
 * transactional ids of the `__transaction_state` partitions it leads, so the listing asks every broker and
 * merges; a description is asked of the id's coordinator, found with FindCoordinator (key type 1).
 * COORDINATOR_LOAD_IN_PROGRESS is retried at the same coordinator; NOT_COORDINATOR and
 * COORDINATOR_NOT_AVAILABLE (it moved, or is not up yet) look the coordinator up again, as Kafka's
 * DescribeTransactionsHandler does, within the call's deadline.
 */
import type { AdminConfig, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { ClientRuntime } from '../client-runtime.js';
import { TransactionalIdNotFoundError } from '../errors.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { callAtCoordinator, requestTimeoutMs, type WithRetries } from './coordinator-call.js';
import { findTransactionCoordinator, type GroupCoordinator } from '../network/find-coordinator.js';
import type { TopicPartition } from '../topic-partition.js';
import type { ListTransactionsOptions, TransactionDescription, TransactionListing } from './transaction-admin-types.js';

export interface TransactionAdminOptions {
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly config: AdminConfig;
  readonly withRetries: WithRetries;
}


const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class TransactionAdmin {
  constructor(private readonly options: TransactionAdminOptions) {}

  /**
   * ListTransactions to every broker with the filters, merged and sorted by transactional id (then broker).
   * An id listed by two brokers (its partition moved between the two answers) appears once per broker, as
   * Kafka's `allByBrokerId` keeps it. Rejects when a broker cannot answer within the deadline.
   */
  async listTransactions(filters: ListTransactionsOptions, deadlineMs: number): Promise<TransactionListing[]> {
    const { cluster, withRetries } = this.options;
    const body: RequestBody<'listTransactions'> = { stateFilters: [...(filters.states ?? [])], producerIdFilters: [...(filters.producerIds ?? [])] };
    const metadata = await withRetries('listTransactions', deadlineMs, () => cluster.fetchMetadata([]));
    const answers = await Promise.all(
      [...metadata.brokers.values()].map((broker) =>
        withRetries(`listTransactions(${broker.nodeId})`, deadlineMs, async () => {
          const response = await cluster.request(broker.url, 'listTransactions', body, { timeoutMs: this.requestTimeoutMs(deadlineMs) });
          if (response.errorCode !== errorCodes.NONE) {
            throw KafkaProtocolError.from(response.errorCode, `broker ${broker.nodeId} could not list its transactions: ${errorForCode(response.errorCode).name}`);
          }
          return response.transactionStates.map((entry): TransactionListing => ({ transactionalId: entry.transactionalId, producerId: entry.producerId, state: entry.transactionState, coordinatorId: broker.nodeId }));
        }),
      ),
    );
    return answers.flat().sort((a, b) => byName(a.transactionalId, b.transactionalId) || a.coordinatorId - b.coordinatorId);
  }

  /** DescribeTransactions at each id's coordinator; one result per id, in the order asked. */
  describeTransactions(transactionalIds: readonly string[], deadlineMs: number): Promise<TransactionDescription[]> {
    return Promise.all(transactionalIds.map((transactionalId) => this.describeOne(transactionalId, deadlineMs)));
  }

  private async describeOne(transactionalId: string, deadlineMs: number): Promise<TransactionDescription> {
    let coordinatorId = -1;
    try {
      return await this.atCoordinator(transactionalId, deadlineMs, async (coordinator, timeoutMs) => {
        coordinatorId = coordinator.nodeId;
        const response = await this.options.cluster.request(coordinator.url, 'describeTransactions', { transactionalIds: [transactionalId] }, { timeoutMs });
        return describedFrom(transactionalId, coordinator.nodeId, response);
      });
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      return { transactionalId, coordinatorId, state: null, producerId: -1, producerEpoch: -1, transactionTimeoutMs: -1, transactionStartTimeMs: null, topicPartitions: [], error };
    }
  }

  /** Runs `attempt` at the id's coordinator, finding it first and again whenever it moved; retriable errors retry until the deadline. */
  private atCoordinator<T>(transactionalId: string, deadlineMs: number, attempt: (coordinator: GroupCoordinator, requestTimeoutMs: number) => Promise<T>): Promise<T> {
    return callAtCoordinator(this.options, 'describeTransactions', deadlineMs, (timeoutMs) => findTransactionCoordinator(this.options.cluster, transactionalId, timeoutMs), attempt);
  }

  private requestTimeoutMs(deadlineMs: number): number {
    return requestTimeoutMs(this.options, deadlineMs);
  }
}

/** The id's entry of a DescribeTransactions answer, or the error it carries (thrown, so retriable ones are retried). */
function describedFrom(transactionalId: string, coordinatorId: number, response: ResponseBody<'describeTransactions'>): TransactionDescription {
  const entry = response.transactionStates.find((each) => each.transactionalId === transactionalId);
  if (entry === undefined) throw KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the coordinator did not describe transactional id ${transactionalId}`);
  if (entry.errorCode === errorCodes.TRANSACTIONAL_ID_NOT_FOUND) throw new TransactionalIdNotFoundError(transactionalId);
  if (entry.errorCode !== errorCodes.NONE) throw KafkaProtocolError.from(entry.errorCode, `describing transactional id ${transactionalId} failed: ${errorForCode(entry.errorCode).name}`);
  if (entry.transactionState === '') throw KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the coordinator described transactional id ${transactionalId} without a state`);
  const topicPartitions: TopicPartition[] = entry.topicPartitions
    .flatMap((topic) => topic.partitionIndexes.map((partition) => ({ topic: topic.name, partition })))
    .sort((a, b) => byName(a.topic, b.topic) || a.partition - b.partition);
  return {
    transactionalId,
    coordinatorId,
    state: entry.transactionState,
    producerId: entry.producerId,
    producerEpoch: entry.producerEpoch,
    transactionTimeoutMs: entry.transactionTimeoutMs,
    transactionStartTimeMs: entry.transactionStartTimeMs < 0 ? null : entry.transactionStartTimeMs,
    topicPartitions,
    error: null,
  };
}
