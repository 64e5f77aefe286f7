/**
 * Writes Kafka's classic (non-flexible) encodings into one buffer sized up front: callers add up the
 * sizes with the `sizeOf*` helpers, allocate once, then write in order. Values the format cannot carry
 * throw `ConsumerProtocolEncodeError`.
 */
import { writeInt16BE, writeInt32BE, writeInt64BE } from '../records/bytes.js';
import { utf8Length, writeUtf8 } from '../records/utf8.js';
import { ConsumerProtocolEncodeError, type ConsumerProtocolTopicPartitions } from './types.js';

/** Kafka's STRING length prefix is an INT16: longer strings cannot be written. */
export const MAX_STRING_BYTES = 0x7fff;

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

export function checkInt32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new ConsumerProtocolEncodeError(`${field} ${value} is not an int32`);
  }
  return value;
}

/** Bytes a STRING / NULLABLE_STRING takes, checking it fits the INT16 length. */
export function sizeOfString(value: string | null, field: string): number {
  if (value === null) return 2;
  const length = utf8Length(value);
  if (length > MAX_STRING_BYTES) {
    throw new ConsumerProtocolEncodeError(`${field} is ${length} UTF-8 bytes, more than the ${MAX_STRING_BYTES} a string can hold`);
  }
  return 2 + length;
}

export function sizeOfBytes(value: Uint8Array | null): number {
  return 4 + (value === null ? 0 : value.length);
}

export function sizeOfTopicPartitionsArray(entries: readonly ConsumerProtocolTopicPartitions[], field: string): number {
  let size = 4;
  for (const entry of entries) {
    size += sizeOfString(entry.topic, `${field} topic`) + 4 + 4 * entry.partitions.length;
    for (const partition of entry.partitions) checkInt32(partition, `${field} partition`);
  }
  return size;
}

export class ClassicWriter {
  readonly bytes: Uint8Array;
  position = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  int16(value: number): void {
    writeInt16BE(this.bytes, this.position, value);
    this.position += 2;
  }

  int32(value: number): void {
    writeInt32BE(this.bytes, this.position, value);
    this.position += 4;
  }

  /** An INT64 (exact while |value| < 2^53: offsets and timestamps). */
  int64(value: number): void {
    writeInt64BE(this.bytes, this.position, value);
    this.position += 8;
  }

  /** A STRING or NULLABLE_STRING (null as length -1); the length was checked while sizing. */
  string(value: string | null): void {
    if (value === null) return this.int16(-1);
    const start = this.position;
    const end = writeUtf8(this.bytes, start + 2, value);
    writeInt16BE(this.bytes, start, end - start - 2);
    this.position = end;
  }

  nullableBytes(value: Uint8Array | null): void {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    this.bytes.set(value, this.position);
    this.position += value.length;
  }

  stringArray(values: readonly string[]): void {
    this.int32(values.length);
    for (const value of values) this.string(value);
  }

  topicPartitionsArray(entries: readonly ConsumerProtocolTopicPartitions[]): void {
    this.int32(entries.length);
    for (const entry of entries) {
      this.string(entry.topic);
      this.int32(entry.partitions.length);
      for (const partition of entry.partitions) this.int32(partition);
    }
  }

  /** The written bytes; the sizing must have matched the writes exactly. */
  finish(): Uint8Array {
    if (this.position !== this.bytes.length) {
      throw new Error(`consumer protocol writer sized ${this.bytes.length} bytes but wrote ${this.position}`);
    }
    return this.bytes;
  }
}

/**
 * Kafka's encoders write at most their highest version: a newer requested version is written as the
 * latest (`ConsumerProtocol.checkSubscriptionVersion`), a negative one is refused.
 */
export function encodableVersion(version: number, latest: number, schema: string): number {
  if (!Number.isInteger(version) || version < 0 || version > 0x7fff) {
    throw new ConsumerProtocolEncodeError(`unsupported ${schema} version ${version}`);
  }
  return Math.min(version, latest);
}
