/**
 * The transaction coordinator on the shared coordinator runtime, over one in-memory `__transaction_state` log that
 * stands for the replicated partition, on a simulated clock: requests reach the transactional id's chart only where
 * this broker leads (else NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS), state changes are written first, and a new
 * coordinator after a failover replays the log and finishes a prepared commit by sending its markers again.
 */
import { errorForCode, type MetadataImage, type RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { collectingResponder, openTestInternalLog, testInternalPartitionHost, testInternalTopicImage } from '../coordinator-runtime/internal-partition-test-support.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log.js';
import type { MarkerAnswer, TxnMarkers } from './transaction-markers.js';
import { TransactionCoordinatorService } from './transaction-coordinator-service.js';
import { testLimits } from './transaction-test-support.js';

const me = 1;

function image(leader: number, leaderEpoch: number): MetadataImage {
  const brokers = [1, 2].map((brokerId) => ({ brokerId, host: '127.0.0.1', port: 9000 + brokerId, url: `ws://127.0.0.1:${9000 + brokerId}`, rack: null, fenced: false, brokerEpoch: 1 })) as never;
  return testInternalTopicImage({ topic: TRANSACTION_STATE_TOPIC, topicId: 'txn-id', replicas: [1, 2] }, leader, leaderEpoch, { brokers });
}

function setUp() {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const log = openTestInternalLog(clock, TRANSACTION_STATE_TOPIC, 'txn-id', me);
  const replica = { state: 'Leader', leaderEpoch: 0 };
  const partitions = testInternalPartitionHost(TRANSACTION_STATE_TOPIC, log, replica);
  const { responder, answers } = collectingResponder();
  let current: MetadataImage | null = null;
  let correlation = 0;
  let nextProducerId = 5_000;
  /** Markers handed to the marker channel, with the callback that reports their outcome. */
  const sent: Array<{ markers: TxnMarkers; answer(outcome: MarkerAnswer['outcome']): void }> = [];
  const coordinator = new TransactionCoordinatorService({
    brokerId: me,
    topicConfig: { transactionStateLogNumPartitions: 1, transactionStateLogReplicationFactor: 2, transactionStateLogMinIsr: 1, transactionStateLogSegmentBytes: 1_048_576, appendTimeoutMs: 5_000 },
    limits: testLimits,
    clock,
    logger: createLogger({ level: 'silent' }),
    responder,
    peers: { request: () => undefined } as never,
    controllerUrl: () => undefined,
    partitions,
    currentImage: () => current,
    generateProducerId: (onDone) => onDone({ ok: true, producerId: (nextProducerId += 1) }),
    sendMarkers: (markers, onAnswers) =>
      sent.push({ markers, answer: (outcome) => onAnswers(markers.partitions.map((partition) => ({ topic: partition.topic, partition: partition.partition, outcome }))) }),
    onFatalError: (error) => {
      throw error;
    },
  });
  const apply = async (leader: number, leaderEpoch: number) => {
    replica.state = leader === me ? 'Leader' : 'Follower';
    replica.leaderEpoch = leaderEpoch;
    current = image(leader, leaderEpoch);
    coordinator.onImage(current);
    await clock.advanceByAsync(0);
  };
  const ref = (api: string): RequestRef => ({ connectionId: 'client', correlationId: (correlation += 1), api: api as never, version: 0, remoteAddress: '/client' });
  const errorOf = (answer: Record<string, unknown> | undefined) => errorForCode((answer?.errorCode as number | undefined) ?? -1).name;
  const initProducerId = (transactionalId = 'copier-1') => {
    const request = ref('initProducerId');
    coordinator.initProducerId(request as never, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const answer = answers.get(request.correlationId);
    return { error: errorOf(answer), producerId: answer?.producerId as number, producerEpoch: answer?.producerEpoch as number };
  };
  const send = <A extends 'addPartitionsToTxn' | 'endTxn' | 'describeTransactions' | 'listTransactions'>(api: A, body: RequestBody<A>) => {
    const request = ref(api);
    coordinator.handle({ api, ref: request, body } as never);
    return answers.get(request.correlationId);
  };
  const addPartitions = (producer: { producerId: number; producerEpoch: number }) => {
    const answer = send('addPartitionsToTxn', { transactionalId: 'copier-1', ...producer, topics: [{ name: 'output', partitions: [0, 1] }] }) as
      | { results: Array<{ resultsByPartition: Array<{ partitionErrorCode: number }> }> }
      | undefined;
    return errorForCode(answer?.results[0]?.resultsByPartition[0]?.partitionErrorCode ?? -1).name;
  };
  const describe = () => {
    const answer = send('describeTransactions', { transactionalIds: ['copier-1'] }) as { transactionStates: Array<Record<string, unknown>> } | undefined;
    const state = answer?.transactionStates[0];
    return { error: errorForCode((state?.errorCode as number | undefined) ?? -1).name, state: state?.transactionState, producerEpoch: state?.producerEpoch };
  };
  return { clock, log, coordinator, sent, apply, initProducerId, send, addPartitions, describe, errorOf };
}

describe('TransactionCoordinatorService on the coordinator runtime', () => {
  it('answers NOT_COORDINATOR where another broker leads and COORDINATOR_LOAD_IN_PROGRESS while loading', async () => {
    const t = setUp();
    await t.apply(2, 1);
    expect(t.initProducerId().error).toBe('NOT_COORDINATOR');
    // Elected: loading starts now and ends on the next turn of the clock.
    const loaded = t.apply(me, 2);
    expect(t.describe().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(t.initProducerId().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    await loaded;
    expect(t.initProducerId().error).toBe('NONE');
  });

  it('InitProducerId, AddPartitionsToTxn, EndTxn(commit): PrepareCommit is written, the markers go out, CompleteCommit once they are written', async () => {
    const t = setUp();
    await t.apply(me, 1);
    const producer = t.initProducerId();
    expect(producer).toEqual({ error: 'NONE', producerId: 5_001, producerEpoch: 0 });
    expect(t.addPartitions(producer)).toBe('NONE');
    expect(t.describe()).toEqual({ error: 'NONE', state: 'Ongoing', producerEpoch: 0 });
    expect(t.errorOf(t.send('endTxn', { transactionalId: 'copier-1', ...producer, committed: true }))).toBe('NONE');
    expect(t.describe().state).toBe('PrepareCommit');
    expect(t.sent.map((entry) => entry.markers)).toMatchObject([{ transactionalId: 'copier-1', producerId: 5_001, producerEpoch: 0, coordinatorEpoch: 1, result: 'COMMIT' }]);
    t.sent[0]?.answer('written');
    await t.clock.advanceByAsync(0);
    expect(t.describe().state).toBe('CompleteCommit');
  });

  it('marker replay on coordinator failover: a new coordinator finds PrepareCommit in the log and sends the markers again under its epoch', async () => {
    const t = setUp();
    await t.apply(me, 1);
    const producer = t.initProducerId();
    t.addPartitions(producer);
    t.send('endTxn', { transactionalId: 'copier-1', ...producer, committed: true });
    expect(t.sent).toHaveLength(1);
    // The coordinator loses its partition before the markers are acknowledged, then leads it again in a new epoch.
    await t.apply(2, 2);
    await t.apply(me, 3);
    expect(t.describe().state).toBe('PrepareCommit');
    expect(t.sent.at(-1)?.markers).toMatchObject({ producerId: 5_001, result: 'COMMIT', coordinatorEpoch: 3, partitions: [{ topic: 'output', partition: 0 }, { topic: 'output', partition: 1 }] });
    t.sent.at(-1)?.answer('written');
    await t.clock.advanceByAsync(0);
    expect(t.describe().state).toBe('CompleteCommit');
  });

  it('zombie fencing: a second producer with the same transactional id bumps the epoch; the first one is refused', async () => {
    const t = setUp();
    await t.apply(me, 1);
    const zombie = t.initProducerId();
    const fresh = t.initProducerId();
    expect(fresh).toEqual({ error: 'NONE', producerId: zombie.producerId, producerEpoch: zombie.producerEpoch + 1 });
    expect(t.addPartitions(zombie)).toBe('PRODUCER_FENCED');
    expect(t.addPartitions(fresh)).toBe('NONE');
  });

  it('ListTransactions lists the ids this broker coordinates, filtered by state', async () => {
    const t = setUp();
    await t.apply(me, 1);
    const producer = t.initProducerId();
    t.addPartitions(producer);
    const all = t.send('listTransactions', { stateFilters: [], producerIdFilters: [] }) as { transactionStates: unknown[] };
    expect(all.transactionStates).toEqual([{ transactionalId: 'copier-1', producerId: 5_001, transactionState: 'Ongoing' }]);
    const empty = t.send('listTransactions', { stateFilters: ['Empty', 'Bogus'], producerIdFilters: [] }) as { transactionStates: unknown[]; unknownStateFilters: string[] };
    expect(empty).toMatchObject({ transactionStates: [], unknownStateFilters: ['Bogus'] });
  });

  it('a request for an unknown transactional id is INVALID_PRODUCER_ID_MAPPING; DescribeTransactions says TRANSACTIONAL_ID_NOT_FOUND', async () => {
    const t = setUp();
    await t.apply(me, 1);
    expect(t.addPartitions({ producerId: 1, producerEpoch: 0 })).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(t.describe().error).toBe('TRANSACTIONAL_ID_NOT_FOUND');
  });
});
