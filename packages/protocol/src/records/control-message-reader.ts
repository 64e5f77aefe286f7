/**
 * Reads the values of control records (Kafka's generated `*Record.json` / `*Message.json` data messages).
 * The flexible ones end every struct with tagged fields and use unsigned varints (no zigzag) for compact
 * lengths and tags. We know no tagged fields, so all are skipped, as Kafka's generated readers skip unknown
 * ones. Every count and size is checked against the bytes that remain before anything is read or allocated;
 * problems throw `ControlRecordError` (INVALID_RECORD) naming the message and the field.
 */
import { readInt16BE, readInt32BE, readInt64BE } from './bytes.js';
import { ControlRecordError } from './control-records.js';

/** Tag and size, one byte each: the smallest a tagged field can be. */
const MIN_TAGGED_FIELD_BYTES = 2;
const MAX_UVARINT_BYTES = 5;

export class ControlMessageReader {
  private position = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Kafka's name for the message, for error messages. */
    private readonly messageName: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  fail(problem: string): ControlRecordError {
    return new ControlRecordError(`${this.messageName} ${problem}`);
  }

  need(count: number, what: string): void {
    if (count > this.remaining) throw this.fail(`is cut off in its ${what}: ${count} bytes needed, ${this.remaining} left`);
  }

  int16(what: string): number {
    this.need(2, what);
    const value = readInt16BE(this.bytes, this.position);
    this.position += 2;
    return value;
  }

  int32(what: string): number {
    this.need(4, what);
    const value = readInt32BE(this.bytes, this.position);
    this.position += 4;
    return value;
  }

  int64(what: string): number {
    this.need(8, what);
    const value = readInt64BE(this.bytes, this.position);
    this.position += 8;
    return value;
  }

  unsignedVarint(what: string): number {
    let value = 0;
    for (let i = 0; i < MAX_UVARINT_BYTES; i++) {
      this.need(1, what);
      const byte = this.bytes[this.position++]!;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffff_ffff) break;
        return value;
      }
    }
    throw this.fail(`has a malformed unsigned varint in its ${what}`);
  }

  /**
   * A non-nullable compact array's element count (uvarint N + 1), checked against the bytes that remain
   * given the smallest size an element can take.
   */
  compactArrayLength(field: string, minElementBytes: number): number {
    const lengthPlusOne = this.unsignedVarint(`${field} length`);
    if (lengthPlusOne === 0) throw this.fail(`${field} is null but the field is not nullable`);
    const count = lengthPlusOne - 1;
    if (count > this.remaining / minElementBytes) {
      throw this.fail(`declares ${count} ${field} but only ${this.remaining} bytes remain`);
    }
    return count;
  }

  skipTaggedFields(where: string): void {
    const count = this.unsignedVarint(`${where} tagged field count`);
    if (count > this.remaining / MIN_TAGGED_FIELD_BYTES) {
      throw this.fail(`declares ${count} tagged fields in ${where} but only ${this.remaining} bytes remain`);
    }
    for (let i = 0; i < count; i++) {
      this.unsignedVarint(`${where} tag`);
      const size = this.unsignedVarint(`${where} tagged field size`);
      this.need(size, `${where} tagged field`);
      this.position += size;
    }
  }

  /** The message must end exactly here. */
  finish(): void {
    if (this.remaining !== 0) throw this.fail(`has ${this.remaining} bytes after its last field`);
  }
}
