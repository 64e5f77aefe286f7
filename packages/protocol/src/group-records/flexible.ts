/**
 * Kafka's flexible encodings (KIP-482), as the values of KIP-848's group records use them: compact strings and arrays
 * (unsigned varint length + 1, 0 for null), Uuids as 16 bytes, and a tagged-field trailer after every struct. Reads
 * check every length against the bytes that remain before anything is read or allocated, and refuse a string longer
 * than Kafka's 32,767 bytes, so a hostile length costs nothing; a problem throws `ConsumerProtocolReadError`, which the
 * record decoder turns into `ok: false`.
 */
import { ConsumerProtocolReadError } from '../consumer-protocol/reader.js';
import { ByteReader, ByteWriter } from '../records/byte-cursor.js';
import { readInt32BE } from '../records/bytes.js';
import { readUtf8, utf8Length } from '../records/utf8.js';
import { kafkaUuidBytes, kafkaUuidFromBytes, KAFKA_UUID_BYTES } from './kafka-uuid.js';

/** Kafka's generated readers refuse longer strings, compact or not. */
export const MAX_FLEXIBLE_STRING_BYTES = 0x7fff;

/** A value a group record cannot carry (a string over 32,767 bytes, an id that is not a Kafka UUID): a bug in the caller. */
export class GroupRecordEncodeError extends Error {
  override readonly name = 'GroupRecordEncodeError';
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

/** Writes the flexible encodings over the shared growing writer, refusing values the fields cannot carry. */
export class FlexibleWriter extends ByteWriter {
  int8(value: number, field: string): void {
    if (!Number.isInteger(value) || value < -0x80 || value > 0x7f) throw new GroupRecordEncodeError(`${field} ${value} is not an int8`);
    this.putInt8(value);
  }

  int32(value: number, field: string): void {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) throw new GroupRecordEncodeError(`${field} ${value} is not an int32`);
    this.putInt32(value);
  }

  /** An INT64 that fits a number exactly (timestamps). */
  int64(value: number, field: string): void {
    if (!Number.isSafeInteger(value)) throw new GroupRecordEncodeError(`${field} ${value} is not a safe integer`);
    this.putInt64(value);
  }

  /** An INT64 held as a bigint (hashes use all 64 bits). */
  bigInt64(value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    this.putInt32(Number(unsigned >> 32n) | 0);
    this.putInt32(Number(unsigned & 0xffff_ffffn) | 0);
  }

  /** A COMPACT_STRING, or a COMPACT_NULLABLE_STRING's null. */
  compactString(value: string | null, field: string): void {
    if (value === null) return this.unsignedVarint(0);
    const length = utf8Length(value);
    if (length > MAX_FLEXIBLE_STRING_BYTES) throw new GroupRecordEncodeError(`${field} is ${length} UTF-8 bytes, more than the ${MAX_FLEXIBLE_STRING_BYTES} a string can hold`);
    this.unsignedVarint(length + 1);
    this.putUtf8(value, length);
  }

  compactArrayLength(count: number): void {
    this.unsignedVarint(count + 1);
  }

  /** A Uuid's 16 bytes; `describe` names the id's owner in the error when it is not a Kafka UUID. */
  uuid(id: string, describe: string): void {
    const bytes = kafkaUuidBytes(id);
    if (bytes === undefined) {
      throw new GroupRecordEncodeError(
        `${describe} "${id}" is not a Kafka UUID (22 URL-safe base64 characters of 16 bytes), so KIP-848's records cannot name it; ` +
          'a topic created by an older kactor keeps its old id: recreate the topic to use it with a consumer group',
      );
    }
    this.putBytes(bytes);
  }

  /** The tagged-field trailer: the tags that are set, each written by `write` into its own buffer to learn its size. */
  taggedFields(fields: ReadonlyArray<readonly [tag: number, write: (writer: FlexibleWriter) => void]>): void {
    this.unsignedVarint(fields.length);
    for (const [tag, write] of fields) {
      const inner = new FlexibleWriter();
      write(inner);
      const bytes = inner.finish();
      this.unsignedVarint(tag);
      this.unsignedVarint(bytes.length);
      this.putBytes(bytes);
    }
  }
}

/** Reads the flexible encodings over the shared checked reader; a problem throws `ConsumerProtocolReadError`. */
export class FlexibleReader extends ByteReader {
  constructor(bytes: Uint8Array) {
    super(bytes, (problem) => new ConsumerProtocolReadError(problem));
  }

  bigInt64(field: string): bigint {
    const at = this.need(8, field);
    return BigInt.asIntN(64, (BigInt(readInt32BE(this.bytes, at) >>> 0) << 32n) | BigInt(readInt32BE(this.bytes, at + 4) >>> 0));
  }

  compactNullableString(field: string): string | null {
    const start = this.position;
    const length = this.unsignedVarint(field) - 1;
    if (length < 0) return null;
    if (length > MAX_FLEXIBLE_STRING_BYTES) throw this.invalid(`${field} declares ${length} bytes, more than the ${MAX_FLEXIBLE_STRING_BYTES} a string can hold`, start);
    const at = this.need(length, field);
    return readUtf8(this.bytes, at, at + length);
  }

  compactString(field: string): string {
    const start = this.position;
    const value = this.compactNullableString(field);
    if (value === null) throw this.invalid(`non-nullable field ${field} was serialized as null`, start);
    return value;
  }

  /** A non-nullable compact array's count, refused when the remaining bytes cannot hold that many of `minElementBytes`. */
  compactArrayLength(field: string, minElementBytes: number): number {
    const start = this.position;
    const count = this.unsignedVarint(field) - 1;
    if (count < 0) throw this.invalid(`non-nullable field ${field} was serialized as null`, start);
    if (count > this.remaining / minElementBytes) throw this.invalid(`${field} declares ${count} elements but only ${this.remaining} bytes remain`, start);
    return count;
  }

  compactStringArray(field: string): string[] {
    const count = this.compactArrayLength(field, 1);
    const values: string[] = [];
    for (let index = 0; index < count; index += 1) values.push(this.compactString(field));
    return values;
  }

  int32Array(field: string): number[] {
    const count = this.compactArrayLength(field, 4);
    const values: number[] = [];
    for (let index = 0; index < count; index += 1) values.push(this.int32(field));
    return values;
  }

  uuid(field: string): string {
    const at = this.need(KAFKA_UUID_BYTES, field);
    return kafkaUuidFromBytes(this.bytes.subarray(at, at + KAFKA_UUID_BYTES));
  }

  /**
   * A tagged-field trailer: `read` gets each tag with a reader over exactly its bytes and returns whether it knew the
   * tag; unknown tags are skipped, as Kafka's generated readers do, and a known one must fill its bytes exactly.
   */
  taggedFields(where: string, read: (tag: number, reader: FlexibleReader) => boolean = () => false): void {
    const start = this.position;
    const count = this.unsignedVarint(`${where} tagged field count`);
    // A tag and its size take a byte each at least.
    if (count > this.remaining / 2) throw this.invalid(`${where} declares ${count} tagged fields but only ${this.remaining} bytes remain`, start);
    for (let index = 0; index < count; index += 1) {
      const tag = this.unsignedVarint(`${where} tag`);
      const size = this.unsignedVarint(`${where} tag ${tag} size`);
      const at = this.need(size, `${where} tag ${tag}`);
      const inner = new FlexibleReader(this.bytes.subarray(at, at + size));
      if (read(tag, inner) && inner.remaining !== 0) throw this.invalid(`${where} tag ${tag} has ${inner.remaining} bytes left over`, at);
    }
  }
}
