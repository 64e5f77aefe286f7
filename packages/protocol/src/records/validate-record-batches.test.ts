import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeBatchCrc, setBaseOffset } from './batch-header.js';
import { writeInt16BE, writeInt32BE, writeInt64BE } from './bytes.js';
import { encodeRecordBatch } from './record-batch.js';
import { arbitraryRecordBatch, concat } from './record-arbitraries.js';
import { validateRecordBatches } from './validate-record-batches.js';

const MESSAGE_MAX_BYTES = 1_048_588;
const utf8 = (text: string) => new TextEncoder().encode(text);

function batch(count = 2): Uint8Array {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({ key: utf8(`k${i}`), value: utf8(`value ${i}`), timestamp: 100 + i })),
  });
}

/** Rewrites the CRC after a deliberate edit, so that a check other than the CRC gets to speak. */
function resealed(bytes: Uint8Array): Uint8Array {
  writeInt32BE(bytes, 17, computeBatchCrc(bytes, 0, bytes.length));
  return bytes;
}

const validate = (bytes: Uint8Array, maxBatchBytes = MESSAGE_MAX_BYTES) => validateRecordBatches(bytes, { maxBatchBytes });

describe('validateRecordBatches accepts', () => {
  it('a producer batch, reporting counts and the max timestamp', () => {
    const bytes = batch(3);
    expect(validate(bytes)).toMatchObject({
      ok: true,
      batchCount: 1,
      recordCount: 3,
      offsetCount: 3,
      maxTimestamp: 102,
      sizeInBytes: bytes.length,
    });
  });

  it('several batches, summing their counts', () => {
    const result = validate(concat([batch(2), batch(5)]));
    expect(result).toMatchObject({ ok: true, batchCount: 2, recordCount: 7, offsetCount: 7 });
  });

  it('a gzip batch after inflating and parsing its records', () => {
    const bytes = encodeRecordBatch({ compression: 'gzip', records: [{ key: null, value: utf8('z'), timestamp: 1 }] });
    expect(validate(bytes)).toMatchObject({ ok: true, recordCount: 1 });
  });

  it('an idempotent batch, exposing its producer fields', () => {
    const bytes = encodeRecordBatch({ producerId: 5, producerEpoch: 2, baseSequence: 9, records: [{ key: null, value: null, timestamp: 0 }] });
    const result = validate(bytes);
    expect(result.ok && result.batches[0]).toMatchObject({ producerId: 5, producerEpoch: 2, baseSequence: 9 });
  });

  it('a batch of exactly maxBatchBytes', () => {
    const bytes = batch();
    expect(validate(bytes, bytes.length).ok).toBe(true);
  });

  it('a replicated batch with a real base offset when not from a client', () => {
    const bytes = batch();
    setBaseOffset(bytes, 0, 500);
    expect(validate(bytes)).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
    expect(validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES, fromClient: false }).ok).toBe(true);
  });
});

describe('validateRecordBatches refuses', () => {
  it('no batch at all with INVALID_RECORD', () => {
    expect(validate(new Uint8Array(0))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('a batch larger than maxBatchBytes with MESSAGE_TOO_LARGE', () => {
    const bytes = batch();
    expect(validate(bytes, bytes.length - 1)).toMatchObject({ ok: false, error: 'MESSAGE_TOO_LARGE', position: 0 });
  });

  it('a bad CRC with CORRUPT_MESSAGE at the offending batch', () => {
    const first = batch();
    const second = batch();
    second[second.length - 1]! ^= 0x40;
    expect(validate(concat([first, second]))).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE', position: first.length });
  });

  it('magic 1 with INVALID_RECORD, as Kafka answers old formats in Produce v3+', () => {
    const bytes = batch();
    bytes[16] = 1;
    expect(validate(bytes)).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('a truncated batch or trailing bytes with CORRUPT_MESSAGE', () => {
    const bytes = batch();
    expect(validate(bytes.subarray(0, bytes.length - 1))).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE' });
    expect(validate(concat([bytes, new Uint8Array(5)]))).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE', position: bytes.length });
  });

  it('a batch length below the batch overhead with CORRUPT_MESSAGE', () => {
    const bytes = batch();
    writeInt32BE(bytes, 8, 48);
    expect(validate(bytes)).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE' });
  });

  it('a record count that disagrees with lastOffsetDelta with INVALID_RECORD', () => {
    const bytes = batch(2);
    writeInt32BE(bytes, 23, 2);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('more records declared than the batch holds with INVALID_RECORD', () => {
    const bytes = batch(2);
    writeInt32BE(bytes, 23, 0x7ffffffe);
    writeInt32BE(bytes, 57, 0x7fffffff);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('fewer records declared than the batch holds with INVALID_RECORD', () => {
    const bytes = batch(2);
    writeInt32BE(bytes, 23, 0);
    writeInt32BE(bytes, 57, 1);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD', message: expect.stringMatching(/remain/) });
  });

  it('a control batch from a client with INVALID_RECORD', () => {
    const bytes = batch(1);
    writeInt16BE(bytes, 21, 0x30);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('a producer id without a sequence with INVALID_RECORD', () => {
    const bytes = batch(1);
    writeInt64BE(bytes, 43, 77);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('snappy, lz4 and zstd flags over uncompressed records with INVALID_RECORD (the codecs are read: compression.test.ts), and unknown codecs with INVALID_RECORD', () => {
    for (const codec of [2, 3, 4]) {
      const bytes = batch(1);
      writeInt16BE(bytes, 21, codec);
      expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
    }
    const bytes = batch(1);
    writeInt16BE(bytes, 21, 6);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });

  it('gzip data that inflates beyond the bound with INVALID_RECORD', () => {
    const bytes = encodeRecordBatch({ compression: 'gzip', records: [{ key: null, value: new Uint8Array(100_000), timestamp: 1 }] });
    const result = validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES, maxDecompressedBytes: 10_000 });
    expect(result).toMatchObject({ ok: false, error: 'INVALID_RECORD', message: expect.stringMatching(/inflate/) });
  });

  it('a gzip flag over uncompressed records with INVALID_RECORD', () => {
    const bytes = batch(1);
    writeInt16BE(bytes, 21, 1);
    expect(validate(resealed(bytes))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
  });
});

describe('validateRecordBatches for a follower (parseRecords false)', () => {
  const asFollower = (bytes: Uint8Array) => validateRecordBatches(bytes, { maxBatchBytes: MESSAGE_MAX_BYTES, fromClient: false, parseRecords: false });

  it('checks the header and CRC but not the records, as Kafka\'s replication append', () => {
    const bytes = batch(2);
    writeInt32BE(bytes, 23, 0);
    writeInt32BE(bytes, 57, 1);
    expect(asFollower(resealed(bytes))).toMatchObject({ ok: true, batchCount: 1, recordCount: 1 });
  });

  it('still refuses a bad CRC with CORRUPT_MESSAGE', () => {
    const bytes = batch(2);
    const last = bytes.length - 1;
    bytes[last] = (bytes[last] as number) ^ 0xff;
    expect(asFollower(bytes)).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE' });
  });
});

describe('validateRecordBatches under fuzzing', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(typeof validate(bytes).ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary bytes behind a plausible header', () => {
    const header = batch(1).subarray(0, 61);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: -1, max: 400 }), (tail, count) => {
        const bytes = concat([header, tail]);
        writeInt32BE(bytes, 8, bytes.length - 12);
        writeInt32BE(bytes, 23, count - 1);
        writeInt32BE(bytes, 57, count);
        const result = validate(resealed(bytes));
        if (!result.ok) expect(result.error).toBe('INVALID_RECORD');
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every generated producer batch', () => {
    fc.assert(
      fc.property(arbitraryRecordBatch(), ({ options, bytes }) => {
        expect(validate(bytes)).toMatchObject({ ok: true, recordCount: options.records.length });
      }),
      { numRuns: 300 },
    );
  });

  // partitionLeaderEpoch (bytes 12..15) is outside the CRC and not checked, so flips there are left out.
  it('refuses a valid batch with any byte flipped (outside the leader epoch) as CORRUPT_MESSAGE or INVALID_RECORD', () => {
    fc.assert(
      fc.property(arbitraryRecordBatch(), fc.nat(), fc.integer({ min: 1, max: 255 }), ({ bytes }, at, mask) => {
        const positions = bytes.length - 4;
        let index = at % positions;
        if (index >= 12) index += 4;
        const mutated = Uint8Array.from(bytes);
        mutated[index]! ^= mask;
        const result = validate(mutated);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['CORRUPT_MESSAGE', 'INVALID_RECORD']).toContain(result.error);
      }),
      { numRuns: 3000 },
    );
  });
});
