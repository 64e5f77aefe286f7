import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Admin } from './admin.js';

let cluster: FakeCluster;
let admin: Admin;

afterEach(async () => {
  admin.close();
  await cluster.close();
});

async function setUp(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 3 });
  admin = Admin.create({ 'bootstrap.servers': 'broker-0:9092' }, cluster.clientRuntime());
  cluster.createTopic('orders', 2);
  const [first, second] = cluster.topics.get('orders')!.partitions;
  Object.assign(first!, { logStartOffset: 3, logEndOffset: 10 });
  Object.assign(second!, { logStartOffset: 0, logEndOffset: 4 });
}

describe('Admin.listOffsets (Kafka OffsetSpec)', () => {
  it('answers earliest and latest per partition at each partition\'s leader', async () => {
    await setUp();
    const earliest = await cluster.settle(
      admin.listOffsets([
        { topic: 'orders', partition: 0, spec: { kind: 'earliest' } },
        { topic: 'orders', partition: 1, spec: { kind: 'earliest' } },
      ]),
    );
    expect(earliest.map((result) => [result.partition, result.offset, result.error])).toEqual([
      [0, 3, null],
      [1, 0, null],
    ]);
    const latest = await cluster.settle(admin.listOffsets([{ topic: 'orders', partition: 1, spec: { kind: 'latest' } }, { topic: 'orders', partition: 0, spec: { kind: 'latest' } }]));
    expect(latest.map((result) => [result.partition, result.offset])).toEqual([
      [1, 4],
      [0, 10],
    ]);
    // Kafka's call takes a map: a partition named twice is a mistake, not two questions.
    await expect(admin.listOffsets([{ topic: 'orders', partition: 0, spec: { kind: 'earliest' } }, { topic: 'orders', partition: 0, spec: { kind: 'latest' } }])).rejects.toThrow(RangeError);
  });

  it('asks again, at the new leader, when a leader moved (NOT_LEADER_OR_FOLLOWER is retriable)', async () => {
    await setUp();
    cluster.injectErrors('orders', 1, 'NOT_LEADER_OR_FOLLOWER');
    const [result] = await cluster.settle(admin.listOffsets([{ topic: 'orders', partition: 1, spec: { kind: 'latest' } }]));
    expect(result).toMatchObject({ topic: 'orders', partition: 1, offset: 4, error: null });
    expect(cluster.requestsOf('listOffsets').length).toBe(2);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition the topic does not have, without waiting for the deadline', async () => {
    await setUp();
    const startMs = cluster.clock.now();
    const [result] = await cluster.settle(admin.listOffsets([{ topic: 'orders', partition: 7, spec: { kind: 'timestamp', timestampMs: 5 } }], { timeoutMs: 30_000 }));
    expect(result?.error?.errorName).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(cluster.clock.now() - startMs).toBeLessThan(30_000);
    await expect(admin.listOffsets([{ topic: 'orders', partition: 0, spec: { kind: 'timestamp', timestampMs: -5 } }])).rejects.toThrow(RangeError);
  });
});
