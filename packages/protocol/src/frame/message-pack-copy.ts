/**
 * What a MessagePack round trip through this package's codec would give, without the bytes: a fresh copy of a
 * frame body, equal to what `decode(encode(body))` returns, and the exact length of the encoded body. The
 * in-memory transport carries frames inside one process; the receiver must still get a value of its own (as
 * decoding gives it: nothing the sender holds), and every size limit must see the length the bytes would have.
 *
 * It models the codec's MessagePack exactly as configured in codec.ts (msgpackr, no records, `undefined`
 * properties skipped, no extension types), and only for the values bodies are made of: plain objects, arrays,
 * strings, numbers, booleans, null and byte arrays. Anything else (a class instance, a Map, a BigInt, a string
 * with a lone surrogate, `undefined` outside an object, a `__proto__` key) is not copied: the caller encodes
 * the frame instead, so nothing changes for such bodies. message-pack-copy.test.ts holds it to msgpackr.
 */

/** A copy of a body as decoding its encoding would return it, and the length of that encoding. */
export interface MessagePackCopy {
  readonly value: unknown;
  readonly byteLength: number;
}

/** A value this module does not model; the caller takes the byte path. */
class NotModelled extends Error {}

/** Bytes counted so far by the walk in progress (a walk runs no code of anyone else's, so one counter will do). */
let counted = 0;

/** The copy and encoded length of `value`, or undefined when only encoding it says what a peer would get. */
export function messagePackCopy(value: unknown): MessagePackCopy | undefined {
  const outer = counted;
  counted = 0;
  try {
    const copied = copyValue(value);
    return { value: copied, byteLength: counted };
  } catch (error) {
    if (error instanceof NotModelled) return undefined;
    throw error;
  } finally {
    counted = outer;
  }
}

function copyValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      counted += stringBytes(value);
      return value;
    case 'number':
      counted += numberBytes(value);
      // -0 is written as the integer 0, so the peer reads 0.
      return value === 0 ? 0 : value;
    case 'boolean':
      counted += 1;
      return value;
    case 'object':
      if (value === null) {
        counted += 1;
        return null;
      }
      return copyObject(value);
    default:
      throw new NotModelled();
  }
}

function copyObject(value: object): unknown {
  const constructor = value.constructor;
  if (constructor === Object && Object.getPrototypeOf(value) === Object.prototype) return copyRecord(value as Record<string, unknown>);
  if (constructor === Array) return copyArray(value as unknown[]);
  if (constructor === Uint8Array || constructor === Buffer) return copyBytes(value as Uint8Array);
  throw new NotModelled();
}

/** A map of the keys whose value is not undefined (the codec skips those), in the object's own key order. */
function copyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(record);
  const copy: Record<string, unknown> = {};
  let entries = 0;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    const field = record[key];
    if (field === undefined) continue;
    // Decoding renames this key rather than set a prototype: the byte path says what the peer gets.
    if (key === '__proto__') throw new NotModelled();
    counted += stringBytes(key);
    copy[key] = copyValue(field);
    entries += 1;
  }
  counted += entries < 0x10 ? 1 : entries < 0x10000 ? 3 : 5;
  return copy;
}

function copyArray(array: readonly unknown[]): unknown[] {
  const length = array.length;
  counted += length < 0x10 ? 1 : length < 0x10000 ? 3 : 5;
  const copy = new Array<unknown>(length);
  for (let index = 0; index < length; index += 1) {
    const item = array[index];
    if (item === undefined) throw new NotModelled();
    copy[index] = copyValue(item);
  }
  return copy;
}

/** A byte array of the receiver's own, as a Buffer: what decoding a frame held in a Buffer gives. */
function copyBytes(bytes: Uint8Array): Uint8Array {
  const length = bytes.byteLength;
  counted += length + (length < 0x100 ? 2 : length < 0x10000 ? 3 : 5);
  const copy = Buffer.allocUnsafe(length);
  copy.set(bytes);
  return copy;
}

function numberBytes(value: number): number {
  if (value >>> 0 === value) return value < 0x80 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : 5;
  if (value >> 0 === value) return value >= -0x20 ? 1 : value >= -0x80 ? 2 : value >= -0x8000 ? 3 : 5;
  return 9; // a float64: every other number, so it comes back exactly
}

/** UTF-8 length plus the string header; a lone surrogate (which UTF-8 cannot carry as it is) is not modelled. */
function stringBytes(text: string): number {
  const length = text.length;
  let bytes = length;
  for (let index = 0; index < length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if ((unit & 0xf800) !== 0xd800) {
      bytes += 2;
    } else if ((unit & 0xfc00) === 0xd800 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: two units, four bytes
      index += 1;
    } else {
      throw new NotModelled();
    }
  }
  return bytes + (bytes < 0x20 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5);
}
