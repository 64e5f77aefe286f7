import { decodeRecordBatches, isKafkaError, type ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalStateError, RecordTooLargeError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Producer } from './producer.js';

let cluster: FakeCluster;
const producers: Producer[] = [];

async function setUp(settings: Record<string, ConfigValueInput> = {}, brokers = 3): Promise<Producer> {
  cluster = await FakeCluster.start({ brokers });
  return newProducer(settings);
}

function newProducer(settings: Record<string, ConfigValueInput> = {}): Producer {
  const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, ...settings }, cluster.clientRuntime());
  producers.push(producer);
  return producer;
}

/** The values stored in a partition of the fake cluster, in offset order. */
function storedValues(topic: string, partition: number): string[] {
  return cluster.partition(topic, partition).batches.flatMap((batch) => decodeRecordBatches(batch.bytes).batches.flatMap((decoded) => decoded.records.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array()))));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await cluster.settle(promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

afterEach(async () => {
  for (const producer of producers.splice(0)) await cluster.settle(producer.close({ timeoutMs: 0 }));
  await cluster.close();
});

describe('Producer', () => {
  it('puts keyed records where Kafka puts them and reports their offsets', async () => {
    const producer = await setUp({ 'linger.ms': 0 });
    cluster.createTopic('orders', 12);
    const sentAtMs = cluster.clock.now();
    const first = await cluster.settle(producer.send({ topic: 'orders', key: 'foobar', value: 'one' }));
    const second = await cluster.settle(producer.send({ topic: 'orders', key: 'foobar', value: 'two' }));
    expect(first).toMatchObject({ topic: 'orders', partition: 6, offset: 0 });
    expect(second).toMatchObject({ topic: 'orders', partition: 6, offset: 1 });
    expect(first.timestamp).toBe(sentAtMs);
    expect(storedValues('orders', 6)).toEqual(['one', 'two']);
  });

  it('waits linger.ms and sends the records of that time in one batch', async () => {
    const producer = await setUp({ 'linger.ms': 100 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', partition: 0, value: 'warm-up' }));
    const startMs = cluster.clock.now();
    const sends = [producer.send({ topic: 't', partition: 0, value: 'a' }), producer.send({ topic: 't', partition: 0, value: 'b' })];
    const results = await cluster.settle(Promise.all(sends));
    expect(results.map((result) => result.offset)).toEqual([1, 2]);
    const produces = cluster.requestsOf('produce');
    const last = produces[produces.length - 1]!;
    expect(last.atMs - startMs).toBeGreaterThanOrEqual(100);
    expect(decodeRecordBatches(last.body.topicData[0]!.partitionData[0]!.records).batches[0]!.recordsCount).toBe(2);
  });

  it('sends a full batch without waiting for linger.ms', async () => {
    const producer = await setUp({ 'linger.ms': 60_000, 'batch.size': 200 });
    cluster.createTopic('t', 1);
    await cluster.settle(Promise.resolve()); // metadata
    const startMs = cluster.clock.now();
    const value = 'x'.repeat(150);
    const results = await cluster.settle(Promise.all([producer.send({ topic: 't', partition: 0, value }), producer.send({ topic: 't', partition: 0, value })]));
    expect(results.map((result) => result.offset)).toEqual([0, 1]);
    expect(cluster.clock.now() - startMs).toBeLessThan(1_000);
  });

  it('sends one produce request per leader broker, with one batch per partition', async () => {
    const producer = await setUp({ 'linger.ms': 10 });
    cluster.createTopic('t', 6);
    await cluster.settle(Promise.all(Array.from({ length: 6 }, (_, partition) => producer.send({ topic: 't', partition, value: `p${partition}` }))));
    const produces = cluster.requestsOf('produce');
    expect(produces.map((request) => request.brokerId).sort()).toEqual([0, 1, 2]);
    for (const request of produces) {
      expect(request.body.topicData[0]!.partitionData.map((data) => data.index % 3)).toEqual([request.brokerId, request.brokerId]);
      expect(request.body).toMatchObject({ acks: -1, transactionalId: null, timeoutMs: 30_000 });
    }
  });

  it('reports offset -1 with acks=0, as the broker sends no answer', async () => {
    const producer = await setUp({ acks: '0', 'linger.ms': 0 });
    cluster.createTopic('t', 1);
    const result = await cluster.settle(producer.send({ topic: 't', value: 'fire-and-forget' }));
    expect(result).toMatchObject({ topic: 't', partition: 0, offset: -1 });
    await cluster.clock.advanceByAsync(10); // the request is still on its way: acks=0 completes once it is written
    expect(cluster.requestsOf('produce')[0]!.body.acks).toBe(0);
    expect(storedValues('t', 0)).toEqual(['fire-and-forget']);
  });

  it('refreshes metadata and retries on the new leader after NOT_LEADER_OR_FOLLOWER', async () => {
    const producer = await setUp({ 'linger.ms': 0 });
    cluster.createTopic('t', 1, () => 0);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    cluster.moveLeader('t', 0, 2);
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    expect(cluster.requestsOf('produce').map((request) => request.brokerId)).toEqual([0, 0, 2]);
    expect(storedValues('t', 0)).toEqual(['before', 'after']);
  });

  it('retries retriable errors after retry.backoff.ms', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'retry.backoff.ms': 200, 'retry.backoff.max.ms': 200 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'warm-up' }));
    cluster.injectErrors('t', 0, 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS');
    const result = await cluster.settle(producer.send({ topic: 't', value: 'v' }));
    expect(result.offset).toBe(1);
    const times = cluster.requestsOf('produce').slice(1).map((request) => request.atMs);
    expect(times).toHaveLength(3);
    // 200 ms give or take the 20 % jitter, plus the network's latency.
    for (const gap of [times[1]! - times[0]!, times[2]! - times[1]!]) {
      expect(gap).toBeGreaterThanOrEqual(160);
      expect(gap).toBeLessThanOrEqual(250);
    }
  });

  it('fails the records with the named error when the error is not retriable', async () => {
    const producer = await setUp({ 'linger.ms': 0 });
    cluster.createTopic('t', 1);
    cluster.injectErrors('t', 0, 'INVALID_RECORD');
    const error = await rejection(producer.send({ topic: 't', value: 'v' }));
    expect(isKafkaError(error, 'INVALID_RECORD')).toBe(true);
    expect(cluster.requestsOf('produce')).toHaveLength(1);
  });

  it('does not retry when retries is 0', async () => {
    const producer = await setUp({ 'linger.ms': 0, retries: 0 });
    cluster.createTopic('t', 1);
    cluster.injectErrors('t', 0, 'NOT_ENOUGH_REPLICAS');
    expect(isKafkaError(await rejection(producer.send({ topic: 't', value: 'v' })), 'NOT_ENOUGH_REPLICAS')).toBe(true);
  });

  it('fails a record with REQUEST_TIMED_OUT once delivery.timeout.ms has passed', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'request.timeout.ms': 1_000, 'delivery.timeout.ms': 5_000 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'warm-up' })); // the clock counts from send() once metadata is known
    cluster.injectErrors('t', 0, ...Array.from({ length: 1_000 }, () => 'NOT_ENOUGH_REPLICAS' as const));
    const sentAtMs = cluster.clock.now();
    const error = await rejection(producer.send({ topic: 't', value: 'v' }));
    expect(isKafkaError(error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect((error as Error).message).toMatch(/Expiring 1 record/);
    expect(cluster.clock.now() - sentAtMs).toBe(5_000);
  });

  it('rejects a record larger than max.request.size with MESSAGE_TOO_LARGE before sending it', async () => {
    const producer = await setUp({ 'max.request.size': 1_000 });
    cluster.createTopic('t', 1);
    const error = await rejection(producer.send({ topic: 't', value: new Uint8Array(2_000) }));
    expect(isKafkaError(error, 'MESSAGE_TOO_LARGE')).toBe(true);
    // Like Kafka's RecordTooLargeException, it says the serialized size and the limit it is over.
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect(error).toMatchObject({ limitName: 'max.request.size', limitBytes: 1_000 });
    expect((error as RecordTooLargeError).sizeBytes).toBeGreaterThan(2_000);
    expect((error as Error).message).toBe(`the record is ${(error as RecordTooLargeError).sizeBytes} bytes when serialized, larger than max.request.size 1000`);
    expect(cluster.requestsOf('produce')).toHaveLength(0);
  });

  it('splits a batch the broker refuses as too large and delivers every record in order', async () => {
    cluster = await FakeCluster.start({ maxBatchBytes: 400 });
    const producer = newProducer({ 'linger.ms': 50, 'batch.size': 16_384 });
    cluster.createTopic('t', 1);
    const values = Array.from({ length: 10 }, (_, index) => `${index}`.padStart(100, '.'));
    const results = await cluster.settle(Promise.all(values.map((value) => producer.send({ topic: 't', value }))));
    expect(results.map((result) => result.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(storedValues('t', 0)).toEqual(values);
  });

  it('waits up to max.block.ms for an unknown topic, and sends once it appears', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'max.block.ms': 10_000 });
    const pending = producer.send({ topic: 'later', value: 'v' });
    cluster.clock.setTimeout(() => cluster.createTopic('later', 1), 2_000);
    const result = await cluster.settle(pending);
    expect(result.offset).toBe(0);
  });

  it('fails with REQUEST_TIMED_OUT naming the topic and max.block.ms when the topic does not appear in time', async () => {
    const producer = await setUp({ 'max.block.ms': 3_000 });
    const sentAtMs = cluster.clock.now();
    const error = await rejection(producer.send({ topic: 'missing', value: 'v' }));
    expect(isKafkaError(error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect((error as Error).message).toContain('Topic missing not present in metadata after 3000 ms (max.block.ms');
    expect(cluster.clock.now() - sentAtMs).toBe(3_000);
  });

  it('asks for auto-creation in its metadata requests, so a broker with auto.create.topics.enable creates the topic', async () => {
    const producer = await setUp();
    cluster.autoCreateTopicPartitions = 2;
    const result = await cluster.settle(producer.send({ topic: 'created-on-send', value: 'v' }));
    expect(result).toMatchObject({ topic: 'created-on-send', offset: 0 });
    expect(cluster.topics.get('created-on-send')?.partitions).toHaveLength(2);
    expect(cluster.requestsOf('metadata').some((request) => request.body.allowAutoTopicCreation && request.body.topics?.includes('created-on-send') === true)).toBe(true);
  });

  it('keeps unkeyed records on one partition until batch.size bytes went to it (uniform sticky)', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'batch.size': 1_000 });
    cluster.createTopic('t', 6);
    const results = await cluster.settle(Promise.all(Array.from({ length: 60 }, () => producer.send({ topic: 't', value: 'x'.repeat(90) }))));
    const partitions = results.map((result) => result.partition);
    // Runs of the same partition, each about batch.size (one to two batches) long, over several partitions.
    const runs: number[] = [];
    for (let index = 0; index < partitions.length; index++) {
      if (index === 0 || partitions[index] !== partitions[index - 1]) runs.push(1);
      else runs[runs.length - 1]! += 1;
    }
    expect(new Set(partitions).size).toBeGreaterThan(1);
    // A record takes 99 bytes: a stint ends past batch.size (11 records) and at most past 2 x batch.size (21).
    expect(runs[0]).toBeGreaterThanOrEqual(11);
    expect(runs[0]).toBeLessThanOrEqual(21);
  });

  it('spreads keyed records like unkeyed ones with partitioner.ignore.keys', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'batch.size': 200, 'partitioner.ignore.keys': true });
    cluster.createTopic('t', 12);
    const results = await cluster.settle(Promise.all(Array.from({ length: 40 }, () => producer.send({ topic: 't', key: 'foobar', value: 'x'.repeat(90) }))));
    expect(new Set(results.map((result) => result.partition)).size).toBeGreaterThan(1);
  });

  it('keeps a partition in order across retries with max.in.flight.requests.per.connection=1', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'batch.size': 100, 'max.in.flight.requests.per.connection': 1 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'warm-up' }));
    cluster.injectErrors('t', 0, 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS');
    const values = Array.from({ length: 8 }, (_, index) => `${index}`.padStart(60, '-'));
    const results = await cluster.settle(Promise.all(values.map((value) => producer.send({ topic: 't', value }))));
    expect(results.map((result) => result.offset)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(storedValues('t', 0).slice(1)).toEqual(values);
  });

  it('makes send() wait for buffer.memory and keeps the call order', async () => {
    const producer = await setUp({ 'linger.ms': 0, 'buffer.memory': 600, 'batch.size': 16_384 });
    cluster.createTopic('t', 1);
    const values = Array.from({ length: 12 }, (_, index) => `${index}`.padStart(100, '#'));
    const results = await cluster.settle(Promise.all(values.map((value) => producer.send({ topic: 't', value }))));
    expect(results.map((result) => result.offset)).toEqual(values.map((_, index) => index));
    expect(cluster.requestsOf('produce').length).toBeGreaterThan(1);
  });

  it('flush() sends lingering records at once and resolves when they are delivered', async () => {
    const producer = await setUp({ 'linger.ms': 60_000 });
    cluster.createTopic('t', 1);
    const outcomes: number[] = [];
    const startMs = cluster.clock.now();
    const send = producer.send({ topic: 't', value: 'v' }).then((result) => outcomes.push(result.offset));
    await cluster.settle(producer.flush());
    expect(outcomes).toEqual([0]);
    expect(cluster.clock.now() - startMs).toBeLessThan(100);
    await send;
  });

  it('close() delivers what was sent, then refuses new records', async () => {
    const producer = await setUp({ 'linger.ms': 60_000 });
    cluster.createTopic('t', 1);
    const sent = producer.send({ topic: 't', value: 'last' });
    await cluster.settle(producer.close());
    expect((await sent).offset).toBe(0);
    await expect(producer.send({ topic: 't', value: 'late' })).rejects.toBeInstanceOf(IllegalStateError);
  });

  it('close() with a timeout fails the records it could not deliver in time', async () => {
    const producer = await setUp({ 'linger.ms': 0 });
    cluster.createTopic('t', 1);
    cluster.injectErrors('t', 0, ...Array.from({ length: 100 }, () => 'NOT_ENOUGH_REPLICAS' as const));
    const sent = producer.send({ topic: 't', value: 'v' });
    sent.catch(() => undefined);
    await cluster.settle(producer.close({ timeoutMs: 1_000 }));
    await expect(sent).rejects.toThrow(/closed before its records were delivered/);
  });

  it('rejects enable.idempotence=true with acks=1, naming the setting that rules it out', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    expect(() => newProducer({ 'enable.idempotence': true, acks: 1 })).toThrow(/acks=1 conflicts with enable.idempotence=true/);
  });

  it('refuses transactional.id without idempotence (acks=1 turns it off)', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    expect(() => newProducer({ 'transactional.id': 'tx-1', acks: 1 })).toThrow(/transactional.id needs idempotence/);
  });

  it('sends headers and explicit timestamps as given', async () => {
    const producer = await setUp({ 'linger.ms': 0 });
    cluster.createTopic('t', 1);
    const result = await cluster.settle(producer.send({ topic: 't', value: null, key: new Uint8Array([1, 2]), headers: { trace: 'abc', empty: null }, timestamp: 1_234 }));
    expect(result.timestamp).toBe(1_234);
    const [record] = decodeRecordBatches(cluster.partition('t', 0).batches[0]!.bytes).batches[0]!.records;
    expect(record).toMatchObject({ timestamp: 1_234, value: null });
    expect([...record!.key!]).toEqual([1, 2]);
    expect(record!.headers.map((header) => [header.key, header.value === null ? null : new TextDecoder().decode(header.value)])).toEqual([
      ['trace', 'abc'],
      ['empty', null],
    ]);
  });
});
