import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setBaseOffset } from './batch-header.js';
import { decodeRecordBatches } from './decode-record-batches.js';
import { encodeRecordBatch } from './record-batch.js';
import { arbitraryRecordBatch, concat } from './record-arbitraries.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

function twoBatches(): Uint8Array {
  const first = encodeRecordBatch({ records: [{ key: null, value: utf8('a'), timestamp: 1 }] });
  const second = encodeRecordBatch({
    records: [
      { key: null, value: utf8('b'), timestamp: 2 },
      { key: null, value: utf8('c'), timestamp: 3 },
    ],
  });
  setBaseOffset(second, 0, 1);
  return concat([first, second]);
}

describe('decodeRecordBatches', () => {
  it('decodes concatenated batches in order with absolute offsets', () => {
    const result = decodeRecordBatches(twoBatches());
    expect(result.problem).toBeNull();
    expect(result.partialTrailingBytes).toBe(0);
    expect(result.batches.flatMap((b) => b.records.map((r) => r.offset))).toEqual([0, 1, 2]);
  });

  it('stops quietly at a partial trailing batch, as a fetch response may carry one', () => {
    const bytes = twoBatches();
    for (const cut of [1, 11, 12, 30, 61, 70]) {
      const result = decodeRecordBatches(bytes.subarray(0, bytes.length - cut));
      expect(result.problem).toBeNull();
      expect(result.batches).toHaveLength(1);
      expect(result.partialTrailingBytes).toBeGreaterThan(0);
    }
  });

  it('returns nothing for empty input', () => {
    expect(decodeRecordBatches(new Uint8Array(0))).toEqual({ batches: [], partialTrailingBytes: 0, problem: null });
  });

  it('reports a CRC mismatch as CORRUPT_MESSAGE with the position, keeping the batches before it', () => {
    const bytes = twoBatches();
    bytes[bytes.length - 2]! ^= 0xff;
    const result = decodeRecordBatches(bytes);
    expect(result.batches).toHaveLength(1);
    expect(result.problem).toMatchObject({ error: 'CORRUPT_MESSAGE', position: result.batches[0]!.sizeInBytes });
  });

  it('can skip the CRC check', () => {
    const bytes = twoBatches();
    bytes[21 + 2 + 4 + 8 + 7]! ^= 0x01; // maxTimestamp: inside the CRC, not needed to parse
    expect(decodeRecordBatches(bytes).problem?.error).toBe('CORRUPT_MESSAGE');
    expect(decodeRecordBatches(bytes, { verifyCrc: false }).batches).toHaveLength(2);
  });

  it('reports an older magic as INVALID_RECORD', () => {
    const bytes = twoBatches();
    bytes[16] = 1;
    expect(decodeRecordBatches(bytes).problem?.error).toBe('INVALID_RECORD');
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeRecordBatches(bytes);
        expect(result.batches.length).toBeLessThanOrEqual(bytes.length / 61);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes every generated batch back to its records', () => {
    fc.assert(
      fc.property(arbitraryRecordBatch(), ({ options, bytes }) => {
        const result = decodeRecordBatches(bytes);
        expect(result.problem).toBeNull();
        const records = result.batches[0]!.records;
        expect(records.map((r) => r.timestamp)).toEqual(options.records.map((r) => r.timestamp));
        expect(records.map((r) => r.key)).toEqual(options.records.map((r) => r.key));
        expect(records.map((r) => r.value)).toEqual(options.records.map((r) => r.value));
        expect(records.map((r) => r.headers)).toEqual(options.records.map((r) => r.headers ?? []));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on valid batches with bytes flipped, skipping the CRC check too', () => {
    fc.assert(
      fc.property(arbitraryRecordBatch(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.boolean(), ({ bytes }, flips, verifyCrc) => {
        const mutated = Uint8Array.from(bytes);
        for (const [at, mask] of flips) mutated[at % mutated.length]! ^= mask;
        decodeRecordBatches(mutated, { verifyCrc });
      }),
      { numRuns: 2000 },
    );
  });
});
