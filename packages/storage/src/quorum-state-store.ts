/**
 * Where a KRaft replica keeps its election state (Kafka's `QuorumStateStore`): the `quorum-state` file of the
 * `__cluster_metadata-0` folder, or memory, for simulations, where the state outlives a simulated restart as the
 * file does. The file is replaced as Kafka's `FileQuorumStateStore` replaces it: delete a leftover `.tmp`, write
 * the temporary file, fsync it, rename it over the old one, fsync the folder, and delete the temporary file if a
 * step failed. A crash at any point leaves the old state or the new one, never a mix.
 */
import path from 'node:path';
import { KafkaStorageError } from './errors.js';
import { QUORUM_STATE_FILE, TEMP_FILE_SUFFIX } from './file-names.js';
import { assertValidQuorumState, formatQuorumState, parseQuorumState, type QuorumStateData } from './quorum-state.js';
import { fsyncDirectory, OPEN_WRITE_CREATE_TRUNCATE, writeFully, type StorageFs } from './storage-fs.js';

export interface QuorumStateStore {
  /** The stored state, or null when none was ever written (a new replica: epoch 0, no leader, no vote). */
  read(): QuorumStateData | null;
  /** Stores `state` durably before returning; throws KafkaStorageError (the old state stays) when it cannot. */
  write(state: QuorumStateData): void;
  /** Forgets the state (Kafka's `clear`, for a replica whose disk is formatted again). */
  clear(): void;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The `quorum-state` file in the folder `dir` (which must exist). */
export class FileQuorumStateStore implements QuorumStateStore {
  readonly path: string;
  private readonly temporaryPath: string;

  constructor(
    private readonly fs: StorageFs,
    dir: string,
  ) {
    this.path = path.join(dir, QUORUM_STATE_FILE);
    this.temporaryPath = this.path + TEMP_FILE_SUFFIX;
  }

  read(): QuorumStateData | null {
    let content: string;
    try {
      if (!this.fs.existsSync(this.path)) return null;
      content = this.fs.readFileSync(this.path, 'utf8');
    } catch (cause) {
      throw new KafkaStorageError(`reading the quorum state ${this.path} failed: ${messageOf(cause)}`, { cause });
    }
    return parseQuorumState(content, this.path);
  }

  write(state: QuorumStateData): void {
    // A state no replica may hold is a bug of the caller, not a disk failure: it is refused before any I/O.
    const content = new TextEncoder().encode(formatQuorumState(state));
    try {
      this.deleteIfExists(this.temporaryPath);
      const fd = this.fs.openSync(this.temporaryPath, OPEN_WRITE_CREATE_TRUNCATE);
      try {
        writeFully(this.fs, fd, content, 0);
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
      this.fs.renameSync(this.temporaryPath, this.path);
      fsyncDirectory(this.fs, path.dirname(this.path));
    } catch (cause) {
      this.deleteTemporaryAfterFailure();
      throw new KafkaStorageError(`writing the quorum state ${this.path} failed: ${messageOf(cause)}`, { cause });
    }
  }

  clear(): void {
    try {
      this.deleteIfExists(this.path);
      this.deleteIfExists(this.temporaryPath);
    } catch (cause) {
      throw new KafkaStorageError(`deleting the quorum state ${this.path} failed: ${messageOf(cause)}`, { cause });
    }
  }

  private deleteIfExists(filePath: string): void {
    if (this.fs.existsSync(filePath)) this.fs.unlinkSync(filePath);
  }

  /** Best effort: the write's own failure is what the caller needs to hear about, and the next write deletes it anyway. */
  private deleteTemporaryAfterFailure(): void {
    try {
      this.deleteIfExists(this.temporaryPath);
    } catch {
      // The next write starts by deleting it.
    }
  }
}

/** The state kept in memory (the memory log's "disk"): hand the same object to the replica after a simulated restart. */
export class MemoryQuorumStateStore implements QuorumStateStore {
  private state: QuorumStateData | null = null;

  read(): QuorumStateData | null {
    return this.state === null ? null : { ...this.state };
  }

  write(state: QuorumStateData): void {
    assertValidQuorumState(state);
    this.state = { ...state };
  }

  clear(): void {
    this.state = null;
  }
}
