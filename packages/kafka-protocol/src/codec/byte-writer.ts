/**
 * A growable big-endian buffer for encoding. It doubles when full, so a message is written in one pass
 * (tagged fields, which need their size first, are written into a second writer and copied).
 */
const INITIAL_CAPACITY_BYTES = 256;

const textEncoder = new TextEncoder();

export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(capacityBytes = INITIAL_CAPACITY_BYTES) {
    this.buffer = new Uint8Array(capacityBytes);
    this.view = new DataView(this.buffer.buffer);
  }

  get size(): number {
    return this.length;
  }

  /** The bytes written so far (a view: copy it before writing more if it must outlive this writer). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Makes room and returns where to write. Call it before reading `buffer` or `view`: it may replace them. */
  private reserve(extraBytes: number): number {
    const start = this.length;
    const needed = start + extraBytes;
    if (needed > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buffer.subarray(0, start));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return start;
  }

  int8(value: number): void {
    const at = this.reserve(1);
    this.view.setInt8(at, value);
  }

  int16(value: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, value);
  }

  uint16(value: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, value);
  }

  int32(value: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, value);
  }

  uint32(value: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, value);
  }

  int64(value: bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, value);
  }

  float64(value: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, value);
  }

  /** Unsigned LEB128 of a 32-bit value, as flexible versions write lengths and tags (no zigzag). */
  unsignedVarint(value: number): void {
    let rest = value >>> 0;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buffer[at] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    const last = this.reserve(1);
    this.buffer[last] = rest;
  }

  /** Overwrites four bytes already written (a frame's size prefix, known only at the end). */
  int32At(offset: number, value: number): void {
    this.view.setInt32(offset, value);
  }

  raw(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }
}

export function utf8Bytes(text: string): Uint8Array {
  return textEncoder.encode(text);
}
