/**
 * The producer across a leader change or a replica shortage (issue 11): each error a replicated broker answers
 * while leadership moves or the ISR shrinks is retried within delivery.timeout.ms, after a metadata refresh when it
 * says the leader moved (Kafka's `Sender.completeBatch`: InvalidMetadataException -> `metadata.requestUpdate()`),
 * with KIP-580's exponential backoff between attempts; anything else fails the send with the named error.
 */
import { decodeRecordBatches, isKafkaError, type ConfigValueInput, type ErrorName, type FailureErrorName } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Producer } from './producer.js';

let cluster: FakeCluster;
const producers: Producer[] = [];

async function setUp(settings: Record<string, ConfigValueInput> = {}): Promise<Producer> {
  cluster = await FakeCluster.start({ brokers: 3 });
  const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'linger.ms': 0, ...settings }, cluster.clientRuntime());
  producers.push(producer);
  return producer;
}

function storedValues(topic: string, partition: number): string[] {
  return cluster
    .partition(topic, partition)
    .batches.flatMap((batch) => decodeRecordBatches(batch.bytes).batches.flatMap((decoded) => decoded.records.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array()))));
}

/** The APIs the producer sent after the warm-up, in order, with the broker each went to. */
function callsSince(index: number): string[] {
  return cluster.requests.slice(index).map((request) => `${request.api}@${request.brokerId}`);
}

afterEach(async () => {
  for (const producer of producers.splice(0)) await cluster.settle(producer.close({ timeoutMs: 0 }));
  await cluster.close();
});

describe('Producer through leader changes and replica shortages', () => {
  // Kafka's InvalidMetadataException family: the partition probably moved, so metadata is refreshed first.
  const leaderMovedErrors: ErrorName[] = ['NOT_LEADER_OR_FOLLOWER', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'LEADER_NOT_AVAILABLE', 'KAFKA_STORAGE_ERROR'];
  // The leader is right but could not commit the write (yet): retry the same leader, metadata is not in doubt.
  const sameLeaderErrors: ErrorName[] = ['NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT'];

  it.each(leaderMovedErrors)('refreshes metadata after %s and retries the batch on the new leader', async (error) => {
    const producer = await setUp({ 'retry.backoff.ms': 100 });
    cluster.createTopic('t', 1, () => 0);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    const mark = cluster.requests.length;
    // The old leader answers the error once, as leadership moves to broker 1.
    cluster.failOver('t', 0, error, 1);
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    const calls = callsSince(mark);
    expect(calls[0]).toBe('produce@0');
    expect(calls.indexOf('produce@1')).toBeGreaterThan(calls.findIndex((call) => call.startsWith('metadata@')));
    expect(calls.filter((call) => call.startsWith('produce@'))).toEqual(['produce@0', 'produce@1']);
    expect(storedValues('t', 0)).toEqual(['before', 'after']);
  });

  it.each(sameLeaderErrors)('retries %s on the same leader until it is written', async (error) => {
    const producer = await setUp({ 'retry.backoff.ms': 100 });
    cluster.createTopic('t', 1, () => 0);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    const mark = cluster.requests.length;
    cluster.injectErrors('t', 0, error, error);
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    expect(callsSince(mark).filter((call) => call.startsWith('produce@'))).toEqual(['produce@0', 'produce@0', 'produce@0']);
    expect(storedValues('t', 0)).toEqual(['before', 'after']);
  });

  it('backs off exponentially from retry.backoff.ms to retry.backoff.max.ms between attempts (KIP-580)', async () => {
    const producer = await setUp({ 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 1_000 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'warm-up' }));
    cluster.injectErrors('t', 0, ...Array.from({ length: 6 }, () => 'NOT_ENOUGH_REPLICAS' as const));
    await cluster.settle(producer.send({ topic: 't', value: 'v' }));
    const times = cluster.requestsOf('produce').slice(1).map((request) => request.atMs);
    const gaps = times.slice(1).map((atMs, index) => atMs - times[index]!);
    // 100, 200, 400, 800, then capped at 1000, each within Kafka's 20 % jitter (plus the network's latency).
    const expected = [100, 200, 400, 800, 1_000, 1_000];
    expect(gaps).toHaveLength(expected.length);
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(expected[index]! * 0.8);
      expect(gap).toBeLessThanOrEqual(expected[index]! * 1.2 + 5);
    });
  });

  it('retries after losing the connection to a leader that died, on the leader elected instead', async () => {
    const producer = await setUp({ 'retry.backoff.ms': 100, 'request.timeout.ms': 5_000 });
    cluster.createTopic('t', 1, () => 1);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    await cluster.stopBroker(1);
    cluster.moveLeader('t', 0, 2);
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    expect(cluster.requestsOf('produce').map((request) => request.brokerId)).toEqual([1, 2]);
    expect(storedValues('t', 0)).toEqual(['before', 'after']);
  });

  it('refreshes metadata when a request to a leader cut off from it times out, and retries on the new leader', async () => {
    const producer = await setUp({ 'retry.backoff.ms': 100, 'request.timeout.ms': 2_000 });
    cluster.createTopic('t', 1, () => 1);
    await cluster.settle(producer.send({ topic: 't', value: 'before' }));
    // Broker 1 is isolated from the client without closing anything (a network partition), and loses leadership.
    cluster.network.setLinkFilter((from, to) => ([from, to].includes('broker-1') && [from, to].includes('client') ? 'drop' : 'deliver'));
    cluster.moveLeader('t', 0, 2);
    const sentAtMs = cluster.clock.now();
    const result = await cluster.settle(producer.send({ topic: 't', value: 'after' }));
    expect(result.offset).toBe(1);
    // One request.timeout.ms on the old leader (Kafka's NetworkClient then refreshes metadata), then the new leader.
    expect(cluster.clock.now() - sentAtMs).toBeLessThan(3 * 2_000);
    expect(storedValues('t', 0)).toEqual(['before', 'after']);
  });

  it('fails with REQUEST_TIMED_OUT once delivery.timeout.ms passes while no leader takes the write', async () => {
    const producer = await setUp({ 'retry.backoff.ms': 100, 'request.timeout.ms': 1_000, 'delivery.timeout.ms': 4_000 });
    cluster.createTopic('t', 1);
    await cluster.settle(producer.send({ topic: 't', value: 'warm-up' }));
    cluster.injectErrors('t', 0, ...Array.from({ length: 1_000 }, () => 'NOT_LEADER_OR_FOLLOWER' as const));
    const sentAtMs = cluster.clock.now();
    const error = await cluster.settle(producer.send({ topic: 't', value: 'v' })).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isKafkaError(error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect(cluster.clock.now() - sentAtMs).toBe(4_000);
    expect(cluster.requestsOf('produce').length).toBeGreaterThan(3);
  });

  it.each<FailureErrorName>(['INVALID_REQUIRED_ACKS', 'TOPIC_AUTHORIZATION_FAILED', 'RECORD_LIST_TOO_LARGE'])('fails the send at once with %s, which retrying cannot fix', async (error) => {
    const producer = await setUp();
    cluster.createTopic('t', 1);
    cluster.injectErrors('t', 0, error);
    const failure = await cluster.settle(producer.send({ topic: 't', value: 'v' })).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isKafkaError(failure, error)).toBe(true);
    expect(cluster.requestsOf('produce')).toHaveLength(1);
  });
});
