import { encodeRecordBatch, isKafkaError, type ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalStateError, NoOffsetForPartitionError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Consumer } from './consumer.js';
import type { ConsumerRecord } from './consumer-types.js';

let cluster: FakeCluster;
const consumers: Consumer[] = [];
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (record: ConsumerRecord) => new TextDecoder().decode(record.value ?? new Uint8Array());

async function setUp(settings: Record<string, ConfigValueInput> = {}): Promise<Consumer> {
  cluster = await FakeCluster.start({ brokers: 3 });
  const consumer = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers, ...settings }, cluster.clientRuntime());
  consumers.push(consumer);
  return consumer;
}

/** Appends one batch of `values` to a partition of the fake cluster. */
function append(topic: string, partition: number, ...values: string[]): number {
  return cluster.append(topic, partition, encodeRecordBatch({ records: values.map((value, index) => ({ key: null, value: utf8(value), timestamp: 1_000 + index })) }));
}

/** Polls until `count` records came back (bounded in virtual time). */
async function pollFor(consumer: Consumer, count: number): Promise<ConsumerRecord[]> {
  const records: ConsumerRecord[] = [];
  for (let round = 0; round < 50 && records.length < count; round++) records.push(...(await cluster.settle(consumer.poll(1_000))));
  return records;
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
  for (const consumer of consumers.splice(0)) await consumer.close();
  await cluster.close();
});

describe('Consumer', () => {
  it('reads an assigned partition from the earliest offset with auto.offset.reset=earliest', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 3);
    append('t', 1, 'a', 'b');
    append('t', 1, 'c');
    consumer.assign([{ topic: 't', partition: 1 }]);
    const records = await pollFor(consumer, 3);
    expect(records.map((record) => [record.offset, text(record)])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(records[0]).toMatchObject({ topic: 't', partition: 1, timestamp: 1_000, timestampType: 'CreateTime', key: null });
    expect(cluster.requestsOf('listOffsets')[0]!.body.topics[0]!.partitions[0]).toMatchObject({ partitionIndex: 1, timestamp: -2, currentLeaderEpoch: 0 });
    expect(await cluster.settle(consumer.position({ topic: 't', partition: 1 }))).toBe(3);
  });

  it('starts at the high watermark with auto.offset.reset=latest and reads what comes after', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'latest' });
    cluster.createTopic('t', 1);
    append('t', 0, 'old-1', 'old-2');
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect(await cluster.settle(consumer.position({ topic: 't', partition: 0 }))).toBe(2);
    cluster.clock.setTimeout(() => append('t', 0, 'new'), 300);
    const records = await pollFor(consumer, 1);
    expect(records.map(text)).toEqual(['new']);
  });

  it('fails with NoOffsetForPartitionError under auto.offset.reset=none until the application seeks', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'none' });
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b', 'c');
    consumer.assign([{ topic: 't', partition: 0 }]);
    const error = await rejection(consumer.poll(100));
    expect(error).toBeInstanceOf(NoOffsetForPartitionError);
    expect((error as NoOffsetForPartitionError).partitions).toEqual([{ topic: 't', partition: 0 }]);
    consumer.seek({ topic: 't', partition: 0 }, 1);
    expect((await pollFor(consumer, 2)).map(text)).toEqual(['b', 'c']);
  });

  it('skips the records below the position when a fetched batch starts earlier', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 1);
    append('t', 0, 'r0', 'r1', 'r2', 'r3', 'r4');
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.seek({ topic: 't', partition: 0 }, 3);
    const records = await pollFor(consumer, 2);
    expect(records.map((record) => record.offset)).toEqual([3, 4]);
    expect(cluster.requestsOf('fetch')[0]!.body.topics[0]!.partitions[0]).toMatchObject({ fetchOffset: 3, currentLeaderEpoch: 0, partitionMaxBytes: 1_048_576 });
  });

  it('returns at most max.poll.records per poll and continues from there', async () => {
    const consumer = await setUp({ 'max.poll.records': 2, 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b', 'c', 'd', 'e');
    consumer.assign([{ topic: 't', partition: 0 }]);
    const first = await pollFor(consumer, 1);
    expect(first.map(text)).toEqual(['a', 'b']);
    expect((await cluster.settle(consumer.poll(1_000))).map(text)).toEqual(['c', 'd']);
    expect((await cluster.settle(consumer.poll(1_000))).map(text)).toEqual(['e']);
  });

  it('sends one fetch per leader broker, and the next ones before returning records (prefetch)', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 3, (partition) => (partition === 2 ? 1 : 0));
    append('t', 0, 'p0');
    append('t', 1, 'p1');
    append('t', 2, 'p2');
    const partitions = [0, 1, 2].map((partition) => ({ topic: 't', partition }));
    consumer.assign(partitions);
    for (const tp of partitions) consumer.seek(tp, 0);
    const records = await pollFor(consumer, 3);
    expect(records.map(text).sort()).toEqual(['p0', 'p1', 'p2']);
    const fetched = (fetchOffset: number) =>
      cluster
        .requestsOf('fetch')
        .filter((fetch) => fetch.body.topics[0]!.partitions[0]!.fetchOffset === fetchOffset)
        .map((fetch) => [fetch.brokerId, fetch.body.topics[0]!.partitions.map((partition) => partition.partition)]);
    expect(fetched(0).sort()).toEqual([
      [0, [0, 1]],
      [1, [2]],
    ]);
    // No poll() runs now, yet the fetches from the new positions reach the brokers: poll() sent them.
    await cluster.clock.advanceByAsync(5);
    expect(fetched(1).sort()).toEqual([
      [0, [0, 1]],
      [1, [2]],
    ]);
  });

  it('waits up to the poll timeout when there is nothing to read', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest', 'fetch.max.wait.ms': 500 });
    cluster.createTopic('t', 1);
    consumer.assign([{ topic: 't', partition: 0 }]);
    const startMs = cluster.clock.now();
    expect(await cluster.settle(consumer.poll(2_000))).toEqual([]);
    expect(cluster.clock.now() - startMs).toBe(2_000);
    const fetches = cluster.requestsOf('fetch');
    expect(fetches[0]!.body).toMatchObject({ maxWaitMs: 500, minBytes: 1, replicaId: -1, isolationLevel: 0 });
    // One fetch in flight per broker: the next goes only after the broker held the previous for 500 ms.
    expect(fetches.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < fetches.length; index++) expect(fetches[index]!.atMs - fetches[index - 1]!.atMs).toBeGreaterThanOrEqual(500);
  });

  it('resets an out-of-range position per auto.offset.reset', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b');
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.seek({ topic: 't', partition: 0 }, 100);
    expect((await pollFor(consumer, 2)).map(text)).toEqual(['a', 'b']);
  });

  it('says so when it resets a position past the log end (not a silent empty read)', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    const warnings: string[] = [];
    const logger = { warn: (_fields: unknown, message: string) => warnings.push(message), info: () => undefined, debug: () => undefined, error: () => undefined, trace: () => undefined, child: () => logger };
    const consumer = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'auto.offset.reset': 'latest' }, { ...cluster.clientRuntime(), logger: logger as never });
    consumers.push(consumer);
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b');
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.seek({ topic: 't', partition: 0 }, 100);
    for (let round = 0; round < 5 && !warnings.some((line) => line.startsWith('fetch offset 100')); round++) await cluster.settle(consumer.poll(500));
    expect(warnings).toContain('fetch offset 100 is out of range for t-0; resetting to latest (auto.offset.reset)');
  });

  it('throws OFFSET_OUT_OF_RANGE when auto.offset.reset is none', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'none' });
    cluster.createTopic('t', 1);
    append('t', 0, 'a');
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.seek({ topic: 't', partition: 0 }, 100);
    let error: unknown;
    for (let round = 0; round < 10 && error === undefined; round++) {
      error = await rejection(consumer.poll(500)).catch(() => undefined);
    }
    expect(isKafkaError(error, 'OFFSET_OUT_OF_RANGE')).toBe(true);
  });

  it('follows a leader change: refreshes metadata and fetches from the new leader with its epoch', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1, () => 0);
    append('t', 0, 'before');
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['before']);
    cluster.moveLeader('t', 0, 2);
    append('t', 0, 'after');
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['after']);
    const last = cluster.requestsOf('fetch').filter((fetch) => fetch.brokerId === 2)[0]!;
    expect(last.body.topics[0]!.partitions[0]).toMatchObject({ fetchOffset: 1, currentLeaderEpoch: 1 });
  });

  it('refreshes metadata after FENCED_LEADER_EPOCH instead of failing', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1, () => 0);
    append('t', 0, 'a');
    consumer.assign([{ topic: 't', partition: 0 }]);
    await pollFor(consumer, 1);
    // A new epoch on the same leader: the consumer's epoch is now fenced until it learns the new one.
    cluster.partition('t', 0).leaderEpoch = 5;
    append('t', 0, 'b');
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['b']);
    expect(cluster.requestsOf('fetch').at(-1)!.body.topics[0]!.partitions[0]!.currentLeaderEpoch).toBe(5);
  });

  it('does not fetch paused partitions until they are resumed', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 2, () => 0);
    append('t', 0, 'p0');
    append('t', 1, 'p1');
    consumer.assign([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    consumer.pause([{ topic: 't', partition: 1 }]);
    expect(consumer.paused()).toEqual([{ topic: 't', partition: 1 }]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['p0']);
    expect(await cluster.settle(consumer.poll(600))).toEqual([]);
    expect(cluster.requestsOf('fetch').every((fetch) => fetch.body.topics[0]!.partitions.every((partition) => partition.partition === 0))).toBe(true);
    consumer.resume([{ topic: 't', partition: 1 }]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['p1']);
  });

  it('moves to the beginning or the end of a partition with seekToBeginning and seekToEnd', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b', 'c');
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.seekToEnd();
    expect(await cluster.settle(consumer.position({ topic: 't', partition: 0 }))).toBe(3);
    consumer.seekToBeginning([{ topic: 't', partition: 0 }]);
    expect(await cluster.settle(consumer.position({ topic: 't', partition: 0 }))).toBe(0);
    expect(cluster.requestsOf('listOffsets').map((request) => request.body.topics[0]!.partitions[0]!.timestamp)).toEqual([-1, -2]);
  });

  it('throws CORRUPT_MESSAGE from poll for a damaged batch when check.crcs is on', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1);
    append('t', 0, 'fine');
    append('t', 0, 'broken');
    const stored = cluster.partition('t', 0).batches[1]!.bytes;
    stored[stored.length - 3] = (stored[stored.length - 3] as number) ^ 0x01;
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['fine']);
    let error: unknown;
    for (let round = 0; round < 10 && error === undefined; round++) {
      error = await rejection(consumer.poll(500)).catch(() => undefined);
    }
    expect(isKafkaError(error, 'CORRUPT_MESSAGE')).toBe(true);
    expect(await cluster.settle(consumer.position({ topic: 't', partition: 0 }))).toBe(1);
  });

  it('refuses poll() without an assignment, two polls at once, and calls after close()', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest' });
    cluster.createTopic('t', 1);
    await expect(consumer.poll(10)).rejects.toBeInstanceOf(IllegalStateError);
    consumer.assign([{ topic: 't', partition: 0 }]);
    const first = consumer.poll(1_000);
    await expect(consumer.poll(1_000)).rejects.toThrow(/already running/);
    await consumer.close();
    expect(await cluster.settle(first)).toEqual([]);
    expect(() => consumer.seek({ topic: 't', partition: 0 }, 0)).toThrow(IllegalStateError);
  });

  it('refuses seek and position for partitions that are not assigned', async () => {
    const consumer = await setUp();
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect(() => consumer.seek({ topic: 't', partition: 1 }, 0)).toThrow(IllegalStateError);
    await expect(consumer.position({ topic: 'x', partition: 0 })).rejects.toBeInstanceOf(IllegalStateError);
  });
  it('buffers at most one answer per partition: no new fetch for it until poll() has handed out every buffered record', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest', 'max.poll.records': 1 });
    cluster.createTopic('t', 1);
    append('t', 0, 'a', 'b', 'c', 'd', 'e');
    consumer.assign([{ topic: 't', partition: 0 }]);
    const fetchOffsets = () => cluster.requestsOf('fetch').map((fetch) => fetch.body.topics[0]!.partitions[0]!.fetchOffset);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['a']);
    const fetchesWithFiveBuffered = fetchOffsets().length;
    for (const expected of ['b', 'c', 'd']) expect((await pollFor(consumer, 1)).map(text)).toEqual([expected]);
    expect(fetchOffsets()).toHaveLength(fetchesWithFiveBuffered);
    expect(fetchOffsets().every((offset) => offset === 0)).toBe(true);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['e']);
    await cluster.settle(consumer.poll(10));
    expect(fetchOffsets().at(-1)).toBe(5);
  });

  it('does not let a fetch wait at the broker while records of other partitions of that broker wait for poll()', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'earliest', 'max.poll.records': 1, 'fetch.max.wait.ms': 500 });
    cluster.createTopic('t', 2, () => 0);
    append('t', 0, 'a', 'b');
    append('t', 1, 'x', 'y');
    consumer.assign([0, 1].map((partition) => ({ topic: 't', partition })));
    const fetches = () =>
      cluster.requestsOf('fetch').map((fetch) => ({
        maxWaitMs: fetch.body.maxWaitMs,
        partitions: fetch.body.topics.flatMap((topic) => topic.partitions.map((partition) => `${partition.partition}@${partition.fetchOffset}`)),
      }));
    const values: string[] = [];
    for (let round = 0; round < 4; round++) values.push(...(await pollFor(consumer, 1)).map(text));
    await cluster.clock.advanceByAsync(5);
    expect([...values].sort()).toEqual(['a', 'b', 'x', 'y']);
    // The first fetch asks for both partitions and may wait. Once one partition's records were all handed
    // out, the next fetch asks for it alone (the other's records still wait), and is answered at once.
    const sent = fetches();
    expect(sent[0]).toEqual({ maxWaitMs: 500, partitions: ['0@0', '1@0'] });
    expect(sent[1]?.maxWaitMs).toBe(0);
    expect(sent[1]?.partitions).toHaveLength(1);
    // With nothing buffered any more, fetches wait at the broker again.
    await cluster.settle(consumer.poll(10));
    await cluster.clock.advanceByAsync(5);
    expect(fetches().at(-1)).toEqual({ maxWaitMs: 500, partitions: ['0@2', '1@2'] });
  });
});
