import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c, updateCrc32c } from './crc32c.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('crc32c', () => {
  it('gives the CRC-32C check value for "123456789"', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  // RFC 3720 (iSCSI) appendix B.4 test vectors, which use the same CRC-32C.
  it('matches the RFC 3720 vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('covers only the requested range', () => {
    const framed = ascii('xx123456789yy');
    expect(crc32c(framed, 2, 11)).toBe(0xe3069283);
  });

  it('gives the same result fed in pieces as fed whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cutSeed) => {
        const cut = bytes.length === 0 ? 0 : cutSeed % bytes.length;
        const pieces = updateCrc32c(updateCrc32c(0, bytes, 0, cut), bytes, cut, bytes.length);
        expect(pieces).toBe(crc32c(bytes));
      }),
    );
  });

  const reference = (bytes: Uint8Array) => {
    let crc = 0xffffffff;
    for (const byte of bytes) {
      crc ^= byte;
      for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
    }
    return (crc ^ 0xffffffff) >>> 0;
  };

  it('agrees with the bit-by-bit definition on every length around the 8-byte stride', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(crc32c(bytes)).toBe(reference(bytes));
      }),
    );
  });

  // The word loop reads 4-byte-aligned words of the underlying buffer: views and ranges at every
  // alignment, and lengths around the 16-byte stride, must give the bit-by-bit result.
  it('agrees with the bit-by-bit definition for views and ranges at any alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(7), fc.nat(7), fc.nat(7), (bytes, viewShift, startCut, endCut) => {
        const buffer = new Uint8Array(bytes.length + 8);
        buffer.set(bytes, viewShift);
        const view = buffer.subarray(viewShift, viewShift + bytes.length);
        const start = Math.min(startCut, bytes.length);
        const end = Math.max(start, bytes.length - endCut);
        expect(crc32c(view, start, end)).toBe(reference(bytes.subarray(start, end)));
        expect(crc32c(view)).toBe(reference(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
