import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, type ByteReadProblem } from './byte-cursor.js';

class Problem extends Error {
  constructor(readonly problem: ByteReadProblem) {
    super(problem.message);
  }
}

const readerOf = (bytes: Uint8Array) => new ByteReader(bytes, (problem) => new Problem(problem));

describe('ByteWriter and ByteReader', () => {
  it('round-trip big-endian integers and unsigned varints', () => {
    const writer = new ByteWriter();
    writer.int16(-2);
    writer.unsignedVarint(300);
    const bytes = writer.finish();
    expect([...bytes]).toEqual([0xff, 0xfe, 0xac, 0x02]);
    const reader = readerOf(bytes);
    expect(reader.int16('a')).toBe(-2);
    expect(reader.unsignedVarint('b')).toBe(300);
    expect(reader.remaining).toBe(0);
  });

  it('reports a read past the end and a malformed varint through the codec error, with where it starts', () => {
    expect(() => readerOf(new Uint8Array([1])).int32('count')).toThrow(expect.objectContaining({ problem: { kind: 'TRUNCATED', message: 'count needs 4 bytes but 1 remain', position: 0 } }));
    expect(() => readerOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f])).unsignedVarint('size')).toThrow(
      expect.objectContaining({ problem: { kind: 'INVALID_FIELD', message: 'size is a malformed unsigned varint', position: 0 } }),
    );
  });
});
