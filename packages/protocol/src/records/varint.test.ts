import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecordFormatError } from './record-errors.js';
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

function encodeVarint(value: number): string {
  const bytes = new Uint8Array(5);
  const end = writeVarint(bytes, 0, value);
  expect(end).toBe(sizeOfVarint(value));
  return Buffer.from(bytes.subarray(0, end)).toString('hex');
}

function encodeVarlong(value: number): Uint8Array {
  const bytes = new Uint8Array(10);
  const end = writeVarlong(bytes, 0, value);
  expect(end).toBe(sizeOfVarlong(value));
  return bytes.subarray(0, end);
}

const cursor = (hex: string) => ({ bytes: Uint8Array.from(Buffer.from(hex, 'hex')), position: 0, end: hex.length / 2 });

describe('varint (zigzag, as Kafka ByteUtils.writeVarint)', () => {
  it('encodes small values with zigzag so that small negatives stay short', () => {
    expect(encodeVarint(0)).toBe('00');
    expect(encodeVarint(-1)).toBe('01');
    expect(encodeVarint(1)).toBe('02');
    expect(encodeVarint(63)).toBe('7e');
    expect(encodeVarint(-64)).toBe('7f');
    expect(encodeVarint(64)).toBe('8001');
    expect(encodeVarint(300)).toBe('d804');
  });

  it('encodes the int32 extremes in 5 bytes', () => {
    expect(encodeVarint(0x7fffffff)).toBe('feffffff0f');
    expect(encodeVarint(-0x80000000)).toBe('ffffffff0f');
  });

  it('round-trips every int32', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (value) => {
        const bytes = new Uint8Array(5);
        const end = writeVarint(bytes, 0, value);
        const c = { bytes, position: 0, end };
        expect(readVarint(c)).toBe(value);
        expect(c.position).toBe(end);
      }),
    );
  });

  it('refuses a truncated varint', () => {
    expect(() => readVarint(cursor('80'))).toThrow(RecordFormatError);
  });

  it('refuses a varint longer than 5 bytes', () => {
    expect(() => readVarint(cursor('8080808080'))).toThrow(/longer than 5 bytes/);
  });
});

describe('varlong (zigzag 64-bit)', () => {
  it('encodes like a varint within int32', () => {
    expect(Buffer.from(encodeVarlong(-10)).toString('hex')).toBe('13');
    expect(Buffer.from(encodeVarlong(0x7fffffff)).toString('hex')).toBe('feffffff0f');
  });

  it('encodes beyond 32 bits', () => {
    // 2^32 zigzags to 2^33: 33 bits in five 7-bit groups.
    expect(Buffer.from(encodeVarlong(2 ** 32)).toString('hex')).toBe('8080808020');
    expect(Buffer.from(encodeVarlong(-(2 ** 32) - 1)).toString('hex')).toBe('8180808020');
  });

  it('round-trips every safe integer, including both paths of the encoder', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.constantFrom(2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53) + 1)), (value) => {
        const bytes = encodeVarlong(value);
        const c = { bytes, position: 0, end: bytes.length };
        expect(readVarlong(c)).toBe(value);
        expect(c.position).toBe(bytes.length);
      }),
    );
  });

  it('reads the 10-byte extremes of int64 (rounded to the nearest number)', () => {
    expect(readVarlong(cursor('ffffffffffffffffff01'))).toBe(-(2 ** 63));
    expect(readVarlong(cursor('feffffffffffffffff01'))).toBe(2 ** 63 - 1);
  });

  it('refuses a varlong longer than 10 bytes and a truncated one', () => {
    expect(() => readVarlong(cursor('8080808080808080808080'))).toThrow(/longer than 10 bytes/);
    expect(() => readVarlong(cursor('808080808080808080'))).toThrow(RecordFormatError);
  });

  it('refuses to encode a fraction', () => {
    expect(() => writeVarlong(new Uint8Array(10), 0, 1.5)).toThrow(RangeError);
  });
});
