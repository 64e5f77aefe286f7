/**
 * Snappy records blocks, through snappyjs (pure JavaScript, so nothing native to build or download).
 * Kafka's Java client writes snappy in xerial-snappy's framing (`SnappyOutputStream`: an 8-byte magic,
 * two version ints, then blocks each prefixed with its compressed length); librdkafka writes one raw
 * snappy block and reads both. Both are read here; the xerial framing is written, as Java does.
 */
import snappy from 'snappyjs';
import { readInt32BE, writeInt32BE } from './bytes.js';
import { RecordFormatError } from './record-errors.js';

/** `\x82SNAPPY\0`, then version 1 and compatible version 1, as xerial's SnappyOutputStream writes them. */
const XERIAL_MAGIC = Uint8Array.of(0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_VERSION = 1;
/** xerial's default block size: the uncompressed bytes per framed block. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

function isXerialFramed(bytes: Uint8Array): boolean {
  if (bytes.length < XERIAL_HEADER_BYTES) return false;
  for (let i = 0; i < XERIAL_MAGIC.length; i++) if (bytes[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

/** Inflates one raw snappy block, refusing one that declares more than `maxOutputBytes`. */
function uncompressBlock(block: Uint8Array, maxOutputBytes: number): Uint8Array {
  try {
    const out = snappy.uncompress(block, maxOutputBytes);
    // A plain Uint8Array view (snappyjs answers a Buffer for a Buffer), so decoded keys and values have one type.
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (cause) {
    const message = (cause as Error).message;
    const tooLarge = message.includes('too big');
    throw new RecordFormatError(
      'INVALID_RECORD',
      tooLarge ? `snappy records inflate to more than ${maxOutputBytes} bytes` : `snappy records cannot be decompressed: ${message}`,
    );
  }
}

/** Inflates a snappy records block, xerial-framed or raw: INVALID_RECORD when unreadable or past the bound (as gzip). */
export function snappyUncompress(bytes: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (!isXerialFramed(bytes)) return uncompressBlock(bytes, maxOutputBytes);
  const blocks: Uint8Array[] = [];
  let total = 0;
  let position = XERIAL_HEADER_BYTES;
  // Each pass consumes at least the 4-byte length: bounded by the input.
  while (position < bytes.length) {
    if (bytes.length - position < 4) throw new RecordFormatError('INVALID_RECORD', 'xerial snappy block length is cut off');
    const length = readInt32BE(bytes, position);
    position += 4;
    if (length < 0 || length > bytes.length - position) {
      throw new RecordFormatError('INVALID_RECORD', `xerial snappy block of ${length} bytes runs past the records`);
    }
    const block = uncompressBlock(bytes.subarray(position, position + length), maxOutputBytes - total);
    position += length;
    total += block.length;
    blocks.push(block);
  }
  return concat(blocks, total);
}

/** Compresses a records block in xerial's framing, as Kafka's Java producer does. */
export function snappyCompress(bytes: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += XERIAL_BLOCK_BYTES) {
    blocks.push(snappy.compress(bytes.subarray(start, Math.min(bytes.length, start + XERIAL_BLOCK_BYTES))));
  }
  const out = new Uint8Array(XERIAL_HEADER_BYTES + blocks.reduce((sum, block) => sum + 4 + block.length, 0));
  out.set(XERIAL_MAGIC, 0);
  writeInt32BE(out, 8, XERIAL_VERSION);
  writeInt32BE(out, 12, XERIAL_VERSION);
  let position = XERIAL_HEADER_BYTES;
  for (const block of blocks) {
    writeInt32BE(out, position, block.length);
    out.set(block, position + 4);
    position += 4 + block.length;
  }
  return out;
}

/** Raw snappy (one block, librdkafka's form), for tests and for readers that want it. */
export function snappyCompressRaw(bytes: Uint8Array): Uint8Array {
  return snappy.compress(bytes);
}

export function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}
