/**
 * The idempotent producer (KIP-98, on by default as in Kafka 3.0+) against the fake cluster, whose leaders check
 * producer ids, epochs and sequences as Kafka's do: InitProducerId before the first batch, sequences per partition,
 * a retry after a lost answer written once, DUPLICATE_SEQUENCE_NUMBER as success, an out-of-order answer behind a
 * retried batch retried in order, and an unresolvable sequence bumping the epoch (KIP-360).
 */
import { decodeRecordBatches, isKafkaError, readBatchHeader, type ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Producer } from './producer.js';
import type { RecordMetadata } from './producer-types.js';

let cluster: FakeCluster;
const producers: Producer[] = [];

async function setUp(settings: Record<string, ConfigValueInput> = {}): Promise<Producer> {
  cluster = await FakeCluster.start({ brokers: 2 });
  const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'linger.ms': 0, 'retry.backoff.ms': 100, ...settings }, cluster.clientRuntime());
  producers.push(producer);
  return producer;
}

afterEach(async () => {
  for (const producer of producers.splice(0)) await cluster.settle(producer.close({ timeoutMs: 0 }));
  await cluster.close();
});

function storedValues(topic: string, partition: number): string[] {
  return cluster
    .partition(topic, partition)
    .batches.flatMap((batch) => decodeRecordBatches(batch.bytes).batches.flatMap((decoded) => decoded.records.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array()))));
}

/** [producerId, epoch, baseSequence] of each stored batch of the partition. */
function storedProducerFields(topic: string, partition: number): Array<[number, number, number]> {
  return cluster.partition(topic, partition).batches.map((batch) => {
    const header = readBatchHeader(batch.bytes, 0);
    return [header?.producerId ?? Number.NaN, header?.producerEpoch ?? Number.NaN, header?.baseSequence ?? Number.NaN];
  });
}

/** Lets the sender drain what was sent so far (it runs in a microtask) without moving the simulated clock. */
async function drained(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

describe('the idempotent producer', () => {
  it('gets a producer id with InitProducerId before its first batch and numbers batches per partition', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 2, () => 0);
    for (const value of ['a', 'b', 'c']) await cluster.settle(producer.send({ topic: 't', partition: 0, value }));
    await cluster.settle(producer.send({ topic: 't', partition: 1, value: 'x' }));
    const apis = cluster.requests.map((request) => request.api).filter((api) => api === 'initProducerId' || api === 'produce');
    expect(apis).toEqual(['initProducerId', 'produce', 'produce', 'produce', 'produce']);
    expect(cluster.requestsOf('initProducerId')[0]?.body).toEqual({ transactionalId: null, transactionTimeoutMs: 2_147_483_647, producerId: -1, producerEpoch: -1 });
    expect(storedProducerFields('t', 0)).toEqual([
      [1_000, 0, 0],
      [1_000, 0, 1],
      [1_000, 0, 2],
    ]);
    expect(storedProducerFields('t', 1)).toEqual([[1_000, 0, 0]]);
  });

  it('is off when acks=1 leaves it at its default: batches carry no producer id', async () => {
    const producer = await setUp({ acks: 1 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'a' }));
    expect(cluster.requestsOf('initProducerId')).toEqual([]);
    expect(storedProducerFields('t', 0)).toEqual([[-1, -1, -1]]);
  });

  it('retries InitProducerId after retry.backoff.ms when it fails with a retriable error', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    cluster.producerIds.injected.push('COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR');
    const result = await cluster.settle(producer.send({ topic: 't', value: 'a' }));
    expect(result.offset).toBe(0);
    const inits = cluster.requestsOf('initProducerId');
    expect(inits).toHaveLength(3);
    expect(inits[1]!.atMs - inits[0]!.atMs).toBeGreaterThanOrEqual(100);
    expect(storedProducerFields('t', 0)).toEqual([[1_000, 0, 0]]);
  });

  it('fails its records with PRODUCER_FENCED when InitProducerId says the producer is fenced, and refuses later sends', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    cluster.producerIds.injected.push('INVALID_PRODUCER_EPOCH');
    const first = await cluster.settle(producer.send({ topic: 't', value: 'a' }).catch((error: unknown) => error));
    expect(isKafkaError(first, 'PRODUCER_FENCED')).toBe(true);
    const later = await cluster.settle(producer.send({ topic: 't', value: 'b' }).catch((error: unknown) => error));
    expect(isKafkaError(later, 'PRODUCER_FENCED')).toBe(true);
    expect(cluster.requestsOf('produce')).toEqual([]);
  });

  it('writes a batch once when the answer to its first attempt was lost, and reports its first offsets', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    cluster.partition('t', 0).failAfterAppend = ['REQUEST_TIMED_OUT'];
    const result = await cluster.settle(producer.send({ topic: 't', value: 'once' }));
    expect(result.offset).toBe(1);
    expect(storedValues('t', 0)).toEqual(['before', 'once']);
    expect(cluster.requestsOf('produce')).toHaveLength(3);
  });

  it('without idempotence the same lost answer writes the batch twice (what idempotence prevents)', async () => {
    const producer = await setUp({ 'enable.idempotence': false });
    cluster.createTopic('t', 1);
    cluster.partition('t', 0).failAfterAppend = ['REQUEST_TIMED_OUT'];
    await cluster.settle(producer.send({ topic: 't', value: 'twice' }));
    expect(storedValues('t', 0)).toEqual(['twice', 'twice']);
  });

  it('counts DUPLICATE_SEQUENCE_NUMBER as success, with offset -1 as the answer gives none', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    cluster.answerDuplicatesWithError = true;
    cluster.partition('t', 0).failAfterAppend = ['REQUEST_TIMED_OUT'];
    const result = await cluster.settle(producer.send({ topic: 't', value: 'once' }));
    expect(result.offset).toBe(-1);
    expect(storedValues('t', 0)).toEqual(['once']);
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER for a batch whose predecessor is being retried, and writes both in order', async () => {
    const producer = await setUp({ 'max.in.flight.requests.per.connection': 5 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'w' }));
    // The next batch (sequence 1) is refused before it is written; the one after it (sequence 2), already in flight, is then out of order.
    cluster.injectErrors('t', 0, 'NOT_ENOUGH_REPLICAS');
    const a = producer.send({ topic: 't', value: 'a' });
    await drained();
    const b = producer.send({ topic: 't', value: 'b' });
    const results = await cluster.settle(Promise.all([a, b]));
    expect(results.map((result: RecordMetadata) => result.offset)).toEqual([1, 2]);
    expect(storedValues('t', 0)).toEqual(['w', 'a', 'b']);
    // No epoch bump: the gap closed once the retried batch landed.
    expect(storedProducerFields('t', 0)).toEqual([
      [1_000, 0, 0],
      [1_000, 0, 1],
      [1_000, 0, 2],
    ]);
    const sequencesSent = cluster.requestsOf('produce').map((request) => readBatchHeader(request.body.topicData[0]!.partitionData[0]!.records, 0)?.baseSequence);
    expect(sequencesSent).toEqual([0, 1, 2, 1, 2]);
  });

  it('bumps its epoch and restarts the partition at sequence 0 when OUT_OF_ORDER_SEQUENCE_NUMBER cannot be resolved (KIP-360)', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'w' }));
    // Nothing is in flight before this batch and the one before it was acknowledged: the leader lost the sequence.
    cluster.injectErrors('t', 0, 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    const result = await cluster.settle(producer.send({ topic: 't', value: 'a' }));
    expect(result.offset).toBe(1);
    expect(storedProducerFields('t', 0)).toEqual([
      [1_000, 0, 0],
      [1_000, 1, 0],
    ]);
    // The bump is local (Kafka's bumpIdempotentProducerEpoch): no second InitProducerId.
    expect(cluster.requestsOf('initProducerId')).toHaveLength(1);
    await cluster.settle(producer.send({ topic: 't', value: 'b' }));
    expect(storedProducerFields('t', 0).at(-1)).toEqual([1_000, 1, 1]);
  });

  it('bumps its epoch once a batch that was retried expired and the leader never acknowledged it (an unresolved sequence)', async () => {
    const producer = await setUp({ 'request.timeout.ms': 1_000, 'delivery.timeout.ms': 2_000 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'w' }));
    cluster.injectErrors('t', 0, ...Array.from({ length: 100 }, () => 'NOT_ENOUGH_REPLICAS' as const));
    const expired = await cluster.settle(producer.send({ topic: 't', value: 'lost' }).catch((error: unknown) => error));
    expect(isKafkaError(expired, 'REQUEST_TIMED_OUT')).toBe(true);
    cluster.partition('t', 0).injected.length = 0;
    // Sequence 1 may or may not be on the leader: the producer cannot continue at 2, so it starts epoch 1 at 0.
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    expect(storedProducerFields('t', 0)).toEqual([
      [1_000, 0, 0],
      [1_000, 1, 0],
    ]);
  });

  it('keeps a retried batch\'s sequence across a leader change, so the new leader checks the same numbers', async () => {
    const producer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    await cluster.settle(producer.send({ topic: 't', value: 'w' }));
    cluster.failOver('t', 0, 'NOT_LEADER_OR_FOLLOWER', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'a' }));
    const produced = cluster.requestsOf('produce').slice(1);
    expect(produced.map((request) => request.brokerId)).toEqual([0, 1]);
    expect(produced.map((request) => readBatchHeader(request.body.topicData[0]!.partitionData[0]!.records, 0)?.baseSequence)).toEqual([1, 1]);
  });
});
