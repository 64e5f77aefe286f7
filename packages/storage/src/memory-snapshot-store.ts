/**
 * Snapshots in memory, for simulations: frozen snapshots live in a map the store's "disk" keeps (so a simulated
 * restart finds them), unfinished writers only in the process (a crash loses them, as it leaves a `.part` file that
 * the next open deletes). Same rules as the file store (snapshot-store.ts).
 */
import {
  assertValidSnapshotId,
  boundedReadLength,
  compareSnapshotIds,
  snapshotFileName,
  SnapshotNotFoundError,
  type SnapshotId,
  type SnapshotStore,
  type SnapshotWriter,
} from './snapshot-store.js';

/** Frozen snapshots by file name. */
export type MemorySnapshots = Map<string, { readonly id: SnapshotId; readonly bytes: Uint8Array }>;

export class MemorySnapshotStore implements SnapshotStore {
  constructor(readonly snapshots: MemorySnapshots = new Map()) {}

  list(): SnapshotId[] {
    return [...this.snapshots.values()].map(({ id }) => id).sort(compareSnapshotIds);
  }

  latest(): SnapshotId | undefined {
    return this.list().at(-1);
  }

  sizeBytes(id: SnapshotId): number {
    return this.get(id).length;
  }

  read(id: SnapshotId, position: number, maxBytes: number): Uint8Array {
    const bytes = this.get(id);
    const length = boundedReadLength(id, bytes.length, position, maxBytes);
    return bytes.slice(position, position + length);
  }

  createWriter(id: SnapshotId): SnapshotWriter {
    assertValidSnapshotId(id);
    const chunks: Uint8Array[] = [];
    let size = 0;
    let open = true;
    return {
      id,
      get sizeBytes() {
        return size;
      },
      append: (bytes) => {
        if (!open) throw new Error(`snapshot writer ${snapshotFileName(id)} is closed`);
        chunks.push(bytes.slice());
        size += bytes.length;
      },
      freeze: () => {
        if (!open) throw new Error(`snapshot writer ${snapshotFileName(id)} is closed`);
        open = false;
        const bytes = new Uint8Array(size);
        let position = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, position);
          position += chunk.length;
        }
        this.snapshots.set(snapshotFileName(id), { id, bytes });
      },
      abort: () => {
        open = false;
      },
    };
  }

  deleteBefore(id: SnapshotId): number {
    let deleted = 0;
    for (const [name, stored] of this.snapshots) {
      if (compareSnapshotIds(stored.id, id) < 0) {
        this.snapshots.delete(name);
        deleted++;
      }
    }
    return deleted;
  }

  private get(id: SnapshotId): Uint8Array {
    const stored = this.snapshots.get(snapshotFileName(id));
    if (stored === undefined) throw new SnapshotNotFoundError(id);
    return stored.bytes;
  }
}
