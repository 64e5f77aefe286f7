/**
 * Walks the batches of a `.log` file from a position, reading it in chunks, and stops at the first
 * batch that is torn or does not check out (Kafka's `LogSegment.recover`). Used to recover a segment
 * after an unclean shutdown (with CRC checks), to rebuild a missing index, and to find the end offset
 * of the last segment (header checks only).
 */
import {
  MAGIC_V2,
  MIN_BATCH_LENGTH,
  RECORD_BATCH_OVERHEAD,
  computeBatchCrc,
  readBatchHeader,
} from '@kactor/protocol';
import { HEADER_SCAN_CHUNK_BYTES, RECOVERY_READ_CHUNK_BYTES } from './constants.js';
import { MAX_RELATIVE_OFFSET } from './segment-policy.js';
import { readInto, type StorageFs } from './storage-fs.js';


export interface ScannedBatch {
  position: number;
  sizeInBytes: number;
  baseOffset: number;
  lastOffset: number;
}

export interface ScanOptions {
  startPosition: number;
  /** The file size: nothing at or past it is read. */
  endPosition: number;
  segmentBaseOffset: number;
  /** The first batch must start at or after this offset; each next one after the previous batch. */
  minNextOffset: number;
  /** Check each batch's CRC-32C (recovery) or only its header (index rebuild, end-offset scan). */
  verifyCrc: boolean;
}

export interface ScanResult {
  /** Where the last good batch ends: the length to truncate to when `stop` is not 'end'. */
  validEndPosition: number;
  /** The offset after the last good batch, or `minNextOffset` when there was none. */
  nextOffset: number;
  stop: 'end' | 'torn' | 'corrupt';
  /** Why the scan stopped early, for the log. */
  reason: string | null;
}

/** A window over the file, refilled as the scan moves on. */
class FileWindow {
  bytes: Uint8Array;
  start = 0;
  length = 0;

  constructor(
    private readonly fs: StorageFs,
    private readonly fd: number,
    private readonly end: number,
    private readonly chunkBytes: number,
  ) {
    this.bytes = new Uint8Array(chunkBytes);
  }

  /** Makes `[position, position + length)` readable; false if the file ends before. */
  ensure(position: number, length: number): boolean {
    if (position + length > this.end) return false;
    if (position >= this.start && position + length <= this.start + this.length) return true;
    const wanted = Math.min(Math.max(length, this.chunkBytes), this.end - position);
    if (wanted > this.bytes.length) this.bytes = new Uint8Array(wanted);
    const read = readInto(this.fs, this.fd, this.bytes, 0, wanted, position);
    this.start = position;
    this.length = read;
    return read >= length;
  }

  offsetOf(position: number): number {
    return position - this.start;
  }
}

export function scanSegment(
  fs: StorageFs,
  fd: number,
  options: ScanOptions,
  visit: (batch: ScannedBatch) => void,
): ScanResult {
  const window = new FileWindow(fs, fd, options.endPosition, options.verifyCrc ? RECOVERY_READ_CHUNK_BYTES : HEADER_SCAN_CHUNK_BYTES);
  let position = options.startPosition;
  let nextOffset = options.minNextOffset;
  const stop = (kind: 'torn' | 'corrupt', reason: string): ScanResult => ({
    validEndPosition: position,
    nextOffset,
    stop: kind,
    reason: `${reason} at position ${position}`,
  });
  // Every pass either moves past a batch of at least 61 bytes or returns: bounded by the file size.
  while (position < options.endPosition) {
    if (!window.ensure(position, RECORD_BATCH_OVERHEAD)) return stop('torn', 'a batch header is cut short');
    const header = readBatchHeader(window.bytes, window.offsetOf(position));
    if (header === null) return stop('torn', 'a batch header is cut short');
    if (header.batchLength < MIN_BATCH_LENGTH) return stop('corrupt', `batch length ${header.batchLength} is too small`);
    if (position + header.sizeInBytes > options.endPosition) return stop('torn', 'a batch runs past the end of the file');
    if (header.magic !== MAGIC_V2) return stop('corrupt', `batch magic is ${header.magic}`);
    if (header.lastOffsetDelta < 0) return stop('corrupt', `lastOffsetDelta is ${header.lastOffsetDelta}`);
    if (header.baseOffset < nextOffset) return stop('corrupt', `batch offset ${header.baseOffset} is below ${nextOffset}`);
    if (header.lastOffset - options.segmentBaseOffset > MAX_RELATIVE_OFFSET) {
      return stop('corrupt', `batch offset ${header.lastOffset} is out of the segment's range`);
    }
    if (options.verifyCrc) {
      if (!window.ensure(position, header.sizeInBytes)) return stop('torn', 'a batch runs past the end of the file');
      const crc = computeBatchCrc(window.bytes, window.offsetOf(position), header.sizeInBytes);
      if (crc !== header.crc) return stop('corrupt', 'a batch fails its CRC check');
    }
    visit({ position, sizeInBytes: header.sizeInBytes, baseOffset: header.baseOffset, lastOffset: header.lastOffset });
    position += header.sizeInBytes;
    nextOffset = header.lastOffset + 1;
  }
  return { validEndPosition: position, nextOffset, stop: 'end', reason: null };
}
