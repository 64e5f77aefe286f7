/**
 * A bounds-checked big-endian reader for decoding. Every read that would pass the end, and every length
 * that cannot fit in what is left, raises `MalformedInput`, which the decoder's public functions turn into
 * Kafka's error data: nothing thrown here escapes the package's API.
 */
export class MalformedInput extends Error {
  override name = 'MalformedInput';
}

// Kafka reads strings with Java's UTF-8 decoder, which replaces malformed sequences rather than failing.
const textDecoder = new TextDecoder('utf-8');

/** Unsigned varints longer than this cannot hold a 32-bit value (Kafka's `ByteUtils.readUnsignedVarint`). */
const UNSIGNED_VARINT_MAX_BYTES = 5;

export class ByteReader {
  private readonly view: DataView;
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private advance(byteCount: number, what: string): number {
    if (byteCount > this.end - this.offset) {
      throw new MalformedInput(`${what} needs ${byteCount} bytes at offset ${this.offset}, but only ${this.end - this.offset} remain`);
    }
    const start = this.offset;
    this.offset += byteCount;
    return start;
  }

  int8(): number {
    return this.view.getInt8(this.advance(1, 'an int8'));
  }

  int16(): number {
    return this.view.getInt16(this.advance(2, 'an int16'));
  }

  uint16(): number {
    return this.view.getUint16(this.advance(2, 'a uint16'));
  }

  int32(): number {
    return this.view.getInt32(this.advance(4, 'an int32'));
  }

  uint32(): number {
    return this.view.getUint32(this.advance(4, 'a uint32'));
  }

  int64(): bigint {
    return this.view.getBigInt64(this.advance(8, 'an int64'));
  }

  float64(): number {
    return this.view.getFloat64(this.advance(8, 'a float64'));
  }

  unsignedVarint(): number {
    let value = 0;
    for (let index = 0; index < UNSIGNED_VARINT_MAX_BYTES; index += 1) {
      const byte = this.bytes[this.advance(1, 'an unsigned varint')]!;
      value |= (byte & 0x7f) << (7 * index);
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new MalformedInput(`an unsigned varint at offset ${this.offset} runs past ${UNSIGNED_VARINT_MAX_BYTES} bytes`);
  }

  /** A copy, so that decoded values never alias the (possibly reused) input buffer. */
  raw(byteCount: number, what: string): Uint8Array {
    const start = this.advance(byteCount, what);
    return this.bytes.slice(start, start + byteCount);
  }

  utf8(byteCount: number, what: string): string {
    const start = this.advance(byteCount, what);
    return textDecoder.decode(this.bytes.subarray(start, start + byteCount));
  }
}
