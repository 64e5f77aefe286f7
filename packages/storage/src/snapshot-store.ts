/**
 * KRaft metadata snapshots (KIP-630) beside the `__cluster_metadata-0` log: each one a file named after its id,
 * `<endOffset, 20 digits>-<epoch, 10 digits>.checkpoint` (Kafka's `Snapshots.filenameFromSnapshotId`), holding record
 * batches (a SnapshotHeader control record first, the metadata, a SnapshotFooter last; the bytes are the caller's,
 * this store does not read them). A snapshot is written through a `SnapshotWriter` into `<name>.checkpoint.part` and
 * frozen by fsync and rename, so a crash leaves the old snapshots and, at most, a `.part` file the next open deletes:
 * never a half-written snapshot under a snapshot's name. Reads are positional and bounded (FetchSnapshot serves
 * chunks of a snapshot from any position).
 */

/** A snapshot's id: it holds the state of every record below `endOffset`, the last of them written in `epoch`. */
export interface SnapshotId {
  readonly endOffset: number;
  readonly epoch: number;
}

export interface SnapshotWriter {
  readonly id: SnapshotId;
  /** Bytes appended so far. */
  readonly sizeBytes: number;
  /** Appends `bytes` at the end (not durable until `freeze`). */
  append(bytes: Uint8Array): void;
  /** Makes the snapshot durable and visible under its id (fsync, rename, fsync the folder). */
  freeze(): void;
  /** Drops what was written; the id stays absent. */
  abort(): void;
}

export interface SnapshotStore {
  /** The ids of the stored snapshots, oldest (smallest end offset, then epoch) first. */
  list(): SnapshotId[];
  /** The newest snapshot's id, if any. */
  latest(): SnapshotId | undefined;
  /** Its size in bytes; throws SnapshotNotFoundError when there is no such snapshot. */
  sizeBytes(id: SnapshotId): number;
  /**
   * Up to `maxBytes` (never more than MAX_SNAPSHOT_READ_BYTES) of the snapshot from `position`; shorter only at its end.
   * Throws SnapshotNotFoundError, or RangeError for a position outside [0, size].
   */
  read(id: SnapshotId, position: number, maxBytes: number): Uint8Array;
  /** Starts writing the snapshot `id` (replacing an unfinished writer of the same id). */
  createWriter(id: SnapshotId): SnapshotWriter;
  /** Deletes every snapshot older than `id` (Kafka's deleteBeforeSnapshot); returns how many went. */
  deleteBefore(id: SnapshotId): number;
}

/** The most bytes one `read` returns: a FetchSnapshot chunk (and a snapshot load) is read in pieces no larger. */
export const MAX_SNAPSHOT_READ_BYTES = 8 * 1024 * 1024;

export const SNAPSHOT_FILE_SUFFIX = '.checkpoint';
/** An unfinished snapshot; deleted when the store opens (Kafka's `.checkpoint.part`). */
export const PARTIAL_SNAPSHOT_FILE_SUFFIX = '.checkpoint.part';

const OFFSET_DIGITS = 20;
const EPOCH_DIGITS = 10;

export class SnapshotNotFoundError extends Error {
  override readonly name = 'SnapshotNotFoundError';
  constructor(readonly id: SnapshotId) {
    super(`no snapshot ${snapshotFileName(id)}`);
  }
}

export function assertValidSnapshotId(id: SnapshotId): void {
  if (!Number.isSafeInteger(id.endOffset) || id.endOffset < 0 || !Number.isInteger(id.epoch) || id.epoch < 0 || id.epoch > 0x7fff_ffff) {
    throw new RangeError(`invalid snapshot id (end offset ${id.endOffset}, epoch ${id.epoch})`);
  }
}

export function snapshotFileName(id: SnapshotId): string {
  return `${String(id.endOffset).padStart(OFFSET_DIGITS, '0')}-${String(id.epoch).padStart(EPOCH_DIGITS, '0')}${SNAPSHOT_FILE_SUFFIX}`;
}

/** The id a snapshot file name stands for, or null for any other file. */
export function parseSnapshotFileName(name: string): SnapshotId | null {
  const match = /^([0-9]{20})-([0-9]{10})\.checkpoint$/.exec(name);
  if (match === null) return null;
  const id = { endOffset: Number(match[1]), epoch: Number(match[2]) };
  return Number.isSafeInteger(id.endOffset) && id.epoch <= 0x7fff_ffff ? id : null;
}

/** Orders ids as Kafka's OffsetAndEpoch does: end offset first, then epoch. */
export function compareSnapshotIds(a: SnapshotId, b: SnapshotId): number {
  return a.endOffset !== b.endOffset ? a.endOffset - b.endOffset : a.epoch - b.epoch;
}

export function sameSnapshotId(a: SnapshotId | undefined, b: SnapshotId | undefined): boolean {
  return a !== undefined && b !== undefined && a.endOffset === b.endOffset && a.epoch === b.epoch;
}

/** Checks a read's position and bound; returns how many bytes to read. */
export function boundedReadLength(id: SnapshotId, size: number, position: number, maxBytes: number): number {
  if (!Number.isSafeInteger(position) || position < 0 || position > size) {
    throw new RangeError(`position ${position} is outside snapshot ${snapshotFileName(id)} of ${size} bytes`);
  }
  return Math.max(0, Math.min(size - position, maxBytes, MAX_SNAPSHOT_READ_BYTES));
}
