/**
 * Moving a log's start up (what a KRaft node does once a snapshot covers the records below it, KIP-630) and starting
 * a log over at an offset (a replica installing a snapshot fetched from its leader), for the file and the memory log:
 * reads below the start are out of range, whole segments below it go, the start survives a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogStore } from './file-log-store.js';
import { OffsetOutOfRangeError, type LogStore } from './log.js';
import { readAll } from './log-compliance.js';
import { MemoryLogStore } from './memory-log-store.js';
import { leaderBatch, LONG_MAX_VALUE, makeTempDir, producerBatch, removeDir, testClock, testLogConfig } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const batchBytes = producerBatch(['v0']).length;
// Two one-record batches a segment.
const config = testLogConfig({ segmentBytes: batchBytes * 2 });

const backends: Array<{ name: string; open(): { store: LogStore; restart(): LogStore } }> = [
  {
    name: 'file',
    open() {
      const dataDir = makeTempDir();
      dirs.push(dataDir);
      const clock = testClock();
      const open = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
      const store = open();
      return { store, restart: () => (store.close(), open()) };
    },
  },
  {
    name: 'memory',
    open() {
      const store = new MemoryLogStore({ clock: testClock() });
      return { store, restart: () => store.reopen() };
    },
  },
];

for (const backend of backends) {
  describe(`${backend.name} log start offset`, () => {
    it('advanceLogStartOffset moves the start, deletes the whole segments below it, and survives a restart', () => {
      const { store, restart } = backend.open();
      const log = store.open('__cluster_metadata', 0, 'id', config);
      for (let i = 0; i < 6; i++) log.append(producerBatch([`v${i}`]), { leaderEpoch: i < 3 ? 1 : 2, recordCount: 1 });
      log.leaderEpochCache.assign(1, 0);
      log.leaderEpochCache.assign(2, 3);
      expect(log.segmentCount).toBe(3);
      expect(log.advanceLogStartOffset(3)).toBe(true);
      expect(log.logStartOffset).toBe(3);
      // Segments [0, 2) went; [2, 4) holds the start and stays.
      expect(log.segmentCount).toBe(2);
      expect(() => log.read(2, 1000, 6)).toThrow(OffsetOutOfRangeError);
      expect(readAll(log, 3)).toEqual(['v3', 'v4', 'v5']);
      expect(log.leaderEpochCache.epochEntries).toEqual([{ epoch: 2, startOffset: 3 }]);
      expect(log.advanceLogStartOffset(2)).toBe(false);
      expect(() => log.advanceLogStartOffset(7)).toThrow(RangeError);
      const reopened = restart().open('__cluster_metadata', 0, 'id', config);
      expect(reopened.logStartOffset).toBe(3);
      expect(reopened.logEndOffset).toBe(6);
    });

    it('truncateFullyAndStartAt empties the log at an offset, clears the epochs, and the follower appends from there', () => {
      const { store, restart } = backend.open();
      const log = store.open('__cluster_metadata', 0, 'id', config);
      for (let i = 0; i < 3; i++) log.append(producerBatch([`v${i}`]), { leaderEpoch: 1, recordCount: 1 });
      log.leaderEpochCache.assign(1, 0);
      log.truncateFullyAndStartAt(10);
      expect([log.logStartOffset, log.logEndOffset]).toEqual([10, 10]);
      expect(log.leaderEpochCache.epochEntries).toEqual([]);
      log.appendAsFollower(leaderBatch(['a', 'b'], 10, 4), { recordCount: 2 });
      log.flush();
      expect(log.leaderEpochCache.epochEntries).toEqual([{ epoch: 4, startOffset: 10 }]);
      const reopened = restart().open('__cluster_metadata', 0, 'id', config);
      expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([10, 12]);
      expect(readAll(reopened, 10)).toEqual(['a', 'b']);
    });
  });
}
