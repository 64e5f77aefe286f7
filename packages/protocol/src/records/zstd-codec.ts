/**
 * Zstandard records blocks (KIP-110), read through fzstd (pure JavaScript, decompression only; Node 20's
 * zlib has no zstd). The frames are streamed in slices so that inflating stops as soon as the output
 * passes the bound: a small frame cannot make this node allocate more than `maxOutputBytes` (plus one
 * zstd block, at most 128 KiB). Writing zstd needs node:zlib's zstd (Node 22.15 and later).
 */
import { Decompress } from 'fzstd';
import * as zlib from 'node:zlib';
import { concat } from './snappy-codec.js';
import { RecordFormatError } from './record-errors.js';

/** How much compressed input is pushed at a time: small enough to stop soon after the bound. */
const INPUT_SLICE_BYTES = 16 * 1024;

class OutputTooLarge extends Error {}

export function zstdUncompress(bytes: Uint8Array, maxOutputBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxOutputBytes) throw new OutputTooLarge();
    parts.push(chunk);
  });
  try {
    if (bytes.length === 0) throw new Error('no zstd frame');
    for (let start = 0; start < bytes.length; start += INPUT_SLICE_BYTES) {
      const end = Math.min(bytes.length, start + INPUT_SLICE_BYTES);
      stream.push(bytes.subarray(start, end), end === bytes.length);
    }
  } catch (cause) {
    if (cause instanceof OutputTooLarge) throw new RecordFormatError('INVALID_RECORD', `zstd records inflate to more than ${maxOutputBytes} bytes`);
    throw new RecordFormatError('INVALID_RECORD', `zstd records cannot be decompressed: ${(cause as Error).message}`);
  }
  return concat(parts, total);
}

type ZstdCompressSync = (bytes: Uint8Array) => Uint8Array;

/** node:zlib's zstd compressor where this Node has one (22.15 and later), else null. */
export const nodeZstdCompress: ZstdCompressSync | null = (zlib as unknown as { zstdCompressSync?: ZstdCompressSync }).zstdCompressSync ?? null;

export function zstdCompress(bytes: Uint8Array): Uint8Array {
  if (nodeZstdCompress === null) throw new RangeError(`writing zstd needs node:zlib's zstd (Node 22.15 or later); this is Node ${process.versions.node}`);
  const out = nodeZstdCompress(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
