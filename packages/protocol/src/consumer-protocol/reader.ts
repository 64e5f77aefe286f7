/**
 * Reads Kafka's classic (non-flexible) encodings: INT16-length strings, INT32-length arrays and bytes,
 * all big-endian. Every length is checked against the bytes that remain before anything is read or
 * allocated, so a hostile length costs nothing (KAFKA-14063); a problem throws `ConsumerProtocolReadError`,
 * which the public decoders turn into a `ConsumerProtocolProblem` (it never escapes them).
 */
import { readInt16BE, readInt32BE, readInt64BE } from '../records/bytes.js';
import { readUtf8 } from '../records/utf8.js';
import type { ConsumerProtocolProblem, ConsumerProtocolTopicPartitions } from './types.js';

export class ConsumerProtocolReadError extends Error {
  override readonly name = 'ConsumerProtocolReadError';
  constructor(readonly problem: ConsumerProtocolProblem) {
    super(problem.message);
  }
}

/** A position in `bytes`; each read advances it or throws. */
export class ClassicReader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private require(count: number, field: string): void {
    if (count > this.bytes.length - this.position) {
      throw new ConsumerProtocolReadError({
        kind: 'TRUNCATED',
        message: `${field} needs ${count} bytes but ${this.bytes.length - this.position} remain`,
        position: this.position,
      });
    }
  }

  private invalid(message: string, position: number): ConsumerProtocolReadError {
    return new ConsumerProtocolReadError({ kind: 'INVALID_FIELD', message, position });
  }

  /** True when every byte has been read. */
  atEnd(): boolean {
    return this.position >= this.bytes.length;
  }

  int16(field: string): number {
    this.require(2, field);
    const value = readInt16BE(this.bytes, this.position);
    this.position += 2;
    return value;
  }

  int32(field: string): number {
    this.require(4, field);
    const value = readInt32BE(this.bytes, this.position);
    this.position += 4;
    return value;
  }

  /** An INT64, as a number (exact while |value| < 2^53: offsets and timestamps). */
  int64(field: string): number {
    this.require(8, field);
    const value = readInt64BE(this.bytes, this.position);
    this.position += 8;
    return value;
  }

  /** A non-nullable STRING. */
  string(field: string): string {
    const start = this.position;
    const value = this.nullableString(field);
    if (value === null) throw this.invalid(`non-nullable field ${field} was serialized as null`, start);
    return value;
  }

  /** A NULLABLE_STRING: any negative length reads as null, as Kafka's generated readers do. */
  nullableString(field: string): string | null {
    const length = this.int16(field);
    if (length < 0) return null;
    this.require(length, field);
    const value = readUtf8(this.bytes, this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** NULLABLE_BYTES, copied out so the result does not keep the whole frame alive. */
  nullableBytes(field: string): Uint8Array | null {
    const length = this.int32(field);
    if (length < 0) return null;
    this.require(length, field);
    const value = this.bytes.slice(this.position, this.position + length);
    this.position += length;
    return value;
  }

  /**
   * The INT32 length of a non-nullable array whose elements take at least `minElementBytes` each.
   * A count the remaining bytes cannot hold is refused before anything is allocated.
   */
  arrayLength(field: string, minElementBytes: number): number {
    const start = this.position;
    const count = this.int32(field);
    if (count < 0) throw this.invalid(`non-nullable field ${field} was serialized as null`, start);
    const remaining = this.bytes.length - this.position;
    if (count > remaining / minElementBytes) {
      throw this.invalid(`${field} declares ${count} elements but only ${remaining} bytes remain`, start);
    }
    return count;
  }

  /** `[STRING]`. */
  stringArray(field: string): string[] {
    const count = this.arrayLength(field, 2);
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(this.string(field));
    return values;
  }

  /** `[topic STRING, partitions [INT32]]`, the shape of owned and assigned partitions. */
  topicPartitionsArray(field: string): ConsumerProtocolTopicPartitions[] {
    // Each entry holds at least a 2-byte topic length and a 4-byte array length.
    const count = this.arrayLength(field, 6);
    const entries: ConsumerProtocolTopicPartitions[] = [];
    for (let i = 0; i < count; i++) {
      const topic = this.string(`${field}.topic`);
      const partitionCount = this.arrayLength(`${field}.partitions`, 4);
      const partitions: number[] = new Array<number>(partitionCount);
      for (let p = 0; p < partitionCount; p++) partitions[p] = this.int32(`${field}.partitions`);
      entries.push({ topic, partitions });
    }
    return entries;
  }
}

/** Runs a parser and turns a read error into the decoders' result shape. */
export function decodeWith<T>(
  parse: () => { version: number; value: T },
): { ok: true; version: number; value: T } | { ok: false; problem: ConsumerProtocolProblem } {
  try {
    const { version, value } = parse();
    return { ok: true, version, value };
  } catch (cause) {
    if (cause instanceof ConsumerProtocolReadError) return { ok: false, problem: cause.problem };
    throw cause;
  }
}

/** The version header: negative versions are refused, as Kafka's `checkSubscriptionVersion` does. */
export function readVersion(reader: ClassicReader, schema: string): number {
  const version = reader.int16(`${schema} version`);
  if (version < 0) {
    throw new ConsumerProtocolReadError({
      kind: 'UNSUPPORTED_VERSION',
      message: `unsupported ${schema} version ${version}`,
      position: 0,
    });
  }
  return version;
}
