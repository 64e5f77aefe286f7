/**
 * The consumer across leader changes (issue 11, KIP-320): fetch errors that say the leader moved refresh
 * metadata and retry; a new leader epoch makes the consumer validate its position with OffsetsForLeaderEpoch
 * before fetching again, so a truncated log is noticed (reset to the divergence point with a warning, or
 * LogTruncationError with auto.offset.reset=none) instead of silently skipping the records that replaced the
 * truncated ones; committed offsets carry the epoch; reads stop at the high watermark.
 */
import { encodeRecordBatch, isKafkaError, type ConfigValueInput, type ErrorName } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LogTruncationError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Consumer } from './consumer.js';
import type { ConsumerRecord } from './consumer-types.js';

let cluster: FakeCluster;
const consumers: Consumer[] = [];
let warnings: string[] = [];
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (record: ConsumerRecord) => new TextDecoder().decode(record.value ?? new Uint8Array());
const tp = { topic: 't', partition: 0 };

async function setUp(settings: Record<string, ConfigValueInput> = {}): Promise<Consumer> {
  cluster = await FakeCluster.start({ brokers: 3 });
  return newConsumer(settings);
}

function newConsumer(settings: Record<string, ConfigValueInput> = {}): Consumer {
  warnings = [];
  const logger = { warn: (_fields: unknown, message: string) => warnings.push(message), info: () => undefined, debug: () => undefined, error: () => undefined, trace: () => undefined, child: () => logger };
  const consumer = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'auto.offset.reset': 'earliest', ...settings }, { ...cluster.clientRuntime(), logger: logger as never });
  consumers.push(consumer);
  return consumer;
}

/** Appends one batch of `values` to the partition, stamped with its current leader epoch. */
function append(...values: string[]): number {
  return cluster.append('t', 0, encodeRecordBatch({ records: values.map((value, index) => ({ key: null, value: utf8(value), timestamp: 1_000 + index })) }));
}

/** Polls until `count` records came back or `rounds` polls passed (bounded in virtual time). */
async function pollFor(consumer: Consumer, count: number, rounds = 20): Promise<ConsumerRecord[]> {
  const records: ConsumerRecord[] = [];
  for (let round = 0; round < rounds && records.length < count; round++) records.push(...(await cluster.settle(consumer.poll(500))));
  return records;
}

/** The OffsetsForLeaderEpoch partitions asked, with the broker asked. */
function validations(): Array<{ brokerId: number; currentLeaderEpoch: number; leaderEpoch: number }> {
  return cluster.requestsOf('offsetsForLeaderEpoch').flatMap((request) => request.body.topics.flatMap((topic) => topic.partitions.map((partition) => ({ brokerId: request.brokerId, currentLeaderEpoch: partition.currentLeaderEpoch, leaderEpoch: partition.leaderEpoch }))));
}

afterEach(async () => {
  for (const consumer of consumers.splice(0)) await cluster.settle(consumer.close());
  await cluster.close();
});

describe('Consumer through leader changes (KIP-320)', () => {
  it('validates its position with the new leader before fetching from it, and carries on without a gap or a duplicate', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    append('a', 'b');
    consumer.assign([tp]);
    expect((await pollFor(consumer, 2)).map(text)).toEqual(['a', 'b']);
    cluster.moveLeader('t', 0, 1);
    append('c');
    expect((await pollFor(consumer, 1)).map((record) => [record.offset, text(record)])).toEqual([[2, 'c']]);
    // Asked of the new leader, in its epoch, for the epoch of the last record consumed.
    expect(validations()).toEqual([{ brokerId: 1, currentLeaderEpoch: 1, leaderEpoch: 0 }]);
    const validatedAtMs = cluster.requestsOf('offsetsForLeaderEpoch')[0]!.atMs;
    expect(cluster.requestsOf('fetch').filter((fetch) => fetch.brokerId === 1).every((fetch) => fetch.atMs > validatedAtMs)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it.each<ErrorName>(['NOT_LEADER_OR_FOLLOWER', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH'])('refreshes metadata after %s on a fetch, validates, and fetches from the new leader', async (error) => {
    const consumer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    append('a');
    consumer.assign([tp]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['a']);
    cluster.failOver('t', 0, error, 2);
    append('b');
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['b']);
    expect(validations()).toEqual([{ brokerId: 2, currentLeaderEpoch: 1, leaderEpoch: 0 }]);
    expect(cluster.requestsOf('fetch').at(-1)).toMatchObject({ brokerId: 2 });
  });

  it('refreshes metadata when a fetch to a leader cut off from it times out, and reads on from the new leader', async () => {
    const consumer = await setUp({ 'request.timeout.ms': 2_000, 'fetch.max.wait.ms': 500 });
    cluster.createTopic('t', 1, () => 1);
    append('a');
    consumer.assign([tp]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['a']);
    // Broker 1 is isolated from the client without closing anything (a network partition), and loses leadership.
    cluster.network.setLinkFilter((from, to) => ([from, to].includes('broker-1') && [from, to].includes('client') ? 'drop' : 'deliver'));
    cluster.moveLeader('t', 0, 2);
    append('b');
    const startMs = cluster.clock.now();
    expect((await pollFor(consumer, 1, 30)).map(text)).toEqual(['b']);
    // One fetch timeout (request.timeout.ms + fetch.max.wait.ms), then metadata, validation and the new leader.
    expect(cluster.clock.now() - startMs).toBeLessThan(3 * 2_500);
  });

  it('refreshes metadata when a ListOffsets to a leader cut off from it times out, and resets from the new leader', async () => {
    const consumer = await setUp({ 'request.timeout.ms': 2_000 });
    cluster.createTopic('t', 1, () => 1);
    append('a');
    consumer.assign([tp]);
    consumer.seek(tp, 0);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['a']);
    cluster.network.setLinkFilter((from, to) => ([from, to].includes('broker-1') && [from, to].includes('client') ? 'drop' : 'deliver'));
    cluster.moveLeader('t', 0, 2);
    consumer.seekToBeginning([tp]);
    const startMs = cluster.clock.now();
    expect(await cluster.settle(consumer.position(tp))).toBe(0);
    // The ListOffsets times out, then at most one metadata request to the cut-off broker does too, plus backoffs.
    expect(cluster.clock.now() - startMs).toBeLessThanOrEqual(2 * 2_000 + 500);
    expect(cluster.requestsOf('listOffsets').at(-1)).toMatchObject({ brokerId: 2 });
  });

  it('notices a truncated log after a leader change and resets to the first offset known to diverge, with a warning', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    append('a', 'b');
    append('lost'); // offset 2, read by the consumer, then missing from the leader elected next (an unclean election)
    consumer.assign([tp]);
    expect((await pollFor(consumer, 3)).map(text)).toEqual(['a', 'b', 'lost']);
    cluster.truncate('t', 0, 2);
    cluster.moveLeader('t', 0, 1);
    append('new'); // takes offset 2 in epoch 1
    append('next');
    const records = await pollFor(consumer, 2);
    // Without validation the consumer would fetch from 3 and never see 'new'.
    expect(records.map((record) => [record.offset, text(record), record.leaderEpoch])).toEqual([
      [2, 'new', 1],
      [3, 'next', 1],
    ]);
    expect(warnings).toContain('truncation detected for t-0 at position 3; resetting to the first offset known to diverge, 2');
  });

  it('throws LogTruncationError with auto.offset.reset=none, naming where the logs part, until the application seeks', async () => {
    const consumer = await setUp({ 'auto.offset.reset': 'none' });
    cluster.createTopic('t', 1, () => 0);
    append('a', 'b');
    append('lost');
    consumer.assign([tp]);
    consumer.seek(tp, 0);
    expect((await pollFor(consumer, 3)).map(text)).toEqual(['a', 'b', 'lost']);
    cluster.truncate('t', 0, 2);
    cluster.moveLeader('t', 0, 1);
    append('new');
    let error: unknown;
    for (let round = 0; round < 10 && error === undefined; round++) {
      error = await cluster.settle(consumer.poll(500)).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    }
    expect(error).toBeInstanceOf(LogTruncationError);
    expect(isKafkaError(error, 'OFFSET_OUT_OF_RANGE')).toBe(true);
    expect(error).toMatchObject({ partition: tp, fetchPosition: 3, divergentOffset: { offset: 2, leaderEpoch: 0 } });
    consumer.seek(tp, (error as LogTruncationError).divergentOffset!.offset);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['new']);
  });

  it('commits the leader epoch of the last record consumed, and a consumer resuming from it validates it first', async () => {
    const consumer = await setUp({ 'group.id': 'g', 'enable.auto.commit': false });
    cluster.createTopic('t', 1, () => 0);
    append('a');
    cluster.moveLeader('t', 0, 0); // same leader, epoch 1 (a bounce)
    append('b');
    consumer.assign([tp]);
    expect((await pollFor(consumer, 2)).map(text)).toEqual(['a', 'b']);
    await cluster.settle(consumer.commitSync());
    const committed = cluster.requestsOf('offsetCommit').at(-1)!.body.topics[0]!.partitions[0]!;
    expect(committed).toMatchObject({ committedOffset: 2, committedLeaderEpoch: 1 });

    cluster.moveLeader('t', 0, 1);
    append('c');
    const resumed = newConsumer({ 'group.id': 'g', 'enable.auto.commit': false });
    resumed.assign([tp]);
    expect((await pollFor(resumed, 1)).map(text)).toEqual(['c']);
    expect(validations().at(-1)).toEqual({ brokerId: 1, currentLeaderEpoch: 2, leaderEpoch: 1 });
  });

  it('keeps the single-replica behaviour: a position read under a bumped epoch on the same leader is kept', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    append('a');
    consumer.assign([tp]);
    expect((await pollFor(consumer, 1)).map(text)).toEqual(['a']);
    cluster.partition('t', 0).leaderEpoch += 2; // a lone replica's bounce (LeaderEpochIntegrationTest)
    append('b');
    expect((await pollFor(consumer, 1)).map((record) => [record.offset, text(record)])).toEqual([[1, 'b']]);
    expect(warnings).toEqual([]);
  });

  it('reads only below the high watermark the leader reports, and seekToEnd lands on it', async () => {
    const consumer = await setUp();
    cluster.createTopic('t', 1, () => 0);
    append('a', 'b');
    append('c', 'd');
    cluster.holdHighWatermark('t', 0, 2); // a follower of the ISR has only the first batch
    consumer.assign([tp]);
    expect((await pollFor(consumer, 4, 4)).map(text)).toEqual(['a', 'b']);
    expect(await cluster.settle(consumer.position(tp))).toBe(2);
    consumer.seekToEnd([tp]);
    expect(await cluster.settle(consumer.position(tp))).toBe(2);
    cluster.holdHighWatermark('t', 0, undefined);
    expect((await pollFor(consumer, 2)).map(text)).toEqual(['c', 'd']);
    expect(warnings).toEqual([]);
  });
});
