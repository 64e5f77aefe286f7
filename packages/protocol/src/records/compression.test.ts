import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_COMPRESSION_MASK } from './batch-layout.js';
import { writeInt16BE, writeInt32BE } from './bytes.js';
import { computeBatchCrc } from './batch-header.js';
import { decodeRecordBatches } from './decode-record-batches.js';
import { encodeRecordBatch, type RecordInput } from './record-batch.js';
import { snappyCompressRaw } from './snappy-codec.js';
import { validateRecordBatches } from './validate-record-batches.js';
import { nodeZstdCompress } from './zstd-codec.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const fromHex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));
const MESSAGE_MAX_BYTES = 1_048_588;
const RECORDS_OFFSET = 61;

/*
 * Golden batches printed by Apache Kafka's own encoder, kafka-clients 4.1.0 from Maven Central (with the
 * snappy-java, lz4-java and zstd-jni it depends on), in a throwaway Java program outside this repository:
 *   MemoryRecords.builder(buffer, MAGIC_VALUE_V2, Compression.<codec>().build(), CREATE_TIME, 0L, NO_TIMESTAMP,
 *     NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE, false, NO_PARTITION_LEADER_EPOCH)
 * with three records at 1700000000000 + i: ("a", "<codec> value one", header h=v), (null, "<codec> value two"),
 * ("c", "<codec> value three, a little longer: " + "<codec>" x 8); the hex of `builder.build().buffer()`.
 */
const KAFKA_BATCHES = {
  gzip:
    '000000000000000000000091ffffffff0263ef076e0001000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff000000031f8b08000000000000ff33626060604a9449afca2c50284bcc294d55c8cf4b6562ca602ad36060626244962829cf6798c6c8c0c2c294dcc6882c9e51949aaaa390a8909359529293aa90939f979e5a64a50052820f330000c4a48c0d7c000000',
  snappy:
    '00000000000000000000009effffffff02f3d4aca20002000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000382534e415050590000000001000000010000005992018036000000026120736e617070792076616c7565206f6e6502026802762c00020201361b003074776f00ba010004040263aa013235005874687265652c2061206c6974746c65206c6f6e6765723a0d3f092b8e06000000',
  lz4:
    '000000000000000000000096ffffffff02c4bcde0c0003000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000304224d1860408256000000f70f3000000002611a6c7a342076616c7565206f6e65020268027626000202011800c674776f0082010004040263742e00fd0c74687265652c2061206c6974746c65206c6f6e6765723a206c7a34030050346c7a340000000000',
  zstd:
    '00000000000000000000008effffffff0211408c620004000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff0000000328b52ffd00588c020082c41019a0b5390f36cefae4e52a42c1ac8bc5fff6dce915568740da2946db1e1a2c11b514537713c58344264b4570dc1897815760cbefc13dfda91626408f43b4ed09e7b68b0300ef987127f7676e3a01010000',
} as const;

/*
 * Golden batches from librdkafka (kcat 1.7.1, librdkafka 2.0.2, Debian's packages), which writes raw snappy where
 * Java writes xerial frames: `kcat -P -X compression.codec=<codec> -K:` sending the two lines
 * `k1:kcat <codec> value one, kcat <codec> value one, kcat <codec> value one` and
 * `k2:kcat <codec> value two, again and again and again` to a throwaway listener on 127.0.0.1 that answered
 * ApiVersions (Produce 0-3, Fetch 0-4) and Metadata, then kept the records of the Produce v3 request.
 */
const LIBRDKAFKA_BATCHES = {
  gzip:
    '0000000000000000000000810000000002ab929b92000100000001000001a2542f1d1d000001a2542f1d1dffffffffffffffffffffffffffff000000021f8b0800000000000003eb6264606060c936acca4e4e2c5148afca2c50284bcc294d55c8cf4bd551205690218781818925db28065daea43c5f4721313d31334f21312f059dc50000d004ae177e000000',
  snappy:
    '000000000000000000000079000000000207703bb7000200000001000001a2542f2de6000001a2542f2de6ffffffffffffffffffffffffffff000000028701809801000000046b3186016b63617420736e617070792076616c7565206f6e652c20ae1700200070000002046b32604635003474776f2c20616761696e20616e643e0a000000',
  lz4:
    '0000000000000000000000850000000002b15f44d0000300000001000001a2542f3b62000001a2542f3b62ffffffffffffffffffffffffffff0000000204224d1860408245000000ff0e8401000000046b31746b636174206c7a342076616c7565206f6e652c201400139b006a000002046b325a2f00e874776f2c20616761696e20616e640a00506761696e0000000000',
} as const;

type Codec = keyof typeof KAFKA_BATCHES;
const CODECS = Object.keys(KAFKA_BATCHES) as Codec[];

function expectKafkaRecords(codec: Codec, bytes: Uint8Array): void {
  const { batches, problem } = decodeRecordBatches(bytes);
  expect(problem).toBeNull();
  expect(batches).toHaveLength(1);
  expect(batches[0]!.compression).toBe(codec);
  expect(batches[0]!.records.map((record) => [text(record.key), text(record.value), record.timestamp, record.headers.map((header) => header.key)])).toEqual([
    ['a', `${codec} value one`, 1_700_000_000_000, ['h']],
    [null, `${codec} value two`, 1_700_000_000_001, []],
    ['c', `${codec} value three, a little longer: ${codec.repeat(8)}`, 1_700_000_000_002, []],
  ]);
}

/** A batch whose records block is `block`, flagged with codec id `codecId`, with a valid CRC. */
function batchWithBlock(codecId: number, block: Uint8Array, recordsCount = 1): Uint8Array {
  const template = encodeRecordBatch({ records: Array.from({ length: recordsCount }, (_, i) => ({ key: null, value: null, timestamp: 1 + i })) });
  const bytes = new Uint8Array(RECORDS_OFFSET + block.length);
  bytes.set(template.subarray(0, RECORDS_OFFSET));
  bytes.set(block, RECORDS_OFFSET);
  writeInt32BE(bytes, 8, bytes.length - 12);
  writeInt16BE(bytes, 21, codecId);
  writeInt32BE(bytes, 17, computeBatchCrc(bytes, 0, bytes.length));
  return bytes;
}

describe('compressed record batches written by Kafka (golden)', () => {
  for (const codec of CODECS) {
    it(`decodes a ${codec} batch compressed by kafka-clients`, () => {
      expectKafkaRecords(codec, fromHex(KAFKA_BATCHES[codec]));
    });

    it(`validates a produced ${codec} batch as the partition leader does`, () => {
      expect(validateRecordBatches(fromHex(KAFKA_BATCHES[codec]), { maxBatchBytes: MESSAGE_MAX_BYTES })).toMatchObject({ ok: true, recordCount: 3, offsetCount: 3 });
    });

    it(`refuses a ${codec} batch that inflates past the bound with INVALID_RECORD`, () => {
      const result = validateRecordBatches(fromHex(KAFKA_BATCHES[codec]), { maxBatchBytes: MESSAGE_MAX_BYTES, maxDecompressedBytes: 40 });
      expect(result).toMatchObject({ ok: false, error: 'INVALID_RECORD', message: expect.stringMatching(/inflate/) });
    });

    it(`refuses ${codec} records that are not ${codec} with INVALID_RECORD`, () => {
      const codecId = fromHex(KAFKA_BATCHES[codec])[22]! & ATTRIBUTE_COMPRESSION_MASK;
      const result = validateRecordBatches(batchWithBlock(codecId, utf8('definitely not compressed records, just text')), { maxBatchBytes: MESSAGE_MAX_BYTES });
      expect(result).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
    });
  }
});

describe('compressed record batches written by librdkafka (golden)', () => {
  for (const codec of Object.keys(LIBRDKAFKA_BATCHES) as Array<keyof typeof LIBRDKAFKA_BATCHES>) {
    it(`decodes and validates a ${codec} batch produced by kcat`, () => {
      const bytes = fromHex(LIBRDKAFKA_BATCHES[codec]);
      const { batches, problem } = decodeRecordBatches(bytes);
      expect(problem).toBeNull();
      expect(batches[0]!.compression).toBe(codec);
      expect(batches[0]!.records.map((record) => [text(record.key), text(record.value)])).toEqual([
        ['k1', Array.from({ length: 3 }, () => `kcat ${codec} value one`).join(', ')],
        ['k2', `kcat ${codec} value two, again and again and again`],
      ]);
      expect(validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES })).toMatchObject({ ok: true, recordCount: 2 });
    });
  }
});

describe('compressed record batches written here', () => {
  const records: RecordInput[] = Array.from({ length: 50 }, (_, i) => ({
    key: i % 3 === 0 ? null : utf8(`key-${i}`),
    value: utf8(`value ${i} `.repeat(20)),
    headers: i % 2 === 0 ? [{ key: 'n', value: utf8(String(i)) }] : [],
    timestamp: 1_000 + i,
  }));
  const writable: Codec[] = nodeZstdCompress === null ? ['gzip', 'snappy', 'lz4'] : ['gzip', 'snappy', 'lz4', 'zstd'];

  for (const codec of writable) {
    it(`round-trips through ${codec}, smaller than uncompressed`, () => {
      const plain = encodeRecordBatch({ records });
      const bytes = encodeRecordBatch({ records, compression: codec });
      expect(bytes.length).toBeLessThan(plain.length);
      const { batches, problem } = decodeRecordBatches(bytes);
      expect(problem).toBeNull();
      expect(batches[0]!.compression).toBe(codec);
      expect(batches[0]!.records.map((record) => text(record.value))).toEqual(records.map((record) => text(record.value)));
      expect(batches[0]!.records.map((record) => text(record.key))).toEqual(records.map((record) => text(record.key)));
      expect(validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES })).toMatchObject({ ok: true, recordCount: 50 });
    });
  }

  it('snappy: reads raw snappy (librdkafka\'s form) as well as xerial-framed (Java\'s)', () => {
    const xerial = encodeRecordBatch({ records, compression: 'snappy' });
    expect(Buffer.from(xerial.subarray(RECORDS_OFFSET, RECORDS_OFFSET + 8)).toString('latin1')).toBe('\x82SNAPPY\x00');
    const plainBlock = encodeRecordBatch({ records }).subarray(RECORDS_OFFSET);
    const raw = batchWithBlock(2, snappyCompressRaw(plainBlock), records.length);
    const { batches, problem } = decodeRecordBatches(raw);
    expect(problem).toBeNull();
    expect(batches[0]!.records.map((record) => text(record.value))).toEqual(records.map((record) => text(record.value)));
  });

  it('refuses a decompression bomb of each writable codec: 16 MiB of zeros squeezed under message.max.bytes is refused at a 1 MiB bound', () => {
    const zeros = new Uint8Array(16 * 1024 * 1024);
    for (const codec of writable) {
      const bytes = encodeRecordBatch({ records: [{ key: null, value: zeros, timestamp: 1 }], compression: codec });
      expect(bytes.length).toBeLessThan(MESSAGE_MAX_BYTES);
      const result = validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES, maxDecompressedBytes: 1024 * 1024 });
      expect(result, codec).toMatchObject({ ok: false, error: 'INVALID_RECORD', message: expect.stringMatching(/inflate/) });
    }
  });

  it('refuses codec ids 5 to 7, which do not exist, with INVALID_RECORD', () => {
    for (const codecId of [5, 6, 7]) {
      expect(validateRecordBatches(batchWithBlock(codecId, utf8('x')), { maxBatchBytes: MESSAGE_MAX_BYTES })).toMatchObject({ ok: false, error: 'INVALID_RECORD', message: expect.stringMatching(/codec/) });
    }
  });
});
