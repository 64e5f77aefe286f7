/**
 * The high watermark checkpointed beside a partition's log (Kafka's replication-offset-checkpoint), for the file and the
 * memory log: none before the first write, the last one written after a restart, a crash included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogStore } from './file-log-store.js';
import type { LogStore } from './log.js';
import { MemoryLogStore } from './memory-log-store.js';
import { LONG_MAX_VALUE, makeTempDir, removeDir, testClock, testLogConfig } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const backends: Array<{ name: string; open(): { store: LogStore; crash(): LogStore } }> = [
  {
    name: 'file',
    open() {
      const dataDir = makeTempDir();
      dirs.push(dataDir);
      const clock = testClock();
      const open = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
      // A crash: the first store is never closed, a second one opens the same directory.
      return { store: open(), crash: open };
    },
  },
  {
    name: 'memory',
    open() {
      const store = new MemoryLogStore({ clock: testClock() });
      return { store, crash: () => store.reopen() };
    },
  },
];

describe.each(backends)('$name log: high watermark checkpoint', ({ open }) => {
  it('is null until written, and the last value written survives a crash', () => {
    const { store, crash } = open();
    const log = store.open('orders', 0, 'topic-id', testLogConfig());
    expect(log.checkpointedHighWatermark).toBeNull();
    log.checkpointHighWatermark(3);
    log.checkpointHighWatermark(7);
    expect(log.checkpointedHighWatermark).toBe(7);
    const reopened = crash().open('orders', 0, 'topic-id', testLogConfig());
    expect(reopened.checkpointedHighWatermark).toBe(7);
  });
});
