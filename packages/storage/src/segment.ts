/**
 * One segment of a file log (Kafka's `LogSegment`): a `.log` file of record batches and its sparse
 * `.index`, both named by the segment's base offset. Only the last (active) segment is written; its
 * index file stays open for new entries. Writes are positional at the tracked size, so the file never
 * holds more than what the log acknowledges, even after a failed write.
 */
import path from 'node:path';
import {
  LAST_OFFSET_DELTA_OFFSET,
  RECORD_BATCH_OVERHEAD,
  readBaseOffset,
  readBatchSize,
  readLastOffsetDelta,
} from '@kactor/protocol';
import { segmentPaths } from './file-names.js';
import type { LogConfig } from './log.js';
import { OffsetIndex, type IndexEntry } from './offset-index.js';
import { scanSegment, type ScanResult } from './segment-scanner.js';
import { maxIndexEntries, needsIndexEntry } from './segment-policy.js';
import { OPEN_READ_WRITE_CREATE, readFully, readInto, writeFully, type StorageFs } from './storage-fs.js';

const EMPTY = new Uint8Array(0);
/** Bytes of a batch header needed to know its size and last offset. */
const HEADER_PREFIX_BYTES = LAST_OFFSET_DELTA_OFFSET + 4;

export class LogSegment {
  readonly index: OffsetIndex;
  /** Offset after the segment's last batch (its base offset while empty). */
  nextOffset: number;
  /** Why the last rebuild of the `.index` file failed (null: written); the entries in memory serve meanwhile. */
  indexWriteError: unknown = null;
  private bytesSinceLastIndexEntry = 0;
  private readonly headerScratch = new Uint8Array(HEADER_PREFIX_BYTES);

  private constructor(
    private readonly fs: StorageFs,
    readonly baseOffset: number,
    readonly logPath: string,
    private readonly logFd: number,
    /** Bytes of whole batches in the `.log` (the file is truncated to this on load). */
    public sizeBytes: number,
    /** When the segment got its first batch, or was loaded with data, on the injected clock (`segment.ms`). */
    public ageStartMs: number,
  ) {
    this.index = new OffsetIndex(fs, segmentPaths(path.dirname(logPath), baseOffset).indexPath, baseOffset);
    this.nextOffset = baseOffset;
  }

  /** Entries in the offset index (a full index rolls the segment). */
  get indexEntries(): number {
    return this.index.entryCount;
  }

  /** Opens the segment at `baseOffset` in `dir`, creating an empty `.log` if there is none. */
  static open(fs: StorageFs, dir: string, baseOffset: number, nowMs: number): LogSegment {
    const { logPath } = segmentPaths(dir, baseOffset);
    const fd = fs.openSync(logPath, OPEN_READ_WRITE_CREATE);
    return new LogSegment(fs, baseOffset, logPath, fd, fs.fstatSync(fd).size, nowMs);
  }

  /** Creates the empty segment at `baseOffset`; refuses to reuse a `.log` that already holds data. */
  static create(fs: StorageFs, dir: string, baseOffset: number, nowMs: number): LogSegment {
    const segment = LogSegment.open(fs, dir, baseOffset, nowMs);
    if (segment.sizeBytes > 0) {
      segment.close();
      throw new Error(`segment ${segment.logPath} already exists and holds ${segment.sizeBytes} bytes`);
    }
    return segment;
  }

  /**
   * Checks every batch from the start with its CRC (Kafka's `LogSegment.recover`), cuts the file at the
   * first torn or bad batch, and rebuilds the index from what remains.
   */
  recover(minNextOffset: number, config: LogConfig): ScanResult {
    const entries: IndexEntry[] = [];
    const maxEntries = maxIndexEntries(config);
    let bytesSinceLastEntry = 0;
    const result = scanSegment(
      this.fs,
      this.logFd,
      { startPosition: 0, endPosition: this.sizeBytes, segmentBaseOffset: this.baseOffset, minNextOffset, verifyCrc: true },
      (batch) => {
        if (needsIndexEntry(bytesSinceLastEntry, config) && entries.length < maxEntries) {
          entries.push({ offset: batch.lastOffset, position: batch.position });
          bytesSinceLastEntry = 0;
        }
        bytesSinceLastEntry += batch.sizeInBytes;
      },
    );
    if (result.validEndPosition < this.sizeBytes) this.truncateFile(result.validEndPosition);
    this.writeIndex(entries);
    this.bytesSinceLastIndexEntry = bytesSinceLastEntry;
    this.nextOffset = result.nextOffset;
    return result;
  }

  /**
   * Loads the index for a segment trusted without recovery, rebuilding it from batch headers when it
   * is missing or inconsistent. Returns true if it had to be rebuilt.
   */
  loadIndex(minNextOffset: number, config: LogConfig): boolean {
    if (this.index.load(this.sizeBytes)) return false;
    const entries: IndexEntry[] = [];
    const maxEntries = maxIndexEntries(config);
    let bytesSinceLastEntry = 0;
    const result = scanSegment(
      this.fs,
      this.logFd,
      { startPosition: 0, endPosition: this.sizeBytes, segmentBaseOffset: this.baseOffset, minNextOffset, verifyCrc: false },
      (batch) => {
        if (needsIndexEntry(bytesSinceLastEntry, config) && entries.length < maxEntries) {
          entries.push({ offset: batch.lastOffset, position: batch.position });
          bytesSinceLastEntry = 0;
        }
        bytesSinceLastEntry += batch.sizeInBytes;
      },
    );
    this.writeIndex(entries);
    this.bytesSinceLastIndexEntry = bytesSinceLastEntry;
    this.nextOffset = result.nextOffset;
    return true;
  }

  /**
   * Finds the end offset of a trusted segment by walking the headers after its last index entry.
   * Returns the scan so the caller can fall back to recovery if the tail is not whole.
   */
  scanTail(minNextOffset: number): ScanResult {
    const last = this.index.lastEntry();
    const startPosition = last?.position ?? 0;
    const result = scanSegment(
      this.fs,
      this.logFd,
      {
        startPosition,
        endPosition: this.sizeBytes,
        segmentBaseOffset: this.baseOffset,
        // From an index entry on, the previous batch is unknown: only the segment's base bounds offsets.
        minNextOffset: last === null ? minNextOffset : this.baseOffset,
        verifyCrc: false,
      },
      () => {},
    );
    this.bytesSinceLastIndexEntry = result.validEndPosition - startPosition;
    this.nextOffset = result.nextOffset;
    return result;
  }

  /**
   * Opens the `.index` for writing new entries (the segment becomes the active one). An index whose rebuild
   * could not be written stays in memory only: a file with the later entries alone would not be whole.
   */
  activate(): void {
    if (this.indexWriteError !== null) return;
    this.index.attachFile(this.fs.openSync(this.index.path, OPEN_READ_WRITE_CREATE));
  }

  /**
   * Writes batches whose headers already carry their final offsets, in one write at the end of the
   * file, then adds index entries by Kafka's sparse rule.
   */
  append(bytes: Uint8Array, lastOffset: number, config: LogConfig): void {
    try {
      writeFully(this.fs, this.logFd, bytes, this.sizeBytes);
    } catch (cause) {
      // Leave no partial batch behind: a later clean shutdown would otherwise trust it.
      try {
        this.fs.ftruncateSync(this.logFd, this.sizeBytes);
      } catch {
        // The original failure is the one to report; recovery cuts a torn tail anyway.
      }
      throw cause;
    }
    const maxEntries = maxIndexEntries(config);
    for (let p = 0; p < bytes.length; ) {
      const size = readBatchSize(bytes, p);
      if (needsIndexEntry(this.bytesSinceLastIndexEntry, config) && this.index.entryCount < maxEntries) {
        this.index.append(readBaseOffset(bytes, p) + readLastOffsetDelta(bytes, p), this.sizeBytes + p);
        this.bytesSinceLastIndexEntry = 0;
      }
      this.bytesSinceLastIndexEntry += size;
      p += size;
    }
    this.sizeBytes += bytes.length;
    this.nextOffset = lastOffset + 1;
  }

  /**
   * Whole batches from the one containing `fetchOffset`, up to `maxBytes` (the first batch whole even
   * if larger), none whose last offset reaches `maxOffsetExclusive`. Null when no batch of this segment
   * reaches `fetchOffset` (the caller moves to the next segment).
   */
  read(fetchOffset: number, maxBytes: number, maxOffsetExclusive: number): Uint8Array | null {
    let position = this.index.lookupPosition(fetchOffset);
    let firstSize = 0;
    let firstLastOffset = -1;
    while (position < this.sizeBytes) {
      const read = readInto(this.fs, this.logFd, this.headerScratch, 0, HEADER_PREFIX_BYTES, position);
      if (read < HEADER_PREFIX_BYTES) return null;
      firstSize = readBatchSize(this.headerScratch, 0);
      firstLastOffset = readBaseOffset(this.headerScratch, 0) + readLastOffsetDelta(this.headerScratch, 0);
      if (firstSize < RECORD_BATCH_OVERHEAD) return null;
      if (firstLastOffset >= fetchOffset) break;
      position += firstSize;
    }
    if (position >= this.sizeBytes) return null;
    if (firstLastOffset >= maxOffsetExclusive) return EMPTY;
    const length = Math.min(this.sizeBytes - position, Math.max(maxBytes, firstSize));
    const bytes = readFully(this.fs, this.logFd, position, length);
    let end = firstSize;
    while (end + HEADER_PREFIX_BYTES <= bytes.length) {
      const size = readBatchSize(bytes, end);
      if (size < RECORD_BATCH_OVERHEAD || end + size > bytes.length) break;
      if (readBaseOffset(bytes, end) + readLastOffsetDelta(bytes, end) >= maxOffsetExclusive) break;
      end += size;
    }
    return bytes.subarray(0, Math.min(end, bytes.length));
  }

  /**
   * Cuts the segment before the batch holding `offset` (Kafka's `LogSegment.truncateTo`): the `.log` at that
   * batch's position, the index at the entries before it. A batch holding `offset` in its middle goes whole.
   */
  truncateTo(offset: number): void {
    let position = this.index.lookupPosition(offset);
    let nextOffset = this.baseOffset;
    while (position < this.sizeBytes) {
      const read = readInto(this.fs, this.logFd, this.headerScratch, 0, HEADER_PREFIX_BYTES, position);
      if (read < HEADER_PREFIX_BYTES) throw new Error(`a torn batch header at position ${position} of ${this.logPath}`);
      const baseOffset = readBaseOffset(this.headerScratch, 0);
      if (baseOffset + readLastOffsetDelta(this.headerScratch, 0) >= offset) {
        nextOffset = baseOffset;
        break;
      }
      position += readBatchSize(this.headerScratch, 0);
      nextOffset = baseOffset + readLastOffsetDelta(this.headerScratch, 0) + 1;
    }
    if (position >= this.sizeBytes) return;
    this.truncateFile(position);
    this.index.truncateToPosition(position);
    const last = this.index.lastEntry();
    this.bytesSinceLastIndexEntry = position - (last?.position ?? 0);
    this.nextOffset = nextOffset;
  }

  /** fsyncs the `.log` and, for the active segment, the `.index`. */
  flush(): void {
    this.fs.fsyncSync(this.logFd);
    this.index.flush();
  }

  /** Flushes and stops writing the index: the segment is no longer the active one. */
  deactivate(): void {
    this.flush();
    this.index.closeFile();
  }

  close(): void {
    this.index.closeFile();
    this.fs.closeSync(this.logFd);
  }

  /** Closes and deletes both files. */
  deleteFiles(): void {
    this.close();
    this.fs.rmSync(this.logPath, { recursive: true, force: true });
    this.fs.rmSync(this.index.path, { recursive: true, force: true });
  }

  private truncateFile(sizeBytes: number): void {
    this.fs.ftruncateSync(this.logFd, sizeBytes);
    this.sizeBytes = sizeBytes;
  }

  /**
   * Keeps rebuilt entries in memory and rewrites the `.index` file with them. A file that cannot be written
   * (a full disk) does not stop the load: the index in memory serves lookups, the file is removed (deleting
   * needs no space) so that the next load rebuilds it, and `indexWriteError` says what failed.
   */
  private writeIndex(entries: readonly IndexEntry[]): void {
    this.index.replaceAll(entries);
    try {
      this.index.attachFile(this.fs.openSync(this.index.path, OPEN_READ_WRITE_CREATE));
      this.index.rewriteFile();
      this.indexWriteError = null;
    } catch (cause) {
      this.indexWriteError = cause;
    } finally {
      this.index.closeFile();
    }
    if (this.indexWriteError !== null) this.fs.rmSync(this.index.path, { recursive: true, force: true });
  }
}
