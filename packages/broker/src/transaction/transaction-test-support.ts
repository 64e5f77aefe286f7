/**
 * Drives one transaction actor as its coordinator would, on a simulated clock: requests go in as events, answers and
 * appended records are collected, appends succeed at once (or fail, or wait), producer ids come from a counter, and
 * markers wait in `markers` until the test answers them. For the transaction machine tests.
 */
import type { ErrorName, TransactionLogRecord } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { createActor } from 'xstate';
import type { MarkerOutcome, TxnMarkers } from './transaction-markers.js';
import { newTransactionMetadata, NO_PRODUCER_ID, type TopicPartition, type TransactionMetadata } from './transaction-metadata.js';
import { transactionMachine, type AppendResult, type TransactionLimits } from './transaction.machine.js';

export const testLimits: TransactionLimits = {
  transactionMaxTimeoutMs: 900_000,
  offsetsTopicNumPartitions: 50,
  transactionalIdExpirationMs: 604_800_000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 3_600_000,
  retryBackoffMs: 100,
};

export const START_MS = 1_000_000;

export interface TransactionHarnessOptions {
  /** Defaults to a transactional id never seen (no producer id yet). */
  metadata?: TransactionMetadata;
  coordinatorEpoch?: number;
  /** Appends wait in `heldAppends` until the test completes them. */
  holdAppends?: boolean;
  /** The error the next appends fail with (null: they succeed). */
  failAppendsWith?: () => ErrorName | null;
  /** Producer ids wait until the test answers `generateProducerId`. */
  holdProducerIds?: boolean;
}

interface Answer {
  errorName: ErrorName;
  producerId?: number;
  producerEpoch?: number;
}

export function startTransaction(options: TransactionHarnessOptions = {}) {
  const clock = new SimulatedClock({ startMs: START_MS });
  const answers = new Map<number, Answer>();
  const appended: TransactionLogRecord[] = [];
  /** The records whose append succeeded, in order: what a coordinator loading the partition would replay. */
  const written: TransactionLogRecord[] = [];
  const heldAppends: Array<(result: AppendResult) => void> = [];
  const markers: TxnMarkers[] = [];
  const completed: string[] = [];
  let producerIdRequests = 0;
  let nextProducerId = 1_000;
  let requestId = 0;
  const actor = createActor(transactionMachine, {
    clock,
    input: {
      metadata: options.metadata ?? newTransactionMetadata('copier-1', NO_PRODUCER_ID, 60_000, START_MS),
      coordinatorEpoch: options.coordinatorEpoch ?? 3,
      limits: testLimits,
      ports: { clock, logger: createLogger({ level: 'silent' }) },
    },
  });
  actor.on('records.toAppend', ({ token, record }) => {
    appended.push(record);
    const done = (result: AppendResult) => {
      if (result.ok) written.push(record);
      actor.send({ type: 'records.appended', token, result });
    };
    if (options.holdAppends === true) heldAppends.push(done);
    else {
      const failure = options.failAppendsWith?.() ?? null;
      done(failure === null ? { ok: true } : { ok: false, errorName: failure });
    }
  });
  actor.on('producerId.toGenerate', () => {
    producerIdRequests += 1;
    if (options.holdProducerIds !== true) actor.send({ type: 'producerId.generated', result: { ok: true, producerId: (nextProducerId += 1) - 1 } });
  });
  actor.on('markers.toSend', ({ markers: sent }) => markers.push(sent));
  actor.on('answer', ({ requestId: id, errorName }) => answers.set(id, { errorName }));
  actor.on('answer.initProducerId', ({ requestId: id, errorName, producerId, producerEpoch }) => answers.set(id, { errorName, producerId, producerEpoch }));
  actor.on('transaction.completed', ({ state }) => completed.push(state));
  /** Errors the actor stopped with (a thrown guard or action): a test expects none. */
  const errors: unknown[] = [];
  actor.subscribe({ error: (error) => errors.push(error) });
  actor.start();

  const initProducerId = (transactionTimeoutMs = 60_000, expected: { producerId: number; producerEpoch: number } | null = null) => {
    requestId += 1;
    actor.send({ type: 'request.initProducerId', requestId, transactionTimeoutMs, expected });
    return requestId;
  };
  const addPartitions = (producerId: number, producerEpoch: number, partitions: TopicPartition[]) => {
    requestId += 1;
    actor.send({ type: 'request.addPartitions', requestId, producerId, producerEpoch, partitions });
    return requestId;
  };
  const addOffsets = (producerId: number, producerEpoch: number, groupId: string) => {
    requestId += 1;
    actor.send({ type: 'request.addOffsets', requestId, producerId, producerEpoch, groupId });
    return requestId;
  };
  const endTxn = (producerId: number, producerEpoch: number, committed: boolean) => {
    requestId += 1;
    actor.send({ type: 'request.endTxn', requestId, producerId, producerEpoch, committed });
    return requestId;
  };
  /** Answers the partitions of the last markers sent, each with `outcome` unless named in `outcomes`. */
  const answerMarkers = (outcome: MarkerOutcome, outcomes: Record<string, MarkerOutcome> = {}) => {
    const last = markers.at(-1);
    if (last === undefined) throw new Error('no markers were sent');
    actor.send({
      type: 'markers.answered',
      answers: last.partitions.map(({ topic, partition }) => ({ topic, partition, outcome: outcomes[`${topic}-${partition}`] ?? outcome })),
    });
  };
  const state = (): string => {
    const value = actor.getSnapshot().value;
    return typeof value === 'string' ? value : (Object.entries(value).map(([parent, child]) => `${parent}.${String(child)}`)[0] ?? '');
  };
  const metadata = () => actor.getSnapshot().context.metadata;

  /** A producer initialised and in a transaction over `partitions`: returns its id and epoch. */
  const ongoing = (partitions: TopicPartition[] = [{ topic: 'out', partition: 0 }]) => {
    const init = answers.get(initProducerId());
    const producer = { producerId: init?.producerId as number, producerEpoch: init?.producerEpoch as number };
    addPartitions(producer.producerId, producer.producerEpoch, partitions);
    return producer;
  };

  return {
    actor,
    clock,
    answers,
    answer: (id: number) => answers.get(id),
    errors,
    appended,
    written,
    heldAppends,
    markers,
    completed,
    producerIdRequests: () => producerIdRequests,
    initProducerId,
    addPartitions,
    addOffsets,
    endTxn,
    answerMarkers,
    ongoing,
    state,
    metadata,
  };
}
