/**
 * A segment's sparse offset index (Kafka's `OffsetIndex`): 8-byte entries of (offset relative to the
 * segment's base, u32; byte position of a batch in the `.log`, u32), both big-endian, in increasing
 * order. An entry maps a batch's last offset to the batch's position, as Kafka does. Kept in memory
 * for lookups (binary search) and mirrored to the `.index` file as entries are added.
 *
 * Kafka preallocates and memory-maps the file; here it grows by appends. Either way the file is only
 * an accelerator: a missing or inconsistent index is rebuilt from the log at load.
 */
import { INDEX_ENTRY_BYTES, MAX_RELATIVE_OFFSET } from './segment-policy.js';
import { OPEN_READ_ONLY, readFully, writeFully, type StorageFs } from './storage-fs.js';

const INITIAL_CAPACITY_ENTRIES = 16;

export interface IndexEntry {
  /** Absolute offset (base offset + relative offset). */
  offset: number;
  position: number;
}

export class OffsetIndex {
  /** `[relativeOffset0, position0, relativeOffset1, position1, ...]`. */
  private entries = new Uint32Array(INITIAL_CAPACITY_ENTRIES * 2);
  private count = 0;
  private fd: number | null = null;
  /** Why writing an entry to the attached file failed; from then on entries are kept in memory only. */
  private fileWriteError: unknown = null;

  constructor(
    private readonly fs: StorageFs,
    readonly path: string,
    readonly baseOffset: number,
  ) {}

  get entryCount(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.count * INDEX_ENTRY_BYTES;
  }

  /** Attaches the open `.index` file that new entries are written to (the active segment's). */
  attachFile(fd: number): void {
    this.fd = fd;
    this.fileWriteError = null;
  }

  /** Detaches and closes the file; the entries stay in memory for lookups. */
  closeFile(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.fs.closeSync(fd);
  }

  flush(): void {
    if (this.fd !== null) this.fs.fsyncSync(this.fd);
  }

  lastEntry(): IndexEntry | null {
    if (this.count === 0) return null;
    const i = (this.count - 1) * 2;
    return { offset: this.baseOffset + this.entries[i]!, position: this.entries[i + 1]! };
  }

  /** Adds an entry (in memory and, when a file is attached, on disk). Offsets and positions must grow. */
  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    const last = this.lastEntry();
    if (relative < 0 || relative > MAX_RELATIVE_OFFSET || (last !== null && (offset <= last.offset || position <= last.position))) {
      throw new RangeError(`index entry (${offset}, ${position}) does not follow ${JSON.stringify(last)} in ${this.path}`);
    }
    this.push(relative, position);
    if (this.fd !== null && this.fileWriteError === null) {
      const entry = new Uint8Array(INDEX_ENTRY_BYTES);
      encodeEntry(entry, 0, relative, position);
      const at = (this.count - 1) * INDEX_ENTRY_BYTES;
      try {
        writeFully(this.fs, this.fd, entry, at);
      } catch (cause) {
        // A full disk: the entry lives on in memory. The file keeps its whole entries before this one (a
        // sparser index is still a correct one) and gets no more, so it never holds a hole.
        this.fileWriteError = cause;
        try {
          this.fs.ftruncateSync(this.fd, at);
        } catch {
          // A torn entry fails the sanity check at the next load, which then rebuilds the file.
        }
      }
    }
  }

  /**
   * The position to start scanning from for `targetOffset`: that of the last entry whose offset is at
   * most the target, or 0. The batch containing the target starts there or later.
   */
  lookupPosition(targetOffset: number): number {
    const relative = targetOffset - this.baseOffset;
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle * 2]! <= relative) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found < 0 ? 0 : this.entries[found * 2 + 1]!;
  }

  /**
   * Loads the `.index` file and checks it against the log (Kafka's `sanityCheck`): whole entries,
   * strictly increasing offsets and positions, positions inside the log. False when the file is
   * missing or fails a check; the caller then rebuilds it.
   */
  load(logSizeBytes: number): boolean {
    if (!this.fs.existsSync(this.path)) return false;
    const fd = this.fs.openSync(this.path, OPEN_READ_ONLY);
    let bytes: Uint8Array;
    try {
      bytes = readFully(this.fs, fd, 0, this.fs.fstatSync(fd).size);
    } finally {
      this.fs.closeSync(fd);
    }
    if (bytes.length % INDEX_ENTRY_BYTES !== 0) return false;
    this.count = 0;
    let previousRelative = -1;
    let previousPosition = -1;
    for (let p = 0; p < bytes.length; p += INDEX_ENTRY_BYTES) {
      const relative = readUInt32(bytes, p);
      const position = readUInt32(bytes, p + 4);
      const ordered = relative > previousRelative && position > previousPosition;
      if (!ordered || relative > MAX_RELATIVE_OFFSET || position >= logSizeBytes) {
        this.count = 0;
        return false;
      }
      this.push(relative, position);
      previousRelative = relative;
      previousPosition = position;
    }
    return true;
  }

  /**
   * Drops the entries at or past `position` (the log was cut there) and cuts the attached file to the
   * entries left, which needs no space on a full disk.
   */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.entries[(this.count - 1) * 2 + 1]! >= position) this.count--;
    if (this.fd !== null) this.fs.ftruncateSync(this.fd, this.count * INDEX_ENTRY_BYTES);
  }

  /** Replaces every entry and rewrites the attached file in one write. */
  replaceAll(entries: readonly IndexEntry[]): void {
    this.count = 0;
    for (const entry of entries) this.push(entry.offset - this.baseOffset, entry.position);
    this.rewriteFile();
  }

  /** Rewrites the attached file (if any) with the entries in memory, in one write. */
  rewriteFile(): void {
    if (this.fd === null) return;
    const bytes = new Uint8Array(this.count * INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) encodeEntry(bytes, i * INDEX_ENTRY_BYTES, this.entries[i * 2]!, this.entries[i * 2 + 1]!);
    this.fs.ftruncateSync(this.fd, 0);
    writeFully(this.fs, this.fd, bytes, 0);
  }

  private push(relative: number, position: number): void {
    if (this.count * 2 === this.entries.length) {
      const grown = new Uint32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[this.count * 2] = relative;
    this.entries[this.count * 2 + 1] = position;
    this.count++;
  }
}

function encodeEntry(bytes: Uint8Array, at: number, relative: number, position: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(at, relative);
  view.setUint32(at + 4, position);
}

function readUInt32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
