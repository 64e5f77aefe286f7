/**
 * A test fixture, not shipped API: the fake cluster's transaction coordinators as far as the admin's
 * transaction calls see them (KIP-664). Each transactional id lives at one broker's coordinator
 * (`coordinatorId`); FindCoordinator with key type 1 names it (an unknown id: the cluster's `coordinatorId`),
 * ListTransactions at a broker lists the ids it holds with the request's filters, DescribeTransactions
 * describes them there and answers NOT_COORDINATOR elsewhere, TRANSACTIONAL_ID_NOT_FOUND for unknown ids.
 * (The transactional producer's coordinator is fake-txn-coordinator.ts.)
 *
 * Faults: `inject(api, brokerId, ...errors)` makes that broker's next answers to the API carry the errors
 * (for DescribeTransactions, in each id's entry), one per answer; `answerFindCoordinatorWith(id, ...brokerIds)`
 * makes the next FindCoordinator answers for the id name those brokers (a stale view, or a coordinator that moved).
 */
import type { ErrorName, RequestBody, ResponseBody, TransactionStateName } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { TopicPartition } from '../topic-partition.js';

export interface FakeTransactionState {
  readonly transactionalId: string;
  /** The broker whose transaction coordinator holds the id. */
  coordinatorId: number;
  producerId: number;
  producerEpoch: number;
  state: TransactionStateName;
  transactionTimeoutMs: number;
  /** When the open transaction began; -1 when none is open. */
  transactionStartTimeMs: number;
  partitions: TopicPartition[];
}

export type FakeTransactionApi = 'listTransactions' | 'describeTransactions';

const code = (name: ErrorName): number => errorByName(name).code;

export class FakeTransactionCoordinators {
  readonly transactions = new Map<string, FakeTransactionState>();
  private readonly injected = new Map<string, ErrorName[]>();
  private readonly findAnswers = new Map<string, number[]>();

  /** Adds or replaces a transactional id's state; absent fields get an Empty id's values. */
  put(state: Partial<FakeTransactionState> & Pick<FakeTransactionState, 'transactionalId' | 'coordinatorId'>): FakeTransactionState {
    const full: FakeTransactionState = { producerId: 0, producerEpoch: 0, state: 'Empty', transactionTimeoutMs: 60_000, transactionStartTimeMs: -1, partitions: [], ...state };
    this.transactions.set(full.transactionalId, full);
    return full;
  }

  inject(api: FakeTransactionApi, brokerId: number, ...errors: ErrorName[]): void {
    const key = `${api}/${brokerId}`;
    this.injected.set(key, [...(this.injected.get(key) ?? []), ...errors]);
  }

  answerFindCoordinatorWith(transactionalId: string, ...brokerIds: number[]): void {
    this.findAnswers.set(transactionalId, [...(this.findAnswers.get(transactionalId) ?? []), ...brokerIds]);
  }

  /** The broker FindCoordinator names for the id: an injected answer first, else where the id lives, else `fallbackId`. */
  coordinatorOf(transactionalId: string, fallbackId: number): number {
    const injected = this.findAnswers.get(transactionalId)?.shift();
    if (injected !== undefined) return injected;
    return this.transactions.get(transactionalId)?.coordinatorId ?? fallbackId;
  }

  list(brokerId: number, body: RequestBody<'listTransactions'>): ResponseBody<'listTransactions'> {
    const error = this.nextError('listTransactions', brokerId);
    if (error !== undefined) return { throttleTimeMs: 0, errorCode: code(error), unknownStateFilters: [], transactionStates: [] };
    const states = new Set<string>(body.stateFilters);
    const producerIds = new Set(body.producerIdFilters);
    const transactionStates = [...this.transactions.values()]
      .filter((each) => each.coordinatorId === brokerId && (states.size === 0 || states.has(each.state)) && (producerIds.size === 0 || producerIds.has(each.producerId)))
      .map((each) => ({ transactionalId: each.transactionalId, producerId: each.producerId, transactionState: each.state }));
    return { throttleTimeMs: 0, errorCode: 0, unknownStateFilters: [], transactionStates };
  }

  describe(brokerId: number, body: RequestBody<'describeTransactions'>): ResponseBody<'describeTransactions'> {
    const injected = this.nextError('describeTransactions', brokerId);
    return {
      throttleTimeMs: 0,
      transactionStates: body.transactionalIds.map((transactionalId) => {
        const known = this.transactions.get(transactionalId);
        const refusal: ErrorName | undefined = injected ?? (known === undefined ? 'TRANSACTIONAL_ID_NOT_FOUND' : known.coordinatorId !== brokerId ? 'NOT_COORDINATOR' : undefined);
        if (refusal !== undefined || known === undefined) {
          const errorCode = code(refusal ?? 'TRANSACTIONAL_ID_NOT_FOUND');
          return { errorCode, transactionalId, transactionState: '' as const, transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topicPartitions: [] };
        }
        const byTopic = new Map<string, number[]>();
        for (const { topic, partition } of known.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
        return {
          errorCode: 0,
          transactionalId,
          transactionState: known.state,
          transactionTimeoutMs: known.transactionTimeoutMs,
          transactionStartTimeMs: known.transactionStartTimeMs,
          producerId: known.producerId,
          producerEpoch: known.producerEpoch,
          topicPartitions: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        };
      }),
    };
  }

  private nextError(api: FakeTransactionApi, brokerId: number): ErrorName | undefined {
    return this.injected.get(`${api}/${brokerId}`)?.shift();
  }
}
