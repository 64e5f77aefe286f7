/**
 * isolation.level end to end against the fake cluster (KIP-98): a read_committed consumer asks for committed data
 * (Fetch isolationLevel 1, ListOffsets too), gets nothing of an aborted transaction and nothing past the last
 * stable offset, and reads an open transaction's records once it commits; read_uncommitted reads everything.
 */
import { encodeEndTxnMarkerBatch, encodeRecordBatch, type ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Consumer } from './consumer.js';
import type { ConsumerRecord } from './consumer-types.js';

let cluster: FakeCluster;
const consumers: Consumer[] = [];
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (record: ConsumerRecord) => new TextDecoder().decode(record.value ?? new Uint8Array());
const tp = { topic: 'output', partition: 0 };

async function startCluster(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 1 });
  cluster.createTopic('output', 1);
}

function consumer(settings: Record<string, ConfigValueInput>): Consumer {
  const created = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'auto.offset.reset': 'earliest', ...settings }, cluster.clientRuntime(consumers.length + 1));
  consumers.push(created);
  created.assign([tp]);
  return created;
}

const transactional = (producerId: number, ...values: string[]) =>
  cluster.append('output', 0, encodeRecordBatch({ records: values.map((value) => ({ key: null, value: utf8(value), timestamp: 1_000 })), producerId, producerEpoch: 0, baseSequence: 0, isTransactional: true }));
const plain = (...values: string[]) => cluster.append('output', 0, encodeRecordBatch({ records: values.map((value) => ({ key: null, value: utf8(value), timestamp: 1_000 })) }));
const marker = (type: 'COMMIT' | 'ABORT', producerId: number) =>
  cluster.append('output', 0, encodeEndTxnMarkerBatch({ type, producerId, producerEpoch: 0, coordinatorEpoch: 0, timestampMs: 1_000 }));

/** Polls until the position reaches `position` (bounded in virtual time), returning every record handed out. */
async function readTo(reader: Consumer, position: number): Promise<string[]> {
  const values: string[] = [];
  for (let round = 0; round < 50; round++) {
    values.push(...(await cluster.settle(reader.poll(200))).map(text));
    if ((await cluster.settle(reader.position(tp))) >= position) break;
  }
  return values;
}

/**
 * Producer 1 commits c1, c2; producer 2's a1, a2 interleave and abort; a plain producer writes p; producer 3's
 * transaction is still open at the end, so the last stable offset is its first offset.
 */
function writeInterleavedTransactions(): { openAt: number; end: number } {
  transactional(1, 'c1', 'c2'); // 0-1
  const abortedFrom = transactional(2, 'a1'); // 2
  marker('COMMIT', 1); // 3
  transactional(2, 'a2'); // 4
  const abortedTo = marker('ABORT', 2); // 5
  plain('p'); // 6
  const openAt = transactional(3, 'open'); // 7
  const partition = cluster.partition('output', 0);
  partition.abortedTransactions = [{ producerId: 2, firstOffset: abortedFrom, lastOffset: abortedTo }];
  partition.lastStableOffset = openAt;
  return { openAt, end: partition.logEndOffset };
}

afterEach(async () => {
  for (const each of consumers.splice(0)) await each.close();
  await cluster.close();
});

describe('isolation.level', () => {
  it('read_committed: hands out committed and plain records only, stops at the LSO, then reads the open transaction once it commits', async () => {
    await startCluster();
    const { openAt } = writeInterleavedTransactions();
    const reader = consumer({ 'isolation.level': 'read_committed' });
    expect(await readTo(reader, openAt)).toEqual(['c1', 'c2', 'p']);
    expect(await cluster.settle(reader.position(tp))).toBe(openAt);
    expect(cluster.requestsOf('fetch').every((request) => request.body.isolationLevel === 1)).toBe(true);
    expect(cluster.requestsOf('listOffsets').every((request) => request.body.isolationLevel === 1)).toBe(true);

    const committedAt = marker('COMMIT', 3);
    cluster.partition('output', 0).lastStableOffset = undefined;
    expect(await readTo(reader, committedAt + 1)).toEqual(['open']);
    expect(await cluster.settle(reader.position(tp))).toBe(committedAt + 1);
  });

  it('read_uncommitted (the default): hands out every data record, aborted and open ones included, never a marker', async () => {
    await startCluster();
    const { end } = writeInterleavedTransactions();
    const reader = consumer({});
    expect(await readTo(reader, end)).toEqual(['c1', 'c2', 'a1', 'a2', 'p', 'open']);
    expect(cluster.requestsOf('fetch').every((request) => request.body.isolationLevel === 0)).toBe(true);
  });
});
