/**
 * UTF-8 for record header keys, written straight into the batch buffer so that encoding needs no
 * intermediate allocation. Lone surrogates become U+FFFD (3 bytes), as TextEncoder and Java's
 * `String.getBytes(UTF_8)` do.
 */

/** Bytes `value` takes in UTF-8. */
export function utf8Length(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Writes `value` as UTF-8 at `position` and returns the position after it. */
export function writeUtf8(bytes: Uint8Array, position: number, value: string): number {
  let p = position;
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code < 0x80) {
      bytes[p++] = code;
      continue;
    }
    if (code < 0x800) {
      bytes[p++] = 0xc0 | (code >> 6);
      bytes[p++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      code = 0x10000 + ((code - 0xd800) << 10) + (value.charCodeAt(i + 1) - 0xdc00);
      i++;
      bytes[p++] = 0xf0 | (code >> 18);
      bytes[p++] = 0x80 | ((code >> 12) & 0x3f);
      bytes[p++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[p++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    bytes[p++] = 0xe0 | (code >> 12);
    bytes[p++] = 0x80 | ((code >> 6) & 0x3f);
    bytes[p++] = 0x80 | (code & 0x3f);
  }
  return p;
}

const decoder = new TextDecoder('utf-8');

/** Decodes UTF-8, replacing malformed sequences with U+FFFD (as Java's `new String(bytes, UTF_8)`). */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}
