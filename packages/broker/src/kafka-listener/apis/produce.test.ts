import { decodeResponseBody, encodeResponseBody, type ProduceRequest } from '@kactor/kafka-protocol';
import { encodeRecordBatch, errorCodes, wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { produceAdapter, produceRecordsProblem } from './produce.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const batch = (value: string, compression: 'none' | 'gzip' = 'none') => encodeRecordBatch({ records: [{ key: null, value: utf8(value), timestamp: 1_000 }], compression });

/** A batch with its codec bits set to zstd (4): only the attributes are read before the broker. */
function zstdBatch(): Uint8Array {
  const bytes = batch('z').slice();
  bytes[22] = ((bytes[22] as number) & ~0x07) | 4;
  return bytes;
}

/** A legacy message (magic 1): offset, size, CRC, magic, attributes, timestamp, key, value. */
function legacyMessage(): Uint8Array {
  const bytes = new Uint8Array(12 + 22);
  const view = new DataView(bytes.buffer);
  view.setInt32(8, 22);
  view.setInt8(16, 1);
  view.setInt32(26, -1);
  view.setInt32(30, 0);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of parts) {
    bytes.set(part, position);
    position += part.length;
  }
  return bytes;
}

const request = (partitions: Array<{ index: number; records: Uint8Array | null }>, acks = -1, transactionalId: string | null = null): ProduceRequest => ({
  transactionalId,
  acks,
  timeoutMs: 30_000,
  topicData: [{ name: 'orders', partitionData: partitions }],
});

const answered = (partitions: Array<{ index: number; errorCode?: number; baseOffset?: number; errorMessage?: string | null }>): ResponseBody<'produce'> => ({
  throttleTimeMs: 0,
  responses: [
    {
      name: 'orders',
      partitionResponses: partitions.map((partition) => ({
        index: partition.index,
        errorCode: partition.errorCode ?? 0,
        errorMessage: partition.errorMessage ?? null,
        baseOffset: partition.baseOffset ?? -1,
        logAppendTimeMs: -1,
        logStartOffset: 0,
      })),
    },
  ],
});

describe('Produce adapter', () => {
  it('hands the broker the transactional id, acks, timeout and each batch untouched', () => {
    const records = batch('hello');
    for (const [acks, transactionalId] of [[-1, null], [1, 'txn-a'], [0, null]] as const) {
      const kactor = produceAdapter.toKactorRequest(request([{ index: 2, records }], acks, transactionalId), 3);
      expect(kactor).toEqual({ transactionalId, acks, timeoutMs: 30_000, topicData: [{ name: 'orders', partitionData: [{ index: 2, records }] }] });
      expect(kactor.topicData[0]?.partitionData[0]?.records).toBe(records);
    }
  });

  it('passes gzip batches on to the broker, whose validation inflates them (snappy, lz4 and zstd are the broker\'s to refuse)', () => {
    const records = batch('compressed', 'gzip');
    expect(produceRecordsProblem(records, 3)).toBeUndefined();
    expect(produceAdapter.toKactorRequest(request([{ index: 0, records }]), 3).topicData[0]?.partitionData).toHaveLength(1);
  });

  it('refuses what Kafka refuses before the append: no batch, a legacy message, two batches, zstd before v7', () => {
    expect(produceRecordsProblem(null, 3)?.errorName).toBe('INVALID_RECORD');
    expect(produceRecordsProblem(new Uint8Array(0), 3)?.errorName).toBe('INVALID_RECORD');
    expect(produceRecordsProblem(legacyMessage(), 3)).toMatchObject({ errorName: 'INVALID_RECORD', message: expect.stringContaining('magic 1') });
    expect(produceRecordsProblem(concat(batch('a'), batch('b')), 3)).toMatchObject({ errorName: 'INVALID_RECORD', message: expect.stringContaining('exactly one') });
    expect(produceRecordsProblem(zstdBatch(), 6)?.errorName).toBe('UNSUPPORTED_COMPRESSION_TYPE');
    expect(produceRecordsProblem(zstdBatch(), 7)).toBeUndefined();
  });

  it('answers a refused partition beside the broker\'s answers, in the request\'s order', () => {
    const kafkaRequest = request([
      { index: 0, records: legacyMessage() },
      { index: 1, records: batch('ok') },
      { index: 2, records: concat(batch('a'), batch('b')) },
    ]);
    const kactor = produceAdapter.toKactorRequest(kafkaRequest, 3);
    expect(kactor.topicData[0]?.partitionData.map((partition) => partition.index)).toEqual([1]);
    const answer = produceAdapter.toKafkaResponse(answered([{ index: 1, baseOffset: 41 }]), kafkaRequest, 3, { kafkaEndpointOf: () => undefined });
    expect(answer.responses[0]?.partitionResponses.map(({ index, errorCode, baseOffset }) => ({ index, errorCode, baseOffset }))).toEqual([
      { index: 0, errorCode: errorCodes.INVALID_RECORD, baseOffset: -1n },
      { index: 1, errorCode: 0, baseOffset: 41n },
      { index: 2, errorCode: errorCodes.INVALID_RECORD, baseOffset: -1n },
    ]);
  });

  it('carries base offsets, the log start offset from v5 and the error message from v8, and every served version encodes', () => {
    const kafkaRequest = request([{ index: 0, records: batch('x') }]);
    const body = answered([{ index: 0, baseOffset: 7, errorMessage: null }]);
    for (let version = produceAdapter.versions.min; version <= produceAdapter.versions.max; version += 1) {
      const answer = produceAdapter.toKafkaResponse(body, kafkaRequest, version, { kafkaEndpointOf: () => undefined });
      const decoded = decodeResponseBody('Produce', version, encodeResponseBody('Produce', version, answer));
      if (!decoded.ok) throw new Error(`v${version}: ${decoded.error.message}`);
      const partition = decoded.value.responses[0]?.partitionResponses[0];
      expect(partition?.baseOffset, `v${version}`).toBe(7n);
      expect(partition?.logStartOffset, `v${version}`).toBe(version >= 5 ? 0n : -1n);
    }
    const refused = answered([{ index: 0, errorCode: errorCodes.CORRUPT_MESSAGE, errorMessage: 'bad CRC' }]);
    const v8 = decodeResponseBody('Produce', 8, encodeResponseBody('Produce', 8, produceAdapter.toKafkaResponse(refused, kafkaRequest, 8, { kafkaEndpointOf: () => undefined })));
    expect(v8.ok && v8.value.responses[0]?.partitionResponses[0]?.errorMessage).toBe('bad CRC');
  });

  it('tells a v3 client NOT_LEADER_OR_FOLLOWER for a storage error it cannot know (KIP-112), and v4+ the storage error', () => {
    const kafkaRequest = request([{ index: 0, records: batch('x') }]);
    const body = answered([{ index: 0, errorCode: errorCodes.KAFKA_STORAGE_ERROR }]);
    const codeAt = (version: number) => produceAdapter.toKafkaResponse(body, kafkaRequest, version, { kafkaEndpointOf: () => undefined }).responses[0]?.partitionResponses[0]?.errorCode;
    expect(codeAt(3)).toBe(errorCodes.NOT_LEADER_OR_FOLLOWER);
    expect(codeAt(4)).toBe(errorCodes.KAFKA_STORAGE_ERROR);
  });

  it('puts the error on every partition asked for, as Kafka\'s error response does', () => {
    const kafkaRequest: ProduceRequest = {
      ...request([{ index: 0, records: batch('a') }, { index: 1, records: null }]),
      topicData: [
        { name: 'orders', partitionData: [{ index: 0, records: batch('a') }, { index: 1, records: null }] },
        { name: 'audit', partitionData: [{ index: 3, records: batch('b') }] },
      ],
    };
    const answer = produceAdapter.errorResponse(wireError('INVALID_REQUEST', 'partition orders-0 appears twice'), kafkaRequest, 3);
    expect(answer.responses.map((topic) => topic.partitionResponses.map(({ index, errorCode, baseOffset }) => [index, errorCode, baseOffset]))).toEqual([
      [[0, 42, -1n], [1, 42, -1n]],
      [[3, 42, -1n]],
    ]);
    expect(encodeResponseBody('Produce', 3, answer).length).toBeGreaterThan(0);
  });
});
