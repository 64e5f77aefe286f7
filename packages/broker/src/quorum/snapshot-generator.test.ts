import { createLogger, SimulatedClock } from '@kactor/runtime';
import { MemorySnapshotStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { stateFromSnapshot } from '../controller/metadata-state.js';
import { clusterOf } from '../controller/test-fixtures.js';
import { decodeMetadataSnapshot, readSnapshotBytes } from './metadata-snapshot-file.js';
import { MetadataSnapshotGenerator, snapshotDue } from './snapshot-generator.js';

const limits = { maxBytesBetweenSnapshots: 1_000, maxIntervalMs: 60_000 };

describe('snapshotDue (Kafka SnapshotGenerator)', () => {
  it('is due past the byte threshold, or past the interval with records committed since; never without new records', () => {
    expect(snapshotDue({ bytesSinceLastSnapshot: 1_000, lastSnapshotMs: 0, nowMs: 1 }, limits)).toBe('bytes');
    expect(snapshotDue({ bytesSinceLastSnapshot: 999, lastSnapshotMs: 0, nowMs: 59_999 }, limits)).toBeUndefined();
    expect(snapshotDue({ bytesSinceLastSnapshot: 1, lastSnapshotMs: 0, nowMs: 60_000 }, limits)).toBe('interval');
    expect(snapshotDue({ bytesSinceLastSnapshot: 0, lastSnapshotMs: 0, nowMs: 600_000 }, limits)).toBeUndefined();
    expect(snapshotDue({ bytesSinceLastSnapshot: 1, lastSnapshotMs: 0, nowMs: 600_000 }, { ...limits, maxIntervalMs: 0 })).toBeUndefined();
  });
});

describe('MetadataSnapshotGenerator', () => {
  it('writes <endOffset>-<epoch> of the committed state once the bytes are reached, deletes the older one, and says so', () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const store = new MemorySnapshotStore();
    const written: unknown[] = [];
    const generator = new MetadataSnapshotGenerator({ limits, store, clock, logger: createLogger({ clock }), epochAt: (offset) => (offset < 10 ? 1 : 2), onSnapshot: (id) => written.push(id) });
    const state = clusterOf([0, 1]);
    expect(generator.committed(600, () => ({ state, endOffset: 4 }))).toBeUndefined();
    expect(generator.committed(400, () => ({ state, endOffset: 4 }))).toEqual({ endOffset: 4, epoch: 1 });
    expect(store.list()).toEqual([{ endOffset: 4, epoch: 1 }]);
    const loaded = decodeMetadataSnapshot(readSnapshotBytes(store, { endOffset: 4, epoch: 1 }));
    expect(stateFromSnapshot(state.clusterId, loaded.records, 4)).toEqual({ ...state, metadataOffset: 3 });
    // The count starts again: 999 more bytes are not enough, the 1000th is.
    expect(generator.committed(999, () => ({ state, endOffset: 12 }))).toBeUndefined();
    expect(generator.committed(1, () => ({ state, endOffset: 12 }))).toEqual({ endOffset: 12, epoch: 2 });
    expect(store.list()).toEqual([{ endOffset: 12, epoch: 2 }]);
    expect(written).toEqual([{ endOffset: 4, epoch: 1 }, { endOffset: 12, epoch: 2 }]);
  });

  it('writes after metadata.log.max.snapshot.interval.ms when records were committed since', () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const store = new MemorySnapshotStore();
    const generator = new MetadataSnapshotGenerator({ limits, store, clock, logger: createLogger({ clock }), epochAt: () => 3 });
    const state = clusterOf([0]);
    expect(generator.committed(10, () => ({ state, endOffset: 2 }))).toBeUndefined();
    clock.advanceBy(60_000);
    expect(generator.committed(10, () => ({ state, endOffset: 3 }))).toEqual({ endOffset: 3, epoch: 3 });
  });
});
