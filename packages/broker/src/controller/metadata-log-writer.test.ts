import { parseConfig } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { KafkaStorageError, MemoryLogStore, type PartitionLog } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { encodeMetadataBatch, readMetadataRecords } from './metadata-log.js';
import { MetadataLogWriter } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';

const retryIntervalMs = 2_000;

/** A metadata log on a disk that can be made full: appends then throw KafkaStorageError, as FileLog's do. */
function setup(maxDeferredRecords = 100) {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const inner = new MemoryLogStore({ clock }).open('__cluster_metadata', 0, 'metadata-topic-id', parseConfig('topic', {}));
  const disk = { full: false };
  const log = new Proxy(inner, {
    get(target, property) {
      if (property === 'append') {
        return (...args: Parameters<PartitionLog['append']>) => {
          if (disk.full) throw new KafkaStorageError('append on __cluster_metadata-0 failed: ENOSPC: no space left on device, write');
          return target.append(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const writer = new MetadataLogWriter(log, { clock, logger: createLogger({ clock, level: 'silent' }), retryIntervalMs, maxDeferredRecords });
  return { clock, disk, inner, writer };
}

const fence = (brokerId: number): MetadataRecord[] => [{ type: 'FenceBroker', brokerId, brokerEpoch: 0 }];
const batchOf = (records: MetadataRecord[]) => [encodeMetadataBatch(records, 0), { leaderEpoch: 0, recordCount: records.length }] as const;

describe('MetadataLogWriter', () => {
  it('defers lifecycle records on a full disk with the offsets they will have, refuses strict appends meanwhile, and writes them in order once there is space', () => {
    const { disk, inner, writer } = setup();
    expect(writer.appendOrDefer(...batchOf(fence(1))).baseOffset).toBe(0);
    disk.full = true;
    expect(writer.appendOrDefer(...batchOf(fence(2))).baseOffset).toBe(1);
    expect(writer.appendOrDefer(...batchOf(fence(3))).baseOffset).toBe(2);
    expect(writer.logEndOffset).toBe(3);
    expect(inner.logEndOffset).toBe(1);
    expect(() => writer.append(...batchOf(fence(4)))).toThrow(KafkaStorageError);

    disk.full = false;
    // A strict append first writes what waits, so it never jumps ahead of it.
    expect(() => writer.append(...batchOf(fence(4)))).not.toThrow();
    expect(inner.logEndOffset).toBe(4);
    expect(writer.waitingRecords).toBe(0);
    expect(readMetadataRecords(inner).map(({ offset, record }) => [offset, record.type === 'FenceBroker' ? record.brokerId : -1])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
  });

  it('writes what waits at the next retry, on the injected clock, without a new append', async () => {
    const { clock, disk, inner, writer } = setup();
    disk.full = true;
    writer.appendOrDefer(...batchOf(fence(1)));
    await clock.advanceByAsync(retryIntervalMs);
    expect(inner.logEndOffset).toBe(0);
    disk.full = false;
    await clock.advanceByAsync(retryIntervalMs);
    expect(inner.logEndOffset).toBe(1);
    expect(writer.waitingRecords).toBe(0);
  });

  it('past maxDeferredRecords a lifecycle record is refused like a strict append', () => {
    const { disk, writer } = setup(2);
    disk.full = true;
    writer.appendOrDefer(...batchOf(fence(1)));
    writer.appendOrDefer(...batchOf(fence(2)));
    expect(() => writer.appendOrDefer(...batchOf(fence(3)))).toThrow(/more than 2 metadata records wait for disk space/);
    expect(writer.waitingRecords).toBe(2);
  });
});
