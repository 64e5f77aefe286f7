/**
 * The transactional producer (KIP-98, KIP-447) against the fake cluster's transaction coordinator: initTransactions()
 * finds the coordinator (FindCoordinator key type 1) and gets the id's producer id and epoch; each partition is added
 * with AddPartitionsToTxn before its first batch goes; offsets go with AddOffsetsToTxn then TxnOffsetCommit;
 * commitTransaction() / abortTransaction() end it with EndTxn once nothing is in flight; a newer producer of the same
 * transactional.id fences the older one (PRODUCER_FENCED), CONCURRENT_TRANSACTIONS is retried, and a zombie consumer's
 * offsets make the transaction abortable.
 */
import { decodeRecordBatches, isKafkaError, readBatchHeader, readEndTxnMarker, type ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalStateError, ProducerFencedError, TransactionAbortedError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Producer } from './producer.js';

let cluster: FakeCluster;
const producers: Producer[] = [];

async function startCluster(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 3 });
  cluster.coordinatorId = 2;
  cluster.createTopic('out', 2, (partition) => partition);
}

function newProducer(settings: Record<string, ConfigValueInput> = {}, seed = 1): Producer {
  const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'transactional.id': 'copier-1', 'linger.ms': 0, 'retry.backoff.ms': 100, ...settings }, cluster.clientRuntime(seed, `client-${seed}`));
  producers.push(producer);
  return producer;
}

afterEach(async () => {
  for (const producer of producers.splice(0)) await cluster.settle(producer.close({ timeoutMs: 0 }));
  await cluster.close();
});

/** The stored batches of a partition: 'data:<values>' or 'COMMIT'/'ABORT' for a control batch (as markers are not records). */
function storedBatches(topic: string, partition: number): string[] {
  return cluster.partition(topic, partition).batches.flatMap((stored) =>
    decodeRecordBatches(stored.bytes).batches.map((batch) => {
      const marker = readEndTxnMarker(batch);
      if (marker !== undefined) return marker.type;
      return `data:${batch.records.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array())).join(',')}`;
    }),
  );
}

const apisSince = (mark: number) =>
  cluster.requests
    .slice(mark)
    .map((request) => `${request.api}@${request.brokerId}`)
    .filter((call) => !call.startsWith('metadata@'));

describe('the transactional producer', () => {
  it('initTransactions() finds the transaction coordinator and gets the id\'s producer id and epoch', async () => {
    await startCluster();
    const producer = newProducer({ 'transaction.timeout.ms': 30_000 });
    await cluster.settle(producer.initTransactions());
    expect(cluster.requestsOf('findCoordinator').map((request) => request.body)).toEqual([{ key: 'copier-1', keyType: 1 }]);
    const inits = cluster.requestsOf('initProducerId');
    expect(inits.map((request) => [request.brokerId, request.body])).toEqual([[2, { transactionalId: 'copier-1', transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }]]);
    expect(cluster.txnCoordinator.transactions.get('copier-1')).toMatchObject({ producerId: 1_000, epoch: 0 });
  });

  it('adds each partition before its first batch, sends transactional batches, and commits with EndTxn after them', async () => {
    await startCluster();
    const producer = newProducer();
    await cluster.settle(producer.initTransactions());
    const mark = cluster.requests.length;
    producer.beginTransaction();
    const sent = [producer.send({ topic: 'out', partition: 0, value: 'a' }), producer.send({ topic: 'out', partition: 1, value: 'b' })];
    await cluster.settle(producer.commitTransaction());
    expect((await Promise.all(sent)).map((metadata) => metadata.offset)).toEqual([0, 0]);
    expect(apisSince(mark)).toEqual(['addPartitionsToTxn@2', 'produce@0', 'produce@1', 'endTxn@2']);
    expect(cluster.requestsOf('addPartitionsToTxn')[0]?.body.topics).toEqual([{ name: 'out', partitions: [0, 1] }]);
    const produce = cluster.requestsOf('produce')[0]!;
    expect(produce.body.transactionalId).toBe('copier-1');
    const header = readBatchHeader(produce.body.topicData[0]!.partitionData[0]!.records, 0);
    expect([header?.producerId, header?.producerEpoch, header?.baseSequence, ((header?.attributes ?? 0) & 0x10) !== 0]).toEqual([1_000, 0, 0, true]);
    expect(cluster.requestsOf('endTxn')[0]?.body).toEqual({ transactionalId: 'copier-1', producerId: 1_000, producerEpoch: 0, committed: true });
    expect(storedBatches('out', 0)).toEqual(['data:a', 'COMMIT']);
    expect(storedBatches('out', 1)).toEqual(['data:b', 'COMMIT']);
    // The next transaction adds its partitions again and continues the sequences.
    producer.beginTransaction();
    await cluster.settle(producer.send({ topic: 'out', partition: 0, value: 'c' }).then(() => producer.commitTransaction()));
    expect(storedBatches('out', 0)).toEqual(['data:a', 'COMMIT', 'data:c', 'COMMIT']);
    expect(readBatchHeader(cluster.requestsOf('produce').at(-1)!.body.topicData[0]!.partitionData[0]!.records, 0)?.baseSequence).toBe(1);
  });

  it('refuses send() outside a transaction and a second beginTransaction(), naming the state', async () => {
    await startCluster();
    const producer = newProducer();
    expect(await cluster.settle(producer.send({ topic: 'out', value: 'early' }).catch((error: unknown) => error))).toBeInstanceOf(IllegalStateError);
    await cluster.settle(producer.initTransactions());
    const outside = await cluster.settle(producer.send({ topic: 'out', value: 'outside' }).catch((error: unknown) => error));
    expect((outside as Error).message).toMatch(/state READY: call beginTransaction\(\) first/);
    producer.beginTransaction();
    expect(() => producer.beginTransaction()).toThrow(/beginTransaction\(\) is not allowed in state IN_TRANSACTION/);
    const idempotent = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers }, cluster.clientRuntime(9, 'other'));
    producers.push(idempotent);
    expect(() => idempotent.beginTransaction()).toThrow(/needs transactional.id/);
  });

  it('abortTransaction() fails the records never sent with TransactionAbortedError and ends with an ABORT marker', async () => {
    await startCluster();
    const producer = newProducer({ 'linger.ms': 60_000 });
    await cluster.settle(producer.initTransactions());
    producer.beginTransaction();
    const sent = producer.send({ topic: 'out', partition: 0, value: 'sent' });
    await cluster.settle(producer.flush());
    expect((await sent).offset).toBe(0);
    // Queued for a minute of linger: aborted before it goes.
    const lingering = producer.send({ topic: 'out', partition: 1, value: 'never' }).catch((error: unknown) => error);
    await cluster.settle(producer.abortTransaction());
    expect(await lingering).toBeInstanceOf(TransactionAbortedError);
    expect(cluster.requestsOf('endTxn').map((request) => request.body.committed)).toEqual([false]);
    expect(storedBatches('out', 0)).toEqual(['data:sent', 'ABORT']);
    producer.beginTransaction();
    const next = producer.send({ topic: 'out', partition: 0, value: 'next' });
    await cluster.settle(producer.commitTransaction());
    expect((await next).offset).toBe(2);
    expect(storedBatches('out', 0)).toEqual(['data:sent', 'ABORT', 'data:next', 'COMMIT']);
    expect(storedBatches('out', 1)).toEqual([]);
  });

  it('a second producer with the same transactional.id fences the first: its commit and later sends fail with PRODUCER_FENCED', async () => {
    await startCluster();
    const zombie = newProducer({}, 1);
    await cluster.settle(zombie.initTransactions());
    zombie.beginTransaction();
    await cluster.settle(zombie.send({ topic: 'out', partition: 0, value: 'zombie' }));
    const successor = newProducer({}, 2);
    await cluster.settle(successor.initTransactions());
    expect(cluster.txnCoordinator.transactions.get('copier-1')?.epoch).toBe(1);
    // The successor's InitProducerId aborted the zombie's open transaction.
    expect(storedBatches('out', 0)).toEqual(['data:zombie', 'ABORT']);
    const commit = await cluster.settle(zombie.commitTransaction().catch((error: unknown) => error));
    expect(commit).toBeInstanceOf(ProducerFencedError);
    expect(isKafkaError(commit, 'PRODUCER_FENCED')).toBe(true);
    const later = await zombie.send({ topic: 'out', value: 'after' }).catch((error: unknown) => error);
    expect(isKafkaError(later, 'PRODUCER_FENCED')).toBe(true);
    expect(() => zombie.beginTransaction()).toThrow(/fenced/i);
  });

  it('initTransactions() fails with REQUEST_TIMED_OUT after max.block.ms while no coordinator answers, and a second call resumes it', async () => {
    await startCluster();
    cluster.transactionCoordinators.put({ transactionalId: 'copier-1', coordinatorId: 1 });
    await cluster.stopBroker(1);
    const producer = newProducer({ 'max.block.ms': 5_000 });
    const startMs = cluster.clock.now();
    const first = await cluster.settle(producer.initTransactions().catch((error: unknown) => ({ error, atMs: cluster.clock.now() })));
    expect(isKafkaError((first as { error: unknown }).error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect((first as { atMs: number }).atMs - startMs).toBe(5_000);
    cluster.transactionCoordinators.put({ transactionalId: 'copier-1', coordinatorId: 2 });
    await cluster.settle(producer.initTransactions());
    expect(cluster.requestsOf('initProducerId').map((request) => request.brokerId)).toEqual([2]);
  });

  it("retries CONCURRENT_TRANSACTIONS from AddPartitionsToTxn after Kafka's 20 ms, not retry.backoff.ms (KAFKA-5477)", async () => {
    await startCluster();
    const producer = newProducer();
    await cluster.settle(producer.initTransactions());
    cluster.txnCoordinator.inject('addPartitionsToTxn', 'CONCURRENT_TRANSACTIONS');
    producer.beginTransaction();
    const sent = producer.send({ topic: 'out', partition: 0, value: 'a' });
    await cluster.settle(producer.commitTransaction());
    expect((await sent).offset).toBe(0);
    const adds = cluster.requestsOf('addPartitionsToTxn');
    expect(adds).toHaveLength(2);
    expect(adds[1]!.atMs - adds[0]!.atMs).toBeGreaterThanOrEqual(20);
    expect(adds[1]!.atMs - adds[0]!.atMs).toBeLessThan(100);
    expect(storedBatches('out', 0)).toEqual(['data:a', 'COMMIT']);
  });

  it('after UNKNOWN_PRODUCER_ID the abort bumps the epoch with InitProducerId (current id and epoch) before the next transaction (KIP-360)', async () => {
    await startCluster();
    const producer = newProducer();
    await cluster.settle(producer.initTransactions());
    cluster.txnCoordinator.inject('addPartitionsToTxn', 'UNKNOWN_PRODUCER_ID');
    producer.beginTransaction();
    const lost = producer.send({ topic: 'out', partition: 0, value: 'lost' }).catch((error: unknown) => error);
    const commit = await cluster.settle(producer.commitTransaction().catch((error: unknown) => error));
    expect(isKafkaError(commit, 'UNKNOWN_PRODUCER_ID')).toBe(true);
    await cluster.settle(producer.abortTransaction());
    expect(await lost).toBeInstanceOf(Error);
    expect(cluster.requestsOf('initProducerId').map((request) => [request.body.producerId, request.body.producerEpoch])).toEqual([
      [-1, -1],
      [1_000, 0],
    ]);
    producer.beginTransaction();
    const next = producer.send({ topic: 'out', partition: 0, value: 'next' });
    await cluster.settle(producer.commitTransaction());
    expect((await next).offset).toBe(0);
    const header = readBatchHeader(cluster.requestsOf('produce').at(-1)!.body.topicData[0]!.partitionData[0]!.records, 0);
    expect([header?.producerEpoch, header?.baseSequence]).toEqual([1, 0]);
  });

  it('sends offsets with AddOffsetsToTxn then TxnOffsetCommit (KIP-447), applied to the group on commit', async () => {
    await startCluster();
    const producer = newProducer();
    await cluster.settle(producer.initTransactions());
    producer.beginTransaction();
    await cluster.settle(producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 42 }], { groupId: 'copier', generationId: -1, memberId: '', groupInstanceId: null }));
    expect(cluster.groupCoordinator.committed('copier', 'in', 0)).toBeUndefined();
    await cluster.settle(producer.commitTransaction());
    expect(cluster.groupCoordinator.committed('copier', 'in', 0)).toBe(42);
    expect(cluster.requestsOf('findCoordinator').map((request) => request.body)).toEqual([
      { key: 'copier-1', keyType: 1 },
      { key: 'copier', keyType: 0 },
    ]);
    expect(cluster.requestsOf('txnOffsetCommit')[0]).toMatchObject({ brokerId: 2, body: { groupId: 'copier', producerId: 1_000, producerEpoch: 0, generationId: -1, memberId: '' } });
  });

  it('a zombie consumer\'s offsets (an old generation) make the transaction abortable: commit refused, abort goes through', async () => {
    await startCluster();
    const producer = newProducer();
    await cluster.settle(producer.initTransactions());
    cluster.txnCoordinator.inject('txnOffsetCommit', 'ILLEGAL_GENERATION');
    producer.beginTransaction();
    await cluster.settle(producer.send({ topic: 'out', partition: 0, value: 'copied' }));
    const offsets = await cluster.settle(producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 7 }], { groupId: 'copier', generationId: 1, memberId: 'm-1', groupInstanceId: null }).catch((error: unknown) => error));
    expect(isKafkaError(offsets, 'ILLEGAL_GENERATION')).toBe(true);
    const commit = await cluster.settle(producer.commitTransaction().catch((error: unknown) => error));
    expect(isKafkaError(commit, 'ILLEGAL_GENERATION')).toBe(true);
    await cluster.settle(producer.abortTransaction());
    expect(storedBatches('out', 0)).toEqual(['data:copied', 'ABORT']);
    expect(cluster.groupCoordinator.committed('copier', 'in', 0)).toBeUndefined();
  });
});
