/**
 * LZ4 records blocks in the LZ4 frame format (Kafka writes standard frames since magic 1, KIP-57:
 * independent 64 KiB blocks, no checksums), through lz4js (pure JavaScript). lz4js trusts its input, so
 * the frame's structure is checked here first and the output bounded: every block must lie within the
 * records, and the frame may declare at most `maxOutputBytes` (each compressed block counts as its
 * frame's largest block size, each stored block as its own size).
 */
import lz4 from 'lz4js';
import { RecordFormatError } from './record-errors.js';

const FRAME_MAGIC = 0x184d2204;
const FLAG_VERSION_MASK = 0xc0;
const FLAG_VERSION_01 = 0x40;
const FLAG_BLOCK_CHECKSUM = 0x10;
const FLAG_CONTENT_SIZE = 0x08;
const FLAG_CONTENT_CHECKSUM = 0x04;
const FLAG_DICTIONARY_ID = 0x01;
const BLOCK_UNCOMPRESSED = 0x8000_0000;
/** BD bits 4-6: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB. */
const BLOCK_MAX_BYTES: Readonly<Record<number, number>> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

const readUInt32LE = (bytes: Uint8Array, position: number): number =>
  (bytes[position]! | (bytes[position + 1]! << 8) | (bytes[position + 2]! << 16) | (bytes[position + 3]! << 24)) >>> 0;

function corrupt(message: string): RecordFormatError {
  return new RecordFormatError('INVALID_RECORD', `lz4 records: ${message}`);
}

/** The most bytes the frame can inflate to, after checking that its header and blocks lie within `bytes`. */
function frameBound(bytes: Uint8Array): number {
  if (bytes.length < 7 || readUInt32LE(bytes, 0) !== FRAME_MAGIC) throw corrupt('not an LZ4 frame');
  const flags = bytes[4]!;
  if ((flags & FLAG_VERSION_MASK) !== FLAG_VERSION_01) throw corrupt(`frame version bits ${(flags & FLAG_VERSION_MASK) >> 6} are not 01`);
  if (flags & FLAG_DICTIONARY_ID) throw corrupt('frames with a dictionary id are not used by Kafka');
  const blockMaxBytes = BLOCK_MAX_BYTES[(bytes[5]! >> 4) & 0x07];
  if (blockMaxBytes === undefined) throw corrupt(`block size id ${(bytes[5]! >> 4) & 0x07} does not exist`);
  let position = 6 + (flags & FLAG_CONTENT_SIZE ? 8 : 0) + 1;
  const blockChecksumBytes = flags & FLAG_BLOCK_CHECKSUM ? 4 : 0;
  let bound = 0;
  // Each pass consumes at least the 4-byte block size: bounded by the input.
  for (;;) {
    if (position + 4 > bytes.length) throw corrupt('the frame ends without its end mark');
    const word = readUInt32LE(bytes, position);
    position += 4;
    if (word === 0) break;
    const size = word & ~BLOCK_UNCOMPRESSED;
    if (size > blockMaxBytes) throw corrupt(`a block of ${size} bytes is larger than the frame's ${blockMaxBytes}`);
    position += size + blockChecksumBytes;
    if (position > bytes.length) throw corrupt('a block runs past the records');
    bound += word & BLOCK_UNCOMPRESSED ? size : blockMaxBytes;
  }
  if (flags & FLAG_CONTENT_CHECKSUM) position += 4;
  if (position > bytes.length) throw corrupt('the content checksum is cut off');
  return bound;
}

/** Inflates an LZ4 frame: INVALID_RECORD when malformed or when it may inflate past the bound. */
export function lz4Uncompress(bytes: Uint8Array, maxOutputBytes: number): Uint8Array {
  const bound = frameBound(bytes);
  if (bound > maxOutputBytes) throw new RecordFormatError('INVALID_RECORD', `lz4 records may inflate to ${bound} bytes, more than ${maxOutputBytes}`);
  const out = new Uint8Array(bound);
  const written = lz4.decompressFrame(bytes, out);
  if (written > bound) throw corrupt('a block inflates past its frame\'s block size');
  return out.subarray(0, written);
}

export function lz4Compress(bytes: Uint8Array): Uint8Array {
  return lz4.compress(bytes);
}
