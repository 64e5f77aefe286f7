/**
 * Big-endian integer access on plain `Uint8Array`s (Kafka's wire order), without allocating a DataView
 * per call. 64-bit fields are JavaScript numbers: exact while |value| < 2^53, which covers offsets,
 * timestamps and producer ids in practice. Callers check bounds; these helpers do not.
 *
 * `noUncheckedIndexedAccess` types `bytes[i]` as possibly undefined; the `!` below is safe because
 * every caller has checked the range first, and it keeps the hot paths free of extra branches.
 */

const TWO_POW_32 = 0x1_0000_0000;

export function readInt8(bytes: Uint8Array, position: number): number {
  return (bytes[position]! << 24) >> 24;
}

export function readInt16BE(bytes: Uint8Array, position: number): number {
  return ((bytes[position]! << 24) | (bytes[position + 1]! << 16)) >> 16;
}

export function readInt32BE(bytes: Uint8Array, position: number): number {
  return (
    (bytes[position]! << 24) | (bytes[position + 1]! << 16) | (bytes[position + 2]! << 8) | bytes[position + 3]!
  );
}

export function readUInt32BE(bytes: Uint8Array, position: number): number {
  return readInt32BE(bytes, position) >>> 0;
}

/** Reads an i64 as a number: the high word signed, the low word unsigned, so -1 reads as -1. */
export function readInt64BE(bytes: Uint8Array, position: number): number {
  return readInt32BE(bytes, position) * TWO_POW_32 + readUInt32BE(bytes, position + 4);
}

export function writeInt8(bytes: Uint8Array, position: number, value: number): void {
  bytes[position] = value & 0xff;
}

export function writeInt16BE(bytes: Uint8Array, position: number, value: number): void {
  bytes[position] = (value >>> 8) & 0xff;
  bytes[position + 1] = value & 0xff;
}

export function writeInt32BE(bytes: Uint8Array, position: number, value: number): void {
  bytes[position] = (value >>> 24) & 0xff;
  bytes[position + 1] = (value >>> 16) & 0xff;
  bytes[position + 2] = (value >>> 8) & 0xff;
  bytes[position + 3] = value & 0xff;
}

/** Writes a safe integer as an i64 (two's complement for negatives). */
export function writeInt64BE(bytes: Uint8Array, position: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  const low = value - high * TWO_POW_32;
  writeInt32BE(bytes, position, high | 0);
  writeInt32BE(bytes, position + 4, low >>> 0);
}
