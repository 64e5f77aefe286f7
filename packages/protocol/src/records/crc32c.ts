/**
 * CRC-32C (Castagnoli), the checksum of Kafka's RecordBatch v2 (KIP-98 chose it over CRC-32 for its
 * better error detection and hardware support). Reflected polynomial 0x82F63B78, initial value and
 * final xor 0xFFFFFFFF; "123456789" gives 0xE3069283.
 *
 * Slicing-by-8: eight 256-entry tables let the loop fold eight input bytes per step. In plain
 * JavaScript this runs at about 1.1-1.5 GB/s here, fast enough that no native dependency is needed. The
 * tables are Int32Array, not Uint32Array: V8 keeps int32 values as small integers, while values above
 * 2^31 in a Uint32Array become heap numbers and made the loop a third slower (measured).
 */

const POLYNOMIAL_REFLECTED = 0x82f63b78;
const TABLE_COUNT = 8;

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
  // Each step xors four input bytes into the running CRC and looks all eight bytes up at once.
  const wholeEnd = start + ((end - start) & ~7);
  while (i < wholeEnd) {
    const low = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[7 * 256 + (low & 0xff)]! ^
      t[6 * 256 + ((low >>> 8) & 0xff)]! ^
      t[5 * 256 + ((low >>> 16) & 0xff)]! ^
      t[4 * 256 + (low >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
    i += 8;
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
