/**
 * CRC-32C (Castagnoli), the checksum of Kafka's RecordBatch v2 (KIP-98 chose it over CRC-32 for its
 * better error detection and hardware support). Reflected polynomial 0x82F63B78, initial value and
 * final xor 0xFFFFFFFF; "123456789" gives 0xE3069283.
 *
 * Slicing-by-16: sixteen 256-entry tables let the loop fold sixteen input bytes per step, read as four
 * little-endian 32-bit words through an Int32Array view of the aligned part of the input (four loads
 * instead of sixteen byte loads and shifts). In plain JavaScript this runs at about 1.6-2 GB/s here
 * (slicing-by-8 over bytes: 1.0-1.1 GB/s), fast enough that no native dependency is needed. On a
 * big-endian platform, and for the unaligned head and the tail, bytes are folded one at a time. The
 * tables are Int32Array, not Uint32Array: V8 keeps int32 values as small integers, while values above
 * 2^31 in a Uint32Array become heap numbers and made the loop a third slower (measured).
 */

const POLYNOMIAL_REFLECTED = 0x82f63b78;
const TABLE_COUNT = 16;
/** Whether an Int32Array reads memory little-endian, as the word loop assumes. */
const LITTLE_ENDIAN = new Uint8Array(new Int32Array([1]).buffer)[0] === 1;

/** `TABLES[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(TABLE_COUNT * 256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REFLECTED : crc >>> 1;
    tables[byte] = crc;
  }
  for (let k = 1; k < TABLE_COUNT; k++) {
    for (let byte = 0; byte < 256; byte++) {
      const previous = tables[(k - 1) * 256 + byte]!;
      tables[k * 256 + byte] = (previous >>> 8) ^ tables[previous & 0xff]!;
    }
  }
  return tables;
}

/**
 * Continues a CRC-32C over `bytes[start, end)`. Start with `crc = 0`; feeding a buffer in pieces gives
 * the same result as feeding it whole.
 */
export function updateCrc32c(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  // Bytes one at a time up to a 4-byte boundary of the underlying buffer, so that words can be read.
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) {
    c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    i++;
  }
  if (LITTLE_ENDIAN && end - i >= 16) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >>> 2);
    const wholeWords = words.length & ~3;
    // Each step xors the first word into the running CRC and looks all sixteen bytes up at once.
    for (let w = 0; w < wholeWords; w += 4) {
      const a = c ^ words[w]!;
      const b = words[w + 1]!;
      const d = words[w + 2]!;
      const e = words[w + 3]!;
      c =
        t[15 * 256 + (a & 0xff)]! ^
        t[14 * 256 + ((a >>> 8) & 0xff)]! ^
        t[13 * 256 + ((a >>> 16) & 0xff)]! ^
        t[12 * 256 + (a >>> 24)]! ^
        t[11 * 256 + (b & 0xff)]! ^
        t[10 * 256 + ((b >>> 8) & 0xff)]! ^
        t[9 * 256 + ((b >>> 16) & 0xff)]! ^
        t[8 * 256 + (b >>> 24)]! ^
        t[7 * 256 + (d & 0xff)]! ^
        t[6 * 256 + ((d >>> 8) & 0xff)]! ^
        t[5 * 256 + ((d >>> 16) & 0xff)]! ^
        t[4 * 256 + (d >>> 24)]! ^
        t[3 * 256 + (e & 0xff)]! ^
        t[2 * 256 + ((e >>> 8) & 0xff)]! ^
        t[256 + ((e >>> 16) & 0xff)]! ^
        t[e >>> 24]!;
    }
    i += wholeWords * 4;
  }
  while (i < end) {
    c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}

/** CRC-32C of `bytes[start, end)`, as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return updateCrc32c(0, bytes, start, end);
}
