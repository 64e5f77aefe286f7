/**
 * A file log's truncation (a follower cutting a diverged tail) is on disk when `truncateTo` returns: a
 * restart, clean or not, finds the truncated log, with the later segments' files gone and the cut
 * segment's index consistent. On a full disk the truncation is refused before anything changes.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from './errors.js';
import { FileLogStore } from './file-log-store.js';
import { readAll } from './log-compliance.js';
import { concatBatches, countingFs, diskThatFills, leaderBatch, LONG_MAX_VALUE, makeTempDir, producerBatch, removeDir, testClock, testLogConfig } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function setup() {
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const fs = diskThatFills();
  const clock = testClock();
  const batchBytes = producerBatch(['v0']).length;
  // Three batches a segment and an index entry for every batch after the first, so the index is cut too.
  const config = testLogConfig({ segmentBytes: batchBytes * 3, indexIntervalBytes: 1 });
  const openStore = () => new FileLogStore(dataDir, { clock, fs, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
  const files = () => nodeFs.readdirSync(path.join(dataDir, 'orders-0')).sort();
  const fileSize = (name: string) => nodeFs.statSync(path.join(dataDir, 'orders-0', name)).size;
  return { fs, config, openStore, files, fileSize, batchBytes };
}

const values = (count: number, prefix = 'v') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('FileLog truncateTo on disk', () => {
  for (const clean of [false, true]) {
    it(`a ${clean ? 'clean' : 'crashed'} restart after truncating across segments finds the truncated log`, () => {
      const { config, openStore, files, fileSize, batchBytes } = setup();
      const store = openStore();
      const log = store.open('orders', 0, 'id', config);
      for (const value of values(8)) log.append(producerBatch([value]), { leaderEpoch: 1, recordCount: 1 });
      expect(log.segmentBaseOffsets).toEqual([0, 3, 6]);
      log.truncateTo(5);
      expect(files().filter((name) => name.startsWith('00000000000000000006'))).toEqual([]);
      expect(fileSize('00000000000000000003.log')).toBe(batchBytes * 2);
      // The cut segment's index keeps the entry of its second batch only (the first batch gets none).
      expect(fileSize('00000000000000000003.index')).toBe(8);
      expect(log.recoveryPoint).toBe(5);
      if (clean) store.close();
      // A crash: the store is left as it is (no clean-shutdown marker), and the next one recovers.

      const reopened = openStore();
      expect(reopened.wasCleanShutdown).toBe(clean);
      const after = reopened.open('orders', 0, 'id', config);
      expect([after.logEndOffset, after.segmentBaseOffsets]).toEqual([5, [0, 3]]);
      expect(readAll(after)).toEqual(values(5));
      expect(after.append(producerBatch(['w5']), { leaderEpoch: 2, recordCount: 1 }).baseOffset).toBe(5);
      expect(readAll(after)).toEqual([...values(5), 'w5']);
      reopened.close();
    });
  }

  it('the leader-epoch cache is in leader-epoch-checkpoint across restarts, without the epochs of a tail a crash lost', () => {
    const { config, openStore, files } = setup();
    const first = openStore();
    const log = first.open('orders', 0, 'id', config);
    log.appendAsFollower(concatBatches(leaderBatch(['a'], 0, 0), leaderBatch(['b'], 1, 2), leaderBatch(['c'], 2, 4)), { recordCount: 3 });
    log.appendAsFollower(leaderBatch(['d'], 3, 6), { recordCount: 1 });
    expect(files()).toContain('leader-epoch-checkpoint');
    log.truncateTo(3);
    first.close();
    const epochsUpTo4 = [
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 1 },
      { epoch: 4, startOffset: 2 },
    ];
    const reopened = openStore().open('orders', 0, 'id', config);
    expect(reopened.leaderEpochCache.epochEntries).toEqual(epochsUpTo4);
    reopened.appendAsFollower(leaderBatch(['e'], 3, 7), { recordCount: 1 });
    expect(reopened.leaderEpochCache.latestEpoch).toBe(7);
    // Then a crash that loses the unflushed batch of epoch 7 (cut by hand, as a lost page cache would).
    expect(reopened.recoveryPoint).toBe(3);
    const activeLog = path.join(reopened.dir, '00000000000000000003.log');
    nodeFs.truncateSync(activeLog, 0);
    const afterCrash = openStore();
    expect(afterCrash.wasCleanShutdown).toBe(false);
    const third = afterCrash.open('orders', 0, 'id', config);
    expect(third.logEndOffset).toBe(3);
    expect(third.leaderEpochCache.epochEntries).toEqual(epochsUpTo4);
    afterCrash.close();
  });

  it('a garbled leader-epoch-checkpoint stops the log from opening with KafkaStorageError naming the file', () => {
    const { config, openStore } = setup();
    const store = openStore();
    const log = store.open('orders', 0, 'id', config);
    log.appendAsFollower(leaderBatch(['a'], 0, 3), { recordCount: 1 });
    store.close();
    nodeFs.writeFileSync(path.join(log.dir, 'leader-epoch-checkpoint'), '0\n2\n3 0\n');
    expect(() => openStore().open('orders', 0, 'id', config)).toThrow(KafkaStorageError);
    expect(() => openStore().open('orders', 0, 'id', config)).toThrow(/leader-epoch-checkpoint is malformed: expected 2 entries but found 1/);
  });

  it('fsyncs the cut segment and the folder before returning', () => {
    const { config, batchBytes } = setup();
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const fs = countingFs();
    const store = new FileLogStore(dataDir, { clock: testClock(), fs, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
    const log = store.open('orders', 0, 'id', config);
    for (const value of values(8)) log.append(producerBatch([value]), { leaderEpoch: 1, recordCount: 1 });
    const before = fs.fsyncs;
    log.truncateTo(4);
    // The recovery point (file and folder), the cut .log and .index, and the folder after deleting a segment.
    expect(fs.fsyncs - before).toBeGreaterThanOrEqual(4);
    expect(log.unflushedMessages).toBe(0);
    expect(log.sizeBytes).toBe(batchBytes * 4);
    store.close();
  });

  it('on a full disk the truncation is refused with KafkaStorageError and the log is unchanged', () => {
    const { fs, config, openStore, files } = setup();
    const store = openStore();
    const log = store.open('orders', 0, 'id', config);
    for (const value of values(8)) log.append(producerBatch([value]), { leaderEpoch: 1, recordCount: 1 });
    const before = files();
    fs.full = true;
    expect(() => log.truncateTo(2)).toThrow(KafkaStorageError);
    expect(log.logEndOffset).toBe(8);
    expect(files()).toEqual(before);
    fs.full = false;
    expect(readAll(log)).toEqual(values(8));
    expect(log.truncateTo(2)).toBe(true);
    expect(readAll(log)).toEqual(values(2));
    store.close();
  });
});
