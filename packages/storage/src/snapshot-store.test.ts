/**
 * KRaft snapshots beside the metadata log (KIP-630), for the file store and the memory store alike: Kafka's file
 * names, writes that are atomic (an unfrozen or crashed write leaves no snapshot under its name), bounded positional
 * reads, the latest and older-than queries, and survival across a restart of the store.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogStore } from './file-log-store.js';
import { MemoryLogStore } from './memory-log-store.js';
import { MAX_SNAPSHOT_READ_BYTES, parseSnapshotFileName, snapshotFileName, SnapshotNotFoundError, type SnapshotStore } from './snapshot-store.js';
import { LONG_MAX_VALUE, makeTempDir, removeDir, testClock } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const bytes = (...values: number[]) => new Uint8Array(values);

interface Backend {
  name: string;
  open(): { store: SnapshotStore; restart(): SnapshotStore; files?: () => string[] };
}

const backends: Backend[] = [
  {
    name: 'file',
    open() {
      const dataDir = makeTempDir();
      dirs.push(dataDir);
      const clock = testClock();
      const logStore = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
      return {
        store: logStore().snapshots('__cluster_metadata', 0),
        restart: () => logStore().snapshots('__cluster_metadata', 0),
        files: () => nodeFs.readdirSync(path.join(dataDir, '__cluster_metadata-0')).sort(),
      };
    },
  },
  {
    name: 'memory',
    open() {
      const logStore = new MemoryLogStore({ clock: testClock() });
      return { store: logStore.snapshots('__cluster_metadata', 0), restart: () => logStore.reopen().snapshots('__cluster_metadata', 0) };
    },
  },
];

describe('snapshot file names (Kafka: <endOffset 20 digits>-<epoch 10 digits>.checkpoint)', () => {
  it('formats and parses them, and refuses other names', () => {
    expect(snapshotFileName({ endOffset: 100, epoch: 1 })).toBe('00000000000000000100-0000000001.checkpoint');
    expect(parseSnapshotFileName('00000000000000000100-0000000001.checkpoint')).toEqual({ endOffset: 100, epoch: 1 });
    expect(parseSnapshotFileName('00000000000000000100-0000000001.checkpoint.part')).toBeNull();
    expect(parseSnapshotFileName('00000000000000000100.log')).toBeNull();
  });
});

for (const backend of backends) {
  describe(`${backend.name} snapshot store`, () => {
    it('a frozen snapshot is listed, sized and read in bounded chunks; it survives a restart', () => {
      const { store, restart } = backend.open();
      expect(store.latest()).toBeUndefined();
      const writer = store.createWriter({ endOffset: 10, epoch: 2 });
      writer.append(bytes(1, 2, 3));
      writer.append(bytes(4, 5));
      expect(writer.sizeBytes).toBe(5);
      // Not visible before it is frozen.
      expect(store.list()).toEqual([]);
      writer.freeze();
      expect(store.latest()).toEqual({ endOffset: 10, epoch: 2 });
      expect(store.sizeBytes({ endOffset: 10, epoch: 2 })).toBe(5);
      expect([...store.read({ endOffset: 10, epoch: 2 }, 1, 3)]).toEqual([2, 3, 4]);
      expect([...store.read({ endOffset: 10, epoch: 2 }, 3, 100)]).toEqual([4, 5]);
      expect(store.read({ endOffset: 10, epoch: 2 }, 5, 100).length).toBe(0);
      expect(() => store.read({ endOffset: 10, epoch: 2 }, 6, 1)).toThrow(RangeError);
      expect(() => store.read({ endOffset: 11, epoch: 2 }, 0, 1)).toThrow(SnapshotNotFoundError);
      const restarted = restart();
      expect(restarted.list()).toEqual([{ endOffset: 10, epoch: 2 }]);
      expect([...restarted.read({ endOffset: 10, epoch: 2 }, 0, 100)]).toEqual([1, 2, 3, 4, 5]);
    });

    it('an aborted or unfinished (crashed) write leaves no snapshot behind', () => {
      const { store, restart, files } = backend.open();
      const aborted = store.createWriter({ endOffset: 5, epoch: 1 });
      aborted.append(bytes(9));
      aborted.abort();
      const unfinished = store.createWriter({ endOffset: 7, epoch: 1 });
      unfinished.append(bytes(9, 9));
      expect(store.list()).toEqual([]);
      const restarted = restart();
      expect(restarted.list()).toEqual([]);
      // The file store deletes the crashed write's .part file when it opens.
      if (files !== undefined) expect(files().filter((name) => name.includes('checkpoint'))).toEqual([]);
    });

    it('lists oldest first, names the latest, and deletes those older than a given one', () => {
      const { store } = backend.open();
      for (const id of [{ endOffset: 20, epoch: 3 }, { endOffset: 10, epoch: 2 }, { endOffset: 20, epoch: 4 }]) {
        const writer = store.createWriter(id);
        writer.append(bytes(id.endOffset));
        writer.freeze();
      }
      expect(store.list()).toEqual([
        { endOffset: 10, epoch: 2 },
        { endOffset: 20, epoch: 3 },
        { endOffset: 20, epoch: 4 },
      ]);
      expect(store.latest()).toEqual({ endOffset: 20, epoch: 4 });
      expect(store.deleteBefore({ endOffset: 20, epoch: 4 })).toBe(2);
      expect(store.list()).toEqual([{ endOffset: 20, epoch: 4 }]);
    });

    it(`a read returns at most MAX_SNAPSHOT_READ_BYTES (${MAX_SNAPSHOT_READ_BYTES}) whatever maxBytes asks`, () => {
      const { store } = backend.open();
      const writer = store.createWriter({ endOffset: 1, epoch: 0 });
      writer.append(new Uint8Array(MAX_SNAPSHOT_READ_BYTES + 10));
      writer.freeze();
      expect(store.read({ endOffset: 1, epoch: 0 }, 0, 2 ** 31).length).toBe(MAX_SNAPSHOT_READ_BYTES);
      expect(store.read({ endOffset: 1, epoch: 0 }, MAX_SNAPSHOT_READ_BYTES, 2 ** 31).length).toBe(10);
    });
  });
}
