/**
 * The compression codecs this node can handle. Our own producer writes uncompressed batches; gzip is
 * supported in both directions through node:zlib (Kafka's gzip is a standard RFC 1952 stream), so
 * batches from other clients that chose gzip can be validated and decoded. Snappy, lz4 and zstd would
 * need native or third-party code, so they are refused with UNSUPPORTED_COMPRESSION_TYPE.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { RecordFormatError } from './record-errors.js';

/**
 * The most bytes one compressed batch may inflate to before it is refused. Without a bound a small
 * batch could expand to gigabytes (a decompression bomb); 64 MiB is far above what Kafka producers
 * build (`batch.size` is 16 KiB, `max.request.size` 1 MiB before compression).
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

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
