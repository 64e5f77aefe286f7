import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogStore } from './file-log-store.js';
import { MemoryLogStore } from './memory-log-store.js';
import { decodeProducerSnapshot, encodeProducerSnapshot, type ProducerStateSnapshot } from './producer-snapshot.js';
import { LONG_MAX_VALUE, makeTempDir, producerBatch, removeDir, testClock, testLogConfig } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const snapshot = (offset: number): ProducerStateSnapshot => ({
  offset,
  producers: [{ producerId: 7, producerEpoch: 1, coordinatorEpoch: 3, lastTimestampMs: 1_000, currentTxnFirstOffset: 4, batches: [{ firstSequence: 0, lastSequence: 2, firstOffset: 4, lastOffset: 6, timestampMs: 1_000 }] }],
  abortedTransactions: [{ producerId: 8, firstOffset: 0, lastOffset: 3, lastStableOffset: 4 }],
});

describe('producer snapshots (KIP-98, <offset>.snapshot)', () => {
  it('round-trip through their encoding; a changed byte, another version or a wrong shape reads as missing', () => {
    const encoded = encodeProducerSnapshot(snapshot(7));
    expect(decodeProducerSnapshot(encoded)).toEqual(snapshot(7));
    expect(decodeProducerSnapshot(encoded.replace('"producerId":7', '"producerId":9'))).toBeUndefined();
    expect(decodeProducerSnapshot('not a snapshot')).toBeUndefined();
    expect(decodeProducerSnapshot('')).toBeUndefined();
  });

  it('FileLog: written as <offset, 20 digits>.snapshot beside the segments, listed in offset order, kept over a restart, all deleted by truncateFullyAndStartAt', () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const clock = testClock();
    const open = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: LONG_MAX_VALUE });
    const store = open();
    const log = store.open('orders', 0, 'id', testLogConfig());
    log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
    log.producerSnapshots.write(snapshot(2));
    log.producerSnapshots.write(snapshot(1));
    expect(nodeFs.readdirSync(path.join(dataDir, 'orders-0')).filter((name) => name.endsWith('.snapshot'))).toEqual(['00000000000000000001.snapshot', '00000000000000000002.snapshot']);
    store.close();
    const reopened = open().open('orders', 0, 'id', testLogConfig());
    expect(reopened.producerSnapshots.offsets()).toEqual([1, 2]);
    expect(reopened.producerSnapshots.read(2)).toEqual(snapshot(2));
    reopened.producerSnapshots.delete(1);
    expect(reopened.producerSnapshots.offsets()).toEqual([2]);
    reopened.truncateFullyAndStartAt(10);
    expect(reopened.producerSnapshots.offsets()).toEqual([]);
  });

  it('MemoryLog: kept on the simulated disk over a restart, deleted by truncateFullyAndStartAt', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    const log = store.open('orders', 0, 'id', testLogConfig());
    log.producerSnapshots.write(snapshot(0));
    store.close();
    const reopened = new MemoryLogStore({ clock }, store.disk).open('orders', 0, 'id', testLogConfig());
    expect(reopened.producerSnapshots.read(0)).toEqual(snapshot(0));
    reopened.truncateFullyAndStartAt(5);
    expect(reopened.producerSnapshots.offsets()).toEqual([]);
  });
});
