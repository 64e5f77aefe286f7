/**
 * The compression codecs of a batch's records block (attributes bits 0-2: 1 gzip, 2 snappy, 3 lz4,
 * 4 zstd), all read here so that batches from any Kafka client can be validated by the broker and
 * decoded by kactor's consumer: gzip through node:zlib (a standard RFC 1952 stream), snappy (xerial-framed
 * or raw), lz4 (frame format) and zstd through small pure-JavaScript libraries (see each codec's module).
 * Every inflation is bounded: a batch of a few bytes must not become gigabytes (a decompression bomb).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CompressionCodec } from './batch-layout.js';
import { lz4Compress, lz4Uncompress } from './lz4-codec.js';
import { RecordFormatError } from './record-errors.js';
import { snappyCompress, snappyUncompress } from './snappy-codec.js';
import { zstdCompress, zstdUncompress } from './zstd-codec.js';

/**
 * The most bytes one compressed batch may inflate to before it is refused (INVALID_RECORD). 64 MiB is
 * far above what Kafka producers build (`batch.size` is 16 KiB, `max.request.size` 1 MiB before
 * compression), and bounds what one produced or fetched batch can make this node allocate.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

/** The codecs a batch can be written with: all of Kafka's except zstd where node:zlib lacks it (Node < 22.15). */
export type WritableCompressionCodec = Exclude<CompressionCodec, 'none'>;

export function gzipRecords(bytes: Uint8Array): Uint8Array {
  const deflated = gzipSync(bytes);
  return new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.length);
}

/** Inflates a gzip records block; throws `RecordFormatError` when it is unreadable or too large. */
export function gunzipRecords(bytes: Uint8Array, maxOutputBytes: number): Uint8Array {
  try {
    const inflated = gunzipSync(bytes, { maxOutputLength: maxOutputBytes });
    // A plain Uint8Array view, so that decoded keys and values have one type whatever the codec.
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
  } catch (cause) {
    const tooLarge = cause instanceof RangeError || (cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new RecordFormatError(
      'INVALID_RECORD',
      tooLarge
        ? `gzip records inflate to more than ${maxOutputBytes} bytes`
        : `gzip records cannot be decompressed: ${(cause as Error).message}`,
    );
  }
}

/** Inflates a records block written with codec id 1 to 4; throws `RecordFormatError` when unreadable or past the bound. */
export function decompressRecords(codecId: 1 | 2 | 3 | 4, bytes: Uint8Array, maxOutputBytes: number): Uint8Array {
  switch (codecId) {
    case 1:
      return gunzipRecords(bytes, maxOutputBytes);
    case 2:
      return snappyUncompress(bytes, maxOutputBytes);
    case 3:
      return lz4Uncompress(bytes, maxOutputBytes);
    case 4:
      return zstdUncompress(bytes, maxOutputBytes);
  }
}

/** Compresses a records block as Kafka's Java producer would (xerial-framed snappy, LZ4 frames). */
export function compressRecords(codec: WritableCompressionCodec, bytes: Uint8Array): Uint8Array {
  switch (codec) {
    case 'gzip':
      return gzipRecords(bytes);
    case 'snappy':
      return snappyCompress(bytes);
    case 'lz4':
      return lz4Compress(bytes);
    case 'zstd':
      return zstdCompress(bytes);
  }
}
