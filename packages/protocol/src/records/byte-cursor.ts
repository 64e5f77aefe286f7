/**
 * The growing writer and the checked reader that the coordinator record codecs share (group records' flexible values,
 * group-records/flexible.ts, and `__transaction_state`, transaction-records/codec.ts): big-endian integers and Kafka's
 * unsigned varints. Each codec adds its own strings, arrays and tagged fields on top, and its own error: a reader is
 * given how to report a problem, so a malformed record becomes that codec's `ok: false`.
 */
import { readInt16BE, readInt32BE, readInt64BE, writeInt16BE, writeInt32BE, writeInt64BE } from './bytes.js';
import { writeUtf8 } from './utf8.js';

/** Appends to a growing buffer: the records are small, so simplicity beats sizing up front. */
export class ByteWriter {
  private bytes = new Uint8Array(64);
  private position = 0;

  /** Makes room for `count` bytes and returns where they start; call it before reading `this.bytes`, which it may replace. */
  private reserve(count: number): number {
    if (this.position + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.position + count));
      grown.set(this.bytes.subarray(0, this.position));
      this.bytes = grown;
    }
    const at = this.position;
    this.position += count;
    return at;
  }

  protected putInt8(value: number): void {
    const at = this.reserve(1);
    this.bytes[at] = value & 0xff;
  }

  int16(value: number): void {
    const at = this.reserve(2);
    writeInt16BE(this.bytes, at, value);
  }

  protected putInt32(value: number): void {
    const at = this.reserve(4);
    writeInt32BE(this.bytes, at, value);
  }

  protected putInt64(value: number): void {
    const at = this.reserve(8);
    writeInt64BE(this.bytes, at, value);
  }

  unsignedVarint(value: number): void {
    let rest = value >>> 0;
    while (rest > 0x7f) {
      this.putInt8((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.putInt8(rest);
  }

  protected putBytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.bytes.set(bytes, at);
  }

  /** `value`'s UTF-8 bytes, whose count the caller measured (and wrote as the length) already. */
  protected putUtf8(value: string, length: number): void {
    const at = this.reserve(length);
    writeUtf8(this.bytes, at, value);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.position);
  }
}

/** What went wrong at `position`: bytes ran out, or a field's value cannot be. */
export interface ByteReadProblem {
  kind: 'TRUNCATED' | 'INVALID_FIELD';
  message: string;
  position: number;
}

/** A position in `bytes`; each read advances it or throws the error `fail` makes, and every length is checked against what remains first. */
export class ByteReader {
  protected position = 0;
  constructor(
    protected readonly bytes: Uint8Array,
    private readonly fail: (problem: ByteReadProblem) => Error,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  /** Takes `count` bytes and returns where they start. */
  protected need(count: number, field: string): number {
    if (count > this.remaining) throw this.fail({ kind: 'TRUNCATED', message: `${field} needs ${count} bytes but ${this.remaining} remain`, position: this.position });
    const at = this.position;
    this.position += count;
    return at;
  }

  protected invalid(message: string, position: number): Error {
    return this.fail({ kind: 'INVALID_FIELD', message, position });
  }

  int8(field: string): number {
    const byte = this.bytes[this.need(1, field)]!;
    return byte > 0x7f ? byte - 0x100 : byte;
  }

  int16(field: string): number {
    return readInt16BE(this.bytes, this.need(2, field));
  }

  int32(field: string): number {
    return readInt32BE(this.bytes, this.need(4, field));
  }

  /** An INT64 as a number (timestamps, producer ids: exact below 2^53). */
  int64(field: string): number {
    return readInt64BE(this.bytes, this.need(8, field));
  }

  unsignedVarint(field: string): number {
    const start = this.position;
    let value = 0;
    for (let index = 0; index < 5; index += 1) {
      const byte = this.bytes[this.need(1, field)]!;
      value += (byte & 0x7f) * 2 ** (7 * index);
      if ((byte & 0x80) === 0) {
        if (value > 0xffff_ffff) break;
        return value;
      }
    }
    throw this.invalid(`${field} is a malformed unsigned varint`, start);
  }

  skip(count: number, field: string): void {
    this.need(count, field);
  }
}
