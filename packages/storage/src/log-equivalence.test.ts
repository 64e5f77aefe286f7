/**
 * Differential test: the same random operations on a FileLog and a MemoryLog must give the same
 * observable results (offsets, read bytes, segment counts, flush bookkeeping), including across clean
 * and unclean restarts, follower appends and truncations (with the leader-epoch cache). This is what lets the simulator stand in for the disk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setBaseOffset, setPartitionLeaderEpoch } from '@kactor/protocol';
import { FileLogStore } from './file-log-store.js';
import type { LogStore, PartitionLog } from './log.js';
import { MemoryLogStore } from './memory-log-store.js';
import { testClock, makeTempDir, removeDir, sizedBatch, testLogConfig } from './test-support.js';
import type { SimulatedClock } from '@kactor/runtime';

type Operation =
  | { kind: 'append'; count: number; valueBytes: number }
  | { kind: 'read'; offsetFraction: number; maxBytes: number; highWatermarkFraction: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'flush' }
  | { kind: 'restart'; clean: boolean }
  | { kind: 'truncate'; offsetFraction: number }
  | { kind: 'followerAppend'; count: number; valueBytes: number; leaderEpoch: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 4 }), valueBytes: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 120 })) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      maxBytes: fc.integer({ min: 1, max: 700 }),
      highWatermarkFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 1,
    // Boundary values around segment.ms (3000) as well as arbitrary moves.
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.constantFrom(1, 2999, 3000, 3001), fc.integer({ min: 0, max: 2000 })) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), clean: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 2,
    // Epochs that sometimes go back, so the cache drops entries as Kafka's does.
    arbitrary: fc.record({
      kind: fc.constant('followerAppend' as const),
      count: fc.integer({ min: 1, max: 4 }),
      valueBytes: fc.integer({ min: 0, max: 120 }),
      leaderEpoch: fc.integer({ min: 0, max: 6 }),
    }),
  },
);

// Small enough that every roll reason (size, age, full index) and the sparse index come into play.
const config = testLogConfig({ segmentBytes: 900, segmentMs: 3000, indexIntervalBytes: 50, segmentIndexBytes: 16, flushMessages: 7 });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

interface Side {
  store: LogStore;
  log: PartitionLog;
  restart(clean: boolean): void;
}

function fileSide(clock: SimulatedClock): Side {
  const dir = makeTempDir();
  dirs.push(dir);
  const open = () => new FileLogStore(dir, { clock, logFlushSchedulerIntervalMs: 2 ** 63 });
  const side: Side = {
    store: open(),
    log: undefined as unknown as PartitionLog,
    restart(clean) {
      if (clean) side.store.close();
      else side.log.close(); // the data reaches the files; the marker does not
      side.store = open();
      side.log = side.store.open('orders', 0, 'id', config);
    },
  };
  side.log = side.store.open('orders', 0, 'id', config);
  return side;
}

function memorySide(clock: SimulatedClock): Side {
  let store = new MemoryLogStore({ clock });
  const side: Side = {
    store,
    log: store.open('orders', 0, 'id', config),
    restart(clean) {
      if (clean) store.close();
      else side.log.flush(); // as the file side: its crash follows a close of the log
      store = store.reopen();
      side.store = store;
      side.log = store.open('orders', 0, 'id', config);
    },
  };
  return side;
}

function outcome(run: () => Uint8Array): string {
  try {
    return Buffer.from(run()).toString('hex');
  } catch (error) {
    return (error as Error).name;
  }
}

describe('FileLog and MemoryLog', () => {
  it('behave the same under random appends, follower appends, reads, truncations, clock moves, flushes and restarts', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), (operations) => {
        const clock = testClock();
        const file = fileSide(clock);
        const memory = memorySide(clock);
        let seed = 0;
        for (const op of operations) {
          if (op.kind === 'append') {
            const batch = sizedBatch(op.count, op.valueBytes, seed++);
            const a = file.log.append(batch.slice(), { leaderEpoch: 3, recordCount: op.count });
            const b = memory.log.append(batch.slice(), { leaderEpoch: 3, recordCount: op.count });
            expect(a).toEqual(b);
          } else if (op.kind === 'read') {
            const end = file.log.logEndOffset;
            const offset = Math.floor(op.offsetFraction * (end + 2)) - 1;
            const highWatermark = Math.floor(op.highWatermarkFraction * (end + 1));
            const a = outcome(() => file.log.read(offset, op.maxBytes, highWatermark).records);
            const b = outcome(() => memory.log.read(offset, op.maxBytes, highWatermark).records);
            expect(a).toBe(b);
          } else if (op.kind === 'advance') {
            clock.advanceBy(op.ms);
          } else if (op.kind === 'followerAppend') {
            const batch = sizedBatch(op.count, op.valueBytes, seed++);
            setBaseOffset(batch, 0, file.log.logEndOffset);
            setPartitionLeaderEpoch(batch, 0, op.leaderEpoch);
            const a = file.log.appendAsFollower(batch.slice(), { recordCount: op.count });
            const b = memory.log.appendAsFollower(batch.slice(), { recordCount: op.count });
            expect(a).toEqual(b);
          } else if (op.kind === 'truncate') {
            // From -1 (refused) to past the log end (nothing to do), with every offset between.
            const offset = Math.floor(op.offsetFraction * (file.log.logEndOffset + 2)) - 1;
            const a = outcome(() => new Uint8Array([Number(file.log.truncateTo(offset))]));
            const b = outcome(() => new Uint8Array([Number(memory.log.truncateTo(offset))]));
            expect(a).toBe(b);
          } else if (op.kind === 'flush') {
            file.log.flush();
            memory.log.flush();
          } else {
            file.restart(op.clean);
            memory.restart(op.clean);
            expect(file.store.wasCleanShutdown).toBe(memory.store.wasCleanShutdown);
          }
          const state = (log: PartitionLog) => [
            log.logStartOffset,
            log.logEndOffset,
            log.sizeBytes,
            log.segmentCount,
            log.unflushedMessages,
            log.lastFlushTimeMs,
            log.leaderEpochCache.epochEntries,
          ];
          expect(state(file.log)).toEqual(state(memory.log));
        }
        file.store.close();
      }),
      { numRuns: 60 },
    );
  });
});
