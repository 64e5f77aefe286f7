/**
 * The synchronous file operations the file log uses, as a port: production passes `node:fs`, tests
 * wrap it to count fsyncs or to inject failures (a full disk, a torn write) without touching timing.
 */
import * as nodeFs from 'node:fs';

export interface StorageFs {
  openSync(path: string, flags: number): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number };
  readdirSync(path: string): string[];
  mkdirSync(path: string, options: { recursive: true }): unknown;
  rmSync(path: string, options: { recursive: true; force: true }): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
}

export const systemFs: StorageFs = nodeFs;

/** Flags for opening a segment or index file for positional reads and writes, creating it if missing. */
export const OPEN_READ_WRITE_CREATE = nodeFs.constants.O_RDWR | nodeFs.constants.O_CREAT;
/** Flags for writing a file from scratch (the temporary file of an atomic replace). */
export const OPEN_WRITE_CREATE_TRUNCATE = nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT | nodeFs.constants.O_TRUNC;
/** Flags for reading a file, or opening a directory so that it can be fsynced. */
export const OPEN_READ_ONLY = nodeFs.constants.O_RDONLY;

/** Writes all of `bytes` at `position`, looping over short writes. */
export function writeFully(fs: StorageFs, fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    written += fs.writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

/** Reads up to `length` bytes at `position` into a new buffer; shorter only at the end of the file. */
export function readFully(fs: StorageFs, fd: number, position: number, length: number): Uint8Array {
  // Not zero-filled: every byte returned is overwritten by the read (the rest is cut off below).
  const buffer = Buffer.allocUnsafe(length);
  const filled = readInto(fs, fd, buffer, 0, length, position);
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Reads into `buffer[offset, offset + length)`, looping over short reads; returns the bytes read. */
export function readInto(
  fs: StorageFs,
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): number {
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, buffer, offset + filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}

/** fsyncs a directory so that entries created, renamed or deleted in it survive a crash. */
export function fsyncDirectory(fs: StorageFs, path: string): void {
  const fd = fs.openSync(path, OPEN_READ_ONLY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
