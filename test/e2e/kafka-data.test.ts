/**
 * Issue 16 end to end, the data APIs: Kafka's Produce, Fetch, ListOffsets and InitProducerId in Kafka's own bytes
 * (through the tiny wire client) against the Kafka listener of a real `kactor cluster up`. Batches built with
 * kactor's record batch encoder are produced in v3 and v7 (one gzip), read back with Fetch v4 read_uncommitted and
 * read_committed and by kactor's own `consume`, ListOffsets' earliest and latest match what was written, an
 * idempotent producer with an id from InitProducerId has its retried batch kept once, an acks=0 Produce gets no
 * answer but is written, and a long-poll Fetch waits on its own connection until another connection produces.
 */
import { ZERO_UUID, type FetchResponse } from '@kactor/kafka-protocol';
import { decodeRecordBatches, encodeRecordBatch } from '@kactor/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { KafkaWireClient } from './support/kafka-wire-client.js';

const topic = 'payments';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

interface RecordLine {
  offset: number;
  key: string | null;
  value: string | null;
}

const batchOf = (values: string[], producer: { producerId: number; producerEpoch: number; baseSequence: number } | undefined = undefined, compression: 'none' | 'gzip' = 'none') =>
  encodeRecordBatch({ records: values.map((value, index) => ({ key: encoder.encode(`k${index}`), value: encoder.encode(value), timestamp: 1_700_000_000_000 + index })), ...producer, compression });

const produceBody = (records: Uint8Array, acks = -1) => ({ transactionalId: null, acks, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });

const fetchBody = (fetchOffset: number, isolationLevel: 0 | 1, maxWaitMs = 0) => ({
  replicaId: -1,
  maxWaitMs,
  minBytes: 1,
  maxBytes: 1_048_576,
  isolationLevel,
  topics: [{ topic, topicId: ZERO_UUID, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: BigInt(fetchOffset), lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1_048_576, replicaDirectoryId: ZERO_UUID }] }],
});

/** Every record a Fetch answer holds, by offset and value. */
function recordsOf(answer: FetchResponse): Array<[number, string]> {
  const partition = answer.responses[0]?.partitions[0];
  expect(partition?.errorCode).toBe(0);
  return decodeRecordBatches(partition?.records ?? new Uint8Array(0)).batches.flatMap((batch) => batch.records.map((record): [number, string] => [record.offset, decoder.decode(record.value ?? new Uint8Array(0))]));
}

describe('the data APIs on the Kafka listener of a cluster up', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-kafka-data');
  const clients: KafkaWireClient[] = [];
  let cluster: RunningCluster;
  let client: KafkaWireClient;

  async function connect(): Promise<KafkaWireClient> {
    const connected = await KafkaWireClient.connectTo(cluster.kafkaBootstrap ?? '');
    clients.push(connected);
    return connected;
  }

  async function offsetsAt(timestamp: bigint, isolationLevel = 0): Promise<bigint | undefined> {
    const version = isolationLevel === 0 ? 1 : 2;
    const answer = await client.request('ListOffsets', version, { replicaId: -1, isolationLevel, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }] });
    const partition = answer.topics[0]?.partitions[0];
    expect(partition?.errorCode).toBe(0);
    return partition?.offset;
  }

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, brokers: 1 });
    const created = await kactor(['topics', 'create', topic, '--partitions', '1', '--replication-factor', '1', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    client = await connect();
    // The partition has a leader once ListOffsets answers it without an error.
    await eventually(
      async () => {
        const answer = await client.request('ListOffsets', 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }] }] });
        return answer.topics[0]?.partitions[0]?.errorCode === 0 ? true : undefined;
      },
      60_000,
      'payments-0 led by the broker',
      250,
    );
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((connected) => connected.close()));
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('appends Produce v3 and v7 batches (the second gzip) at consecutive offsets, and ListOffsets names the earliest and latest', async () => {
    expect([await offsetsAt(-2n), await offsetsAt(-1n)]).toEqual([0n, 0n]);
    const first = await client.request('Produce', 3, produceBody(batchOf(['a', 'b', 'c'])));
    expect(first.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    const second = await client.request('Produce', 7, produceBody(batchOf(['d', 'e'], undefined, 'gzip')));
    expect(second.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3n, logStartOffset: 0n });
    expect([await offsetsAt(-2n), await offsetsAt(-1n), await offsetsAt(-1n, 1)]).toEqual([0n, 5n, 5n]);
  });

  it('reads every record back with Fetch v4, read_uncommitted and read_committed, with the high watermark and last stable offset', async () => {
    const expected: Array<[number, string]> = [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd'], [4, 'e']];
    for (const isolationLevel of [0, 1] as const) {
      const answer = await client.request('Fetch', 4, fetchBody(0, isolationLevel));
      expect(recordsOf(answer), `isolation ${isolationLevel}`).toEqual(expected);
      expect(answer.responses[0]?.partitions[0]).toMatchObject({ highWatermark: 5n, lastStableOffset: 5n });
    }
    // From the middle: the client skips the records of the first batch below its offset, as Kafka's clients do.
    expect(recordsOf(await client.request('Fetch', 4, fetchBody(4, 0))).filter(([offset]) => offset >= 4)).toEqual([[4, 'e']]);
  });

  it('keeps an idempotent producer\'s retried batch once, at its first offset, and refuses a sequence gap', async () => {
    const init = await client.request('InitProducerId', 1, { transactionalId: null, transactionTimeoutMs: -1 });
    expect(init.errorCode).toBe(0);
    expect(init.producerId).toBeGreaterThanOrEqual(0n);
    const producer = { producerId: Number(init.producerId), producerEpoch: init.producerEpoch, baseSequence: 0 };
    const batch = batchOf(['f', 'g'], producer);
    const written = await client.request('Produce', 3, produceBody(batch));
    const retried = await client.request('Produce', 3, produceBody(batch));
    expect(written.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 5n });
    expect(retried.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 5n });
    const gap = await client.request('Produce', 3, produceBody(batchOf(['x'], { ...producer, baseSequence: 5 })));
    expect(gap.responses[0]?.partitionResponses[0]?.errorCode).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await offsetsAt(-1n)).toBe(7n);
  });

  it('writes an acks=0 Produce without answering it, and answers the request after it in order', async () => {
    client.sendWithoutAnswer('Produce', 3, produceBody(batchOf(['h']), 0));
    // The connection takes the ListOffsets only once the unanswered Produce is done, so it already counts it.
    expect(await offsetsAt(-1n)).toBe(8n);
  });

  it('holds a long-poll Fetch at the log end on its own connection until another connection produces', async () => {
    const poller = await connect();
    const polled = poller.request('Fetch', 4, fetchBody(8, 1, 20_000));
    const producer = await connect();
    const produced = await producer.request('Produce', 3, produceBody(batchOf(['i'])));
    expect(produced.responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 8n });
    expect(recordsOf(await polled)).toEqual([[8, 'i']]);
  });

  it('lets kactor\'s own consumer read every record produced by Kafka\'s bytes, once each', async () => {
    const result = await kactor(['consume', topic, '--offset', 'earliest', '--json', '--max-messages', '9', '--timeout-ms', '10000', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines<RecordLine>(result.stdout);
    expect(records.map((record) => [record.offset, record.value])).toEqual([
      [0, 'a'], [1, 'b'], [2, 'c'], [3, 'd'], [4, 'e'], [5, 'f'], [6, 'g'], [7, 'h'], [8, 'i'],
    ]);
    expect(records[0]?.key).toBe('k0');
  });
});
