/**
 * A log directory on a full disk (ENOSPC injected through the storage port): loading must not need to write.
 * What loading would write (a recovery checkpoint, a rebuilt index) is skipped with a warning; the log opens,
 * serves reads, refuses appends with KafkaStorageError while the disk is full and takes them again once there
 * is space, as it does when the disk fills while it runs.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from './errors.js';
import { FileLogStore } from './file-log-store.js';
import type { FileLog } from './file-log.js';
import { offsetsOf, readAll } from './log-compliance.js';
import type { StorageLogger } from './storage-logger.js';
import { diskThatFills, LONG_MAX_VALUE, makeTempDir, producerBatch, removeDir, testClock, testLogConfig } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function recordingLogger(): StorageLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (_fields, message) => warnings.push(message) };
}

function setup() {
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const fs = diskThatFills();
  const logger = recordingLogger();
  const clock = testClock();
  const openStore = () => new FileLogStore(dataDir, { clock, fs, logger, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
  const file = (name: string) => path.join(dataDir, 'orders-0', name);
  return { dataDir, fs, logger, openStore, file };
}

function appendValues(log: FileLog, values: readonly string[]): void {
  for (const value of values) log.append(producerBatch([value]), { leaderEpoch: 1, recordCount: 1 });
}

const append = (log: FileLog, value: string) => log.append(producerBatch([value]), { leaderEpoch: 2, recordCount: 1 });

describe('FileLog on a full disk', () => {
  it('a log that must be recovered still opens: reads served, appends refused until there is space, then taken', () => {
    const { fs, logger, openStore, file } = setup();
    const config = testLogConfig();
    // A crash (nothing closed, no clean-shutdown marker): the next open recovers the log, and would checkpoint it.
    appendValues(openStore().open('orders', 0, 'topic-id', config), ['a', 'b', 'c']);
    fs.full = true;

    const store = openStore();
    expect(store.wasCleanShutdown).toBe(false);
    const log = store.open('orders', 0, 'topic-id', config);
    expect(readAll(log)).toEqual(['a', 'b', 'c']);
    // Not checkpointed: the next start checks the log again; no half-written checkpoint is left behind.
    expect(log.recoveryPoint).toBe(0);
    expect(nodeFs.readdirSync(path.dirname(file('x'))).filter((name) => name.startsWith('recovery-point'))).toEqual([]);
    expect(logger.warnings).toContain('could not checkpoint the recovered log (a full disk?): it opens for reads, and the next start recovers it again');
    expect(() => append(log, 'd')).toThrow(KafkaStorageError);
    expect(() => append(log, 'd')).toThrow(/ENOSPC/);
    expect(log.logEndOffset).toBe(3);

    fs.full = false;
    expect(append(log, 'd').baseOffset).toBe(3);
    expect(readAll(log)).toEqual(['a', 'b', 'c', 'd']);
    store.close();

    const reopened = openStore();
    expect(reopened.wasCleanShutdown).toBe(true);
    expect(readAll(reopened.open('orders', 0, 'topic-id', config))).toEqual(['a', 'b', 'c', 'd']);
    reopened.close();
  });

  it('an index rebuilt on a full disk serves from memory, and is written at the next load with space', () => {
    const { fs, logger, openStore, file } = setup();
    const config = testLogConfig({ indexIntervalBytes: 100 });
    const first = openStore();
    appendValues(first.open('orders', 0, 'topic-id', config), Array.from({ length: 30 }, (_, i) => `v${i}`));
    first.close();
    const index = nodeFs.readFileSync(file('00000000000000000000.index'));
    expect(index.length).toBeGreaterThan(0);
    nodeFs.rmSync(file('00000000000000000000.index'));
    fs.full = true;

    const store = openStore();
    const log = store.open('orders', 0, 'topic-id', config);
    expect(logger.warnings).toContain('could not write a rebuilt offset index: it serves from memory and is rebuilt at the next start');
    expect(nodeFs.existsSync(file('00000000000000000000.index'))).toBe(false);
    for (let offset = 0; offset < 30; offset++) expect(offsetsOf(log.read(offset, 1, 30).records)).toEqual([offset]);
    store.close(); // flushed: the marker is written (it holds no data) and the logs are trusted

    fs.full = false;
    const reopened = openStore();
    expect(reopened.wasCleanShutdown).toBe(true);
    const again = reopened.open('orders', 0, 'topic-id', config);
    expect(nodeFs.readFileSync(file('00000000000000000000.index'))).toEqual(index);
    expect(readAll(again)).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`));
    reopened.close();
  });

  it('a disk that fills between a batch and its index entry: the append stands, the index file stays correct', () => {
    const { fs, openStore, file } = setup();
    const config = testLogConfig({ indexIntervalBytes: 1 });
    const store = openStore();
    const log = store.open('orders', 0, 'topic-id', config);
    appendValues(log, ['v0', 'v1']);
    // Full exactly between v2's bytes and its index entry: the entry is kept in memory, the file gets no more.
    let writes = 0;
    const originalWrite = fs.writeSync;
    fs.writeSync = (...args) => {
      writes += 1;
      if (writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return originalWrite(...args);
    };
    appendValues(log, ['v2', 'v3', 'v4']);
    fs.writeSync = originalWrite;
    expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    store.close();
    const reopened = openStore();
    const again = reopened.open('orders', 0, 'topic-id', config);
    expect(nodeFs.statSync(file('00000000000000000000.index')).size % 8).toBe(0);
    for (let offset = 0; offset < 5; offset++) expect(offsetsOf(again.read(offset, 1, 5).records)).toEqual([offset]);
    reopened.close();
  });
});
