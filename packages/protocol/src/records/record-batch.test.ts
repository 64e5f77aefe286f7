import { describe, expect, it } from 'vitest';
import { decodeRecordBatches } from './decode-record-batches.js';
import { encodeRecordBatch, type RecordInput } from './record-batch.js';
import { verifyBatchCrc } from './batch-header.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

/*
 * Golden batches: the expected hex below was printed by Apache Kafka's own encoder, kafka-clients 4.4.0
 * from Maven Central, in a throwaway Java program outside this repository:
 *   MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME,
 *     baseOffset, RecordBatch.NO_TIMESTAMP, producerId, producerEpoch, baseSequence, isTransactional,
 *     partitionLeaderEpoch)
 * then `builder.append(new SimpleRecord(timestamp, key, value, headers))` per record, and the hex of
 * `builder.build().buffer()`.
 */
const KAFKA_PLAIN_BATCH =
  '000000000000000000000063ffffffff02beb762e10000000000020000018bcfe568000000018bcfe56805ffffffffffffffff' +
  'ffffffffffff00000003360000000a6b65792d310a68656c6c6f04046831047631066e756c010c000a020100001c00130410d0' +
  'bad0bbd18ed1870100';
const KAFKA_TRANSACTIONAL_BATCH =
  '000000000000002a000000450000000702252404fd0010000000010000018bcfe568000000018bcfe568010000000000001092' +
  '0003000000110000000210000000026b02760014000202046b3204763200';
/** Same program with `Compression.gzip().build()`: Java's GZIPOutputStream, decoded here with node:zlib. */
const KAFKA_GZIP_BATCH =
  '00000000000000000000006affffffff025acc178c0001000000010000018bcfe568000000018bcfe56802ffffffffffffffff' +
  'ffffffffffff000000021f8b08000000000000ff33626060604a9449afca2c50284bcc294d55c8cf4b6562ca60aad060606162' +
  '44962829cf6700009c5756842f000000';

const PLAIN_RECORDS: RecordInput[] = [
  {
    key: utf8('key-1'),
    value: utf8('hello'),
    headers: [
      { key: 'h1', value: utf8('v1') },
      { key: 'nul', value: null },
    ],
    timestamp: 1_700_000_000_000,
  },
  { key: null, value: new Uint8Array(0), timestamp: 1_700_000_000_005 },
  { key: utf8('ключ'), value: null, timestamp: 1_699_999_999_990 },
];

function onlyBatch(bytes: Uint8Array) {
  const result = decodeRecordBatches(bytes);
  expect(result.problem).toBeNull();
  expect(result.batches).toHaveLength(1);
  return result.batches[0]!;
}

describe('encodeRecordBatch matches Kafka byte for byte', () => {
  it('encodes a plain producer batch (headers, null key, empty value, unicode key, null value, negative delta)', () => {
    expect(hex(encodeRecordBatch({ records: PLAIN_RECORDS }))).toBe(KAFKA_PLAIN_BATCH);
  });

  it('encodes an idempotent transactional batch with offset and leader epoch', () => {
    const bytes = encodeRecordBatch({
      baseOffset: 42,
      partitionLeaderEpoch: 7,
      producerId: 4242,
      producerEpoch: 3,
      baseSequence: 17,
      isTransactional: true,
      records: [
        { key: utf8('k'), value: utf8('v'), timestamp: 1_700_000_000_000 },
        { key: utf8('k2'), value: utf8('v2'), timestamp: 1_700_000_000_001 },
      ],
    });
    expect(hex(bytes)).toBe(KAFKA_TRANSACTIONAL_BATCH);
  });
});

describe('decodeRecordBatches reads Kafka batches', () => {
  it('decodes every header field and record of the plain golden batch', () => {
    const batch = onlyBatch(fromHex(KAFKA_PLAIN_BATCH));
    expect(batch).toMatchObject({
      baseOffset: 0,
      lastOffset: 2,
      lastOffsetDelta: 2,
      partitionLeaderEpoch: -1,
      magic: 2,
      compression: 'none',
      timestampType: 'CreateTime',
      isTransactional: false,
      isControl: false,
      baseTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_005,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 3,
      sizeInBytes: KAFKA_PLAIN_BATCH.length / 2,
    });
    const records = batch.records.map((r) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      key: text(r.key),
      value: text(r.value),
      headers: r.headers.map((h) => [h.key, text(h.value)]),
    }));
    expect(records).toEqual([
      { offset: 0, timestamp: 1_700_000_000_000, key: 'key-1', value: 'hello', headers: [['h1', 'v1'], ['nul', null]] },
      { offset: 1, timestamp: 1_700_000_000_005, key: null, value: '', headers: [] },
      { offset: 2, timestamp: 1_699_999_999_990, key: 'ключ', value: null, headers: [] },
    ]);
  });

  it('decodes the transactional golden batch with its producer fields', () => {
    const batch = onlyBatch(fromHex(KAFKA_TRANSACTIONAL_BATCH));
    expect(batch).toMatchObject({ baseOffset: 42, lastOffset: 43, partitionLeaderEpoch: 7, isTransactional: true });
    expect(batch).toMatchObject({ producerId: 4242, producerEpoch: 3, baseSequence: 17 });
    expect(batch.records.map((r) => r.offset)).toEqual([42, 43]);
  });

  it('decodes a gzip batch compressed by Kafka', () => {
    const batch = onlyBatch(fromHex(KAFKA_GZIP_BATCH));
    expect(batch.compression).toBe('gzip');
    expect(batch.records.map((r) => [text(r.key), text(r.value), r.headers.map((h) => h.key)])).toEqual([
      ['a', 'gzip value one', ['h']],
      [null, 'gzip value two', []],
    ]);
    expect(batch.records[1]!.timestamp).toBe(1_700_000_000_002);
  });
});

describe('encodeRecordBatch round trips', () => {
  it('round-trips a 1 MiB value and returns it as a view into the batch, not a copy', () => {
    const value = new Uint8Array(1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff;
    const bytes = encodeRecordBatch({ records: [{ key: utf8('big'), value, timestamp: 5 }] });
    const record = onlyBatch(bytes).records[0]!;
    expect(Buffer.compare(record.value!, value)).toBe(0);
    expect(record.value!.buffer).toBe(bytes.buffer);
  });

  it('round-trips unicode header keys, including astral characters and lone surrogates', () => {
    const keys = ['ünïcødé', '日本語', 'emoji 🎉', 'lone \ud800 surrogate'];
    const bytes = encodeRecordBatch({
      records: [{ key: null, value: null, headers: keys.map((key) => ({ key, value: utf8(key) })), timestamp: 0 }],
    });
    const headers = onlyBatch(bytes).records[0]!.headers;
    expect(headers.map((h) => h.key)).toEqual(['ünïcødé', '日本語', 'emoji 🎉', 'lone \ufffd surrogate']);
    expect(headers.map((h) => text(h.value))).toEqual(headers.map((h) => h.key));
  });

  it('round-trips timestamps far apart (varlong deltas beyond 32 bits)', () => {
    const records = [0, 1_700_000_000_000, -5, 2 ** 42].map((timestamp) => ({ key: null, value: null, timestamp }));
    const batch = onlyBatch(encodeRecordBatch({ records }));
    expect(batch.records.map((r) => r.timestamp)).toEqual([0, 1_700_000_000_000, -5, 2 ** 42]);
    expect(batch.maxTimestamp).toBe(2 ** 42);
  });

  it('round-trips through gzip', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ key: utf8(`k${i}`), value: utf8(`value ${i}`), timestamp: i }));
    const bytes = encodeRecordBatch({ records, compression: 'gzip' });
    expect(verifyBatchCrc(bytes, 0)).toBe(true);
    const batch = onlyBatch(bytes);
    expect(batch.compression).toBe('gzip');
    expect(batch.records.map((r) => text(r.value))).toEqual(records.map((r) => `value ${r.timestamp}`));
  });

  it('refuses an empty batch', () => {
    expect(() => encodeRecordBatch({ records: [] })).toThrow(RangeError);
  });
});
