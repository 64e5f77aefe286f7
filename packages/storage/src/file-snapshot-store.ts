/**
 * Snapshots as files in a partition folder (the `__cluster_metadata-0` folder): see snapshot-store.ts for the names
 * and the write protocol (`.checkpoint.part`, fsync, rename, fsync the folder). Leftover `.part` files of a crash
 * are deleted when the store opens, as Kafka's KafkaMetadataLog deletes them at start.
 */
import path from 'node:path';
import { KafkaStorageError } from './errors.js';
import { fsyncDirectory, OPEN_READ_ONLY, OPEN_READ_WRITE_CREATE, readFully, writeFully, type StorageFs } from './storage-fs.js';
import {
  assertValidSnapshotId,
  boundedReadLength,
  compareSnapshotIds,
  parseSnapshotFileName,
  PARTIAL_SNAPSHOT_FILE_SUFFIX,
  snapshotFileName,
  SnapshotNotFoundError,
  type SnapshotId,
  type SnapshotStore,
  type SnapshotWriter,
} from './snapshot-store.js';

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export class FileSnapshotStore implements SnapshotStore {
  constructor(
    private readonly fs: StorageFs,
    readonly dir: string,
  ) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const name of fs.readdirSync(dir)) {
        if (name.endsWith(PARTIAL_SNAPSHOT_FILE_SUFFIX)) fs.unlinkSync(path.join(dir, name));
      }
    } catch (cause) {
      throw new KafkaStorageError(`opening the snapshots of ${dir} failed: ${messageOf(cause)}`, { cause });
    }
  }

  list(): SnapshotId[] {
    const ids: SnapshotId[] = [];
    for (const name of this.fs.readdirSync(this.dir)) {
      const id = parseSnapshotFileName(name);
      if (id !== null) ids.push(id);
    }
    return ids.sort(compareSnapshotIds);
  }

  latest(): SnapshotId | undefined {
    return this.list().at(-1);
  }

  sizeBytes(id: SnapshotId): number {
    return this.withFile(id, (fd) => this.fs.fstatSync(fd).size);
  }

  read(id: SnapshotId, position: number, maxBytes: number): Uint8Array {
    return this.withFile(id, (fd) => {
      const length = boundedReadLength(id, this.fs.fstatSync(fd).size, position, maxBytes);
      return length === 0 ? new Uint8Array(0) : readFully(this.fs, fd, position, length);
    });
  }

  createWriter(id: SnapshotId): SnapshotWriter {
    assertValidSnapshotId(id);
    const { fs } = this;
    const finalPath = path.join(this.dir, snapshotFileName(id));
    const partPath = finalPath.slice(0, -'.checkpoint'.length) + PARTIAL_SNAPSHOT_FILE_SUFFIX;
    if (fs.existsSync(partPath)) fs.unlinkSync(partPath);
    const fd = fs.openSync(partPath, OPEN_READ_WRITE_CREATE);
    let size = 0;
    let open = true;
    const close = () => {
      if (open) fs.closeSync(fd);
      open = false;
    };
    const failed = (operation: string, cause: unknown) => {
      close();
      if (fs.existsSync(partPath)) fs.unlinkSync(partPath);
      return new KafkaStorageError(`${operation} snapshot ${finalPath} failed: ${messageOf(cause)}`, { cause });
    };
    return {
      id,
      get sizeBytes() {
        return size;
      },
      append: (bytes) => {
        if (!open) throw new Error(`snapshot writer ${finalPath} is closed`);
        try {
          writeFully(fs, fd, bytes, size);
        } catch (cause) {
          throw failed('writing', cause);
        }
        size += bytes.length;
      },
      freeze: () => {
        if (!open) throw new Error(`snapshot writer ${finalPath} is closed`);
        try {
          fs.fsyncSync(fd);
          close();
          fs.renameSync(partPath, finalPath);
          fsyncDirectory(fs, this.dir);
        } catch (cause) {
          throw failed('freezing', cause);
        }
      },
      abort: () => {
        close();
        if (fs.existsSync(partPath)) fs.unlinkSync(partPath);
      },
    };
  }

  deleteBefore(id: SnapshotId): number {
    const older = this.list().filter((stored) => compareSnapshotIds(stored, id) < 0);
    try {
      for (const stored of older) this.fs.unlinkSync(path.join(this.dir, snapshotFileName(stored)));
      if (older.length > 0) fsyncDirectory(this.fs, this.dir);
    } catch (cause) {
      throw new KafkaStorageError(`deleting snapshots before ${snapshotFileName(id)} in ${this.dir} failed: ${messageOf(cause)}`, { cause });
    }
    return older.length;
  }

  private withFile<T>(id: SnapshotId, use: (fd: number) => T): T {
    const filePath = path.join(this.dir, snapshotFileName(id));
    if (!this.fs.existsSync(filePath)) throw new SnapshotNotFoundError(id);
    const fd = this.fs.openSync(filePath, OPEN_READ_ONLY);
    try {
      return use(fd);
    } finally {
      this.fs.closeSync(fd);
    }
  }
}
