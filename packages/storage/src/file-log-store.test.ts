import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from './errors.js';
import { FileLogStore } from './file-log-store.js';
import { readAll } from './log-compliance.js';
import { countingFs, testClock, makeTempDir, producerBatch, removeDir, testLogConfig } from './test-support.js';

const NEVER = 2 ** 63;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function tempDataDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}

const config = testLogConfig();

describe('FileLogStore', () => {
  it('writes the clean-shutdown marker on close and consumes it at the next open', () => {
    const dataDir = tempDataDir();
    const clock = testClock();
    const first = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(first.wasCleanShutdown).toBe(false);
    first.close();
    const marker = path.join(dataDir, '.kafka_cleanshutdown');
    expect(nodeFs.existsSync(marker)).toBe(true);
    const second = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(second.wasCleanShutdown).toBe(true);
    expect(nodeFs.existsSync(marker)).toBe(false);
    // Dying now (no close) leaves no marker: the next open must recover.
    expect(new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER }).wasCleanShutdown).toBe(false);
  });

  it('lists partition folders, splitting on the last dash, with their topic ids', () => {
    const dataDir = tempDataDir();
    const clock = testClock();
    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    store.open('my-topic.v2', 12, 'id-1', config);
    store.open('__cluster_metadata', 0, 'id-meta', config);
    store.close();
    nodeFs.mkdirSync(path.join(dataDir, 'not-a-partition'));
    nodeFs.mkdirSync(path.join(dataDir, 'no_dash'));
    nodeFs.mkdirSync(path.join(dataDir, 'orders-7'));
    nodeFs.writeFileSync(path.join(dataDir, 'meta.properties'), 'node.id=0\n');

    const reopened = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(reopened.listLogs()).toEqual([
      { topic: '__cluster_metadata', partition: 0, topicId: 'id-meta' },
      { topic: 'my-topic.v2', partition: 12, topicId: 'id-1' },
      { topic: 'orders', partition: 7, topicId: null },
    ]);
  });

  it('keeps the metadata log like any other log across restarts', () => {
    const dataDir = tempDataDir();
    const clock = testClock();
    const first = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    first.open('__cluster_metadata', 0, 'meta', config).append(producerBatch(['register-broker-0']), { leaderEpoch: 0, recordCount: 1 });
    first.close();
    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(readAll(store.open('__cluster_metadata', 0, 'meta', config))).toEqual(['register-broker-0']);
    store.close();
  });

  it('replaces the folder of a deleted-and-recreated topic (another topic id) with an empty log', () => {
    const dataDir = tempDataDir();
    const clock = testClock();
    const first = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    first.open('orders', 0, 'old-id', config).append(producerBatch(['stale']), { leaderEpoch: 0, recordCount: 1 });
    first.close();

    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(store.listLogs()).toEqual([{ topic: 'orders', partition: 0, topicId: 'old-id' }]);
    const log = store.open('orders', 0, 'new-id', config);
    expect(log.logEndOffset).toBe(0);
    expect(nodeFs.readFileSync(path.join(dataDir, 'orders-0', 'partition.metadata'), 'utf8')).toBe('version: 0\ntopic_id: new-id\n');
    log.append(producerBatch(['fresh']), { leaderEpoch: 0, recordCount: 1 });
    expect(readAll(log)).toEqual(['fresh']);
    store.close();
  });

  it('returns the open log when opened again with the same topic id, applying the new config', () => {
    const store = new FileLogStore(tempDataDir(), { clock: testClock(), logFlushSchedulerIntervalMs: NEVER });
    const log = store.open('orders', 0, 'id', config);
    const again = store.open('orders', 0, 'id', testLogConfig({ segmentBytes: 1000 }));
    expect(again).toBe(log);
    expect(again.config.segmentBytes).toBe(1000);
    store.close();
  });

  it('removes the folder of a deleted log', () => {
    const dataDir = tempDataDir();
    const store = new FileLogStore(dataDir, { clock: testClock(), logFlushSchedulerIntervalMs: NEVER });
    store.open('orders', 0, 'id', config).delete();
    expect(nodeFs.existsSync(path.join(dataDir, 'orders-0'))).toBe(false);
    expect(store.get('orders', 0)).toBeUndefined();
    store.close();
  });

  it('fsyncs when flush.messages unflushed messages accumulate', () => {
    const fs = countingFs();
    const store = new FileLogStore(tempDataDir(), { clock: testClock(), logFlushSchedulerIntervalMs: NEVER, fs });
    const log = store.open('orders', 0, 'id', testLogConfig({ flushMessages: 3 }));
    const before = fs.fsyncs;
    log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
    expect(fs.fsyncs).toBe(before);
    log.append(producerBatch(['c']), { leaderEpoch: 0, recordCount: 1 });
    expect(fs.fsyncs).toBeGreaterThan(before);
    expect(log.unflushedMessages).toBe(0);
    expect(log.recoveryPoint).toBe(3);
    store.close();
  });

  it('does not fsync appends with the default flush settings', () => {
    const fs = countingFs();
    const store = new FileLogStore(tempDataDir(), { clock: testClock(), logFlushSchedulerIntervalMs: NEVER, fs });
    const log = store.open('orders', 0, 'id', config);
    const before = fs.fsyncs;
    for (let i = 0; i < 50; i++) log.append(producerBatch([`v${i}`]), { leaderEpoch: 0, recordCount: 1 });
    expect(fs.fsyncs).toBe(before);
    store.close();
  });

  it('fsyncs logs whose unflushed data is older than flush.ms, checked every log.flush.scheduler.interval.ms', () => {
    const fs = countingFs();
    const clock = testClock();
    const store = new FileLogStore(tempDataDir(), { clock, logFlushSchedulerIntervalMs: 1000, fs });
    const log = store.open('orders', 0, 'id', testLogConfig({ flushMs: 2500 }));
    log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
    const before = fs.fsyncs;
    clock.advanceBy(2000);
    expect(fs.fsyncs).toBe(before);
    clock.advanceBy(1000);
    expect(fs.fsyncs).toBeGreaterThan(before);
    expect(log.unflushedMessages).toBe(0);
    expect(log.lastFlushTimeMs).toBe(clock.now());
    store.close();
    expect(clock.pendingTimerCount).toBe(0);
  });

  it('arms no flush timer when log.flush.scheduler.interval.ms is Long.MAX_VALUE or beyond what a timer can wait', () => {
    const clock = testClock();
    const never = new FileLogStore(tempDataDir(), { clock, logFlushSchedulerIntervalMs: NEVER });
    const tooLong = new FileLogStore(tempDataDir(), { clock, logFlushSchedulerIntervalMs: 2 ** 31 });
    expect(clock.pendingTimerCount).toBe(0);
    never.close();
    tooLong.close();
  });

  it('reports a failed write as KafkaStorageError and leaves no partial batch behind', () => {
    const dataDir = tempDataDir();
    const fs = countingFs();
    const clock = testClock();
    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER, fs });
    const log = store.open('orders', 0, 'id', config);
    log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
    const sizeBefore = log.sizeBytes;
    fs.failNextWriteAfterBytes = 20;
    expect(() => log.append(producerBatch(['b']), { leaderEpoch: 0, recordCount: 1 })).toThrow(KafkaStorageError);
    expect(log.logEndOffset).toBe(1);
    expect(nodeFs.statSync(path.join(dataDir, 'orders-0', '00000000000000000000.log')).size).toBe(sizeBefore);
    expect(log.append(producerBatch(['c']), { leaderEpoch: 0, recordCount: 1 }).baseOffset).toBe(1);
    store.close();
    const reopened = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
    expect(readAll(reopened.open('orders', 0, 'id', config))).toEqual(['a', 'c']);
    reopened.close();
  });

  it('summarises itself without file handles', () => {
    const dataDir = tempDataDir();
    const store = new FileLogStore(dataDir, { clock: testClock(), logFlushSchedulerIntervalMs: NEVER });
    store.open('orders', 0, 'id', config);
    expect(JSON.parse(JSON.stringify(store))).toEqual({ dataDir, openLogs: 1, wasCleanShutdown: false });
    store.close();
  });
});
