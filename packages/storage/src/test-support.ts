/**
 * Helpers for the storage tests (not exported from the package): a manual clock, log configs, batch
 * builders, temporary directories and an fs wrapper that counts fsyncs.
 */
import * as os from 'node:os';
import path from 'node:path';
import * as nodeFs from 'node:fs';
import { encodeRecordBatch } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import type { LogConfig } from './log.js';
import { systemFs, type StorageFs } from './storage-fs.js';

/** Kafka's Long.MAX_VALUE as a JavaScript number: the "never" of flush.messages and flush.ms. */
export const LONG_MAX_VALUE = 2 ** 63;

/** Kafka's defaults, except where a test overrides them. */
export function testLogConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return {
    segmentBytes: 1_073_741_824,
    segmentMs: 604_800_000,
    indexIntervalBytes: 4096,
    segmentIndexBytes: 10_485_760,
    flushMessages: LONG_MAX_VALUE,
    flushMs: LONG_MAX_VALUE,
    maxMessageBytes: 1_048_588,
    ...overrides,
  };
}

/** The simulated clock of the storage tests: the runtime's, starting at a realistic epoch time. */
export function testClock(): SimulatedClock {
  return new SimulatedClock({ startMs: 1_700_000_000_000 });
}

const encoder = new TextEncoder();

/** A producer batch (baseOffset 0, leader epoch -1) of one record per value. */
export function producerBatch(values: readonly string[], timestampMs = 1_700_000_000_000): Uint8Array {
  return encodeRecordBatch({
    records: values.map((value, i) => ({ key: null, value: encoder.encode(value), timestamp: timestampMs + i })),
  });
}

/** A batch as a leader stored it: one record per value, at `baseOffset`, stamped with `leaderEpoch`. */
export function leaderBatch(values: readonly string[], baseOffset: number, leaderEpoch: number): Uint8Array {
  return encodeRecordBatch({
    baseOffset,
    partitionLeaderEpoch: leaderEpoch,
    records: values.map((value, i) => ({ key: null, value: encoder.encode(value), timestamp: 1_700_000_000_000 + i })),
  });
}

/** Concatenated batches, as a fetch response carries them. */
export function concatBatches(...batches: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(batches.reduce((sum, batch) => sum + batch.length, 0));
  let position = 0;
  for (const batch of batches) {
    joined.set(batch, position);
    position += batch.length;
  }
  return joined;
}

/** A producer batch of `count` records with values of `valueBytes` bytes each. */
export function sizedBatch(count: number, valueBytes: number, seed = 0): Uint8Array {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: null,
      value: new Uint8Array(valueBytes).fill((seed + i) & 0xff),
      timestamp: 1_700_000_000_000 + i,
    })),
  });
}

export function makeTempDir(prefix = 'kactor-storage-'): string {
  return nodeFs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  nodeFs.rmSync(dir, { recursive: true, force: true });
}

/** `node:fs` with counters, and a hook to fail writes on demand. */
/** `node:fs` on a disk that can be made full: then every write of data fails with ENOSPC (as write(2) does). */
export function diskThatFills(): StorageFs & { full: boolean } {
  const fs = {
    ...systemFs,
    full: false,
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
      if (fs.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return systemFs.writeSync(fd, buffer, offset, length, position);
    },
  };
  return fs;
}

export interface CountingFs extends StorageFs {
  fsyncs: number;
  /** When set, the next `writeSync` writes this many bytes, then throws ENOSPC. */
  failNextWriteAfterBytes: number | null;
}

export function countingFs(): CountingFs {
  const fs: CountingFs = {
    ...systemFs,
    fsyncs: 0,
    failNextWriteAfterBytes: null,
    fsyncSync(fd: number): void {
      fs.fsyncs++;
      systemFs.fsyncSync(fd);
    },
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
      const failAfter = fs.failNextWriteAfterBytes;
      if (failAfter === null) return systemFs.writeSync(fd, buffer, offset, length, position);
      fs.failNextWriteAfterBytes = null;
      systemFs.writeSync(fd, buffer, offset, Math.min(failAfter, length), position);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
  return fs;
}
