/**
 * Kafka's record-level variable-length integers (`ByteUtils.java`): zigzag-encoded, then unsigned
 * LEB128 (7 bits per byte, low group first, high bit = more bytes follow).
 * - varint: 32-bit, at most 5 bytes; zigzag `(n << 1) ^ (n >> 31)`.
 * - varlong: 64-bit, at most 10 bytes; zigzag `(n << 1) ^ (n >> 63)`.
 *
 * Varlongs are JavaScript numbers. Values within ±2^52 (every timestamp delta and offset we use) take
 * a number-only path; larger ones go through BigInt and are exact up to ±2^53, rounded beyond.
 */
import { RecordFormatError } from './record-errors.js';

/** A read position within `bytes[position, end)`; readers advance `position`. */
export interface ByteCursor {
  readonly bytes: Uint8Array;
  position: number;
  readonly end: number;
}

const MAX_VARINT_BYTES = 5;
const MAX_VARLONG_BYTES = 10;
/** Bytes a varlong may take before its value can leave the range where a number is exact. */
const NUMBER_SAFE_VARLONG_BYTES = 7;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const NUMBER_PATH_LIMIT = 2 ** 52;

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

export function sizeOfVarint(value: number): number {
  let unsigned = zigzag32(value);
  let size = 1;
  while (unsigned > 0x7f) {
    unsigned >>>= 7;
    size++;
  }
  return size;
}

/** Writes a 32-bit varint at `position` and returns the position after it. */
export function writeVarint(bytes: Uint8Array, position: number, value: number): number {
  let unsigned = zigzag32(value);
  let p = position;
  while (unsigned > 0x7f) {
    bytes[p++] = (unsigned & 0x7f) | 0x80;
    unsigned >>>= 7;
  }
  bytes[p++] = unsigned;
  return p;
}

function assertInteger(value: number): void {
  if (!Number.isInteger(value)) throw new RangeError(`varlong value ${value} is not an integer`);
}

function zigzag64Big(value: number): bigint {
  const big = BigInt.asIntN(64, BigInt(value));
  return BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
}

export function sizeOfVarlong(value: number): number {
  if (value >= INT32_MIN && value <= INT32_MAX && Number.isInteger(value)) return sizeOfVarint(value);
  assertInteger(value);
  if (Math.abs(value) <= NUMBER_PATH_LIMIT) {
    let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
    let size = 1;
    while (unsigned > 0x7f) {
      unsigned = Math.floor(unsigned / 128);
      size++;
    }
    return size;
  }
  let unsigned = zigzag64Big(value);
  let size = 1;
  while (unsigned > 0x7fn) {
    unsigned >>= 7n;
    size++;
  }
  return size;
}

/** Writes a 64-bit varlong at `position` and returns the position after it. */
export function writeVarlong(bytes: Uint8Array, position: number, value: number): number {
  // For 32-bit values the 64-bit zigzag equals the 32-bit one, so the fast path applies.
  if (value >= INT32_MIN && value <= INT32_MAX && Number.isInteger(value)) return writeVarint(bytes, position, value);
  assertInteger(value);
  let p = position;
  if (Math.abs(value) <= NUMBER_PATH_LIMIT) {
    let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
    while (unsigned > 0x7f) {
      bytes[p++] = (unsigned % 128) | 0x80;
      unsigned = Math.floor(unsigned / 128);
    }
    bytes[p++] = unsigned;
    return p;
  }
  let unsigned = zigzag64Big(value);
  while (unsigned > 0x7fn) {
    bytes[p++] = Number(unsigned & 0x7fn) | 0x80;
    unsigned >>= 7n;
  }
  bytes[p++] = Number(unsigned);
  return p;
}

function truncated(): RecordFormatError {
  return new RecordFormatError('INVALID_RECORD', 'a varint runs past the end of its record');
}

/** Reads a 32-bit varint; throws `RecordFormatError` when truncated or longer than 5 bytes. */
export function readVarint(cursor: ByteCursor): number {
  const { bytes, end } = cursor;
  let p = cursor.position;
  let unsigned = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (p >= end) throw truncated();
    const byte = bytes[p++]!;
    unsigned |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) {
      cursor.position = p;
      return (unsigned >>> 1) ^ -(unsigned & 1);
    }
  }
  throw new RecordFormatError('INVALID_RECORD', 'a varint is longer than 5 bytes');
}

/** Reads a 64-bit varlong; throws `RecordFormatError` when truncated or longer than 10 bytes. */
export function readVarlong(cursor: ByteCursor): number {
  const { bytes, end } = cursor;
  const start = cursor.position;
  let p = start;
  let unsigned = 0;
  let multiplier = 1;
  for (let i = 0; i < NUMBER_SAFE_VARLONG_BYTES; i++) {
    if (p >= end) throw truncated();
    const byte = bytes[p++]!;
    unsigned += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) {
      cursor.position = p;
      return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
    }
    multiplier *= 128;
  }
  return readLongVarlong(cursor, start);
}

function readLongVarlong(cursor: ByteCursor, start: number): number {
  const { bytes, end } = cursor;
  let p = start;
  let unsigned = 0n;
  for (let i = 0; i < MAX_VARLONG_BYTES; i++) {
    if (p >= end) throw truncated();
    const byte = bytes[p++]!;
    unsigned |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      cursor.position = p;
      const signed = BigInt.asIntN(64, (unsigned >> 1n) ^ -(unsigned & 1n));
      return Number(signed);
    }
  }
  throw new RecordFormatError('INVALID_RECORD', 'a varlong is longer than 10 bytes');
}
