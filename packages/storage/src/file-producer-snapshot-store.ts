/**
 * Producer-state snapshots as `<offset, 20 digits>.snapshot` files in a partition's folder (see producer-snapshot.ts),
 * each written atomically (temporary file, fsync, rename, fsync the folder) so that a crash never leaves half a
 * snapshot under a snapshot's name; the recovery at open deletes a leftover temporary file.
 */
import path from 'node:path';
import { writeFileAtomically } from './checkpoint-files.js';
import { KafkaStorageError } from './errors.js';
import { parseSegmentFileName, segmentFileName } from './file-names.js';
import {
  decodeProducerSnapshot,
  encodeProducerSnapshot,
  PRODUCER_SNAPSHOT_FILE_SUFFIX,
  type ProducerStateSnapshot,
  type ProducerStateSnapshotStore,
} from './producer-snapshot.js';
import { fsyncDirectory, type StorageFs } from './storage-fs.js';

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export class FileProducerStateSnapshotStore implements ProducerStateSnapshotStore {
  constructor(
    private readonly fs: StorageFs,
    readonly dir: string,
  ) {}

  offsets(): number[] {
    const offsets: number[] = [];
    for (const name of this.fs.readdirSync(this.dir)) {
      const offset = parseSegmentFileName(name, PRODUCER_SNAPSHOT_FILE_SUFFIX);
      if (offset !== null) offsets.push(offset);
    }
    return offsets.sort((a, b) => a - b);
  }

  read(offset: number): ProducerStateSnapshot | undefined {
    const filePath = this.pathOf(offset);
    if (!this.fs.existsSync(filePath)) return undefined;
    const snapshot = decodeProducerSnapshot(this.fs.readFileSync(filePath, 'utf8'));
    return snapshot?.offset === offset ? snapshot : undefined;
  }

  write(snapshot: ProducerStateSnapshot): void {
    try {
      writeFileAtomically(this.fs, this.pathOf(snapshot.offset), encodeProducerSnapshot(snapshot));
    } catch (cause) {
      throw new KafkaStorageError(`writing the producer snapshot ${this.pathOf(snapshot.offset)} failed: ${messageOf(cause)}`, { cause });
    }
  }

  delete(offset: number): void {
    const filePath = this.pathOf(offset);
    try {
      if (!this.fs.existsSync(filePath)) return;
      this.fs.unlinkSync(filePath);
      fsyncDirectory(this.fs, this.dir);
    } catch (cause) {
      throw new KafkaStorageError(`deleting the producer snapshot ${filePath} failed: ${messageOf(cause)}`, { cause });
    }
  }

  private pathOf(offset: number): string {
    return path.join(this.dir, segmentFileName(offset, PRODUCER_SNAPSHOT_FILE_SUFFIX));
  }
}
