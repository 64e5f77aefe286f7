import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, type LogConfig } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { batchOf } from '../records.js';
import { findReplicaDivergence } from './replica-divergence.js';

const config: LogConfig = {
  segmentBytes: 1 << 30,
  segmentMs: 604_800_000,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10_485_760,
  flushMessages: 2 ** 63,
  flushMs: 2 ** 63,
  maxMessageBytes: 1_048_588,
};

/** One broker's copy of orders-0, written as a leader in the given epochs. */
function replica(brokerId: number, ...appends: Array<[epoch: number, values: string[]]>) {
  const log = new MemoryLogStore({ clock: new SimulatedClock({ startMs: 0 }) }).open('orders', 0, 'topic-id', config);
  for (const [leaderEpoch, values] of appends) log.append(batchOf(values), { leaderEpoch, recordCount: values.length });
  return { brokerId, log };
}

describe('replicas diverging below the high watermark', () => {
  it('holds for one replica (RF 1) and for replicas that differ only at or above the HW', () => {
    const leader = replica(0, [1, ['a', 'b']], [1, ['c']]);
    expect(findReplicaDivergence([leader], 3)).toEqual([]);
    const follower = replica(1, [1, ['a', 'b']]);
    const deposed = replica(2, [1, ['a', 'b']], [2, ['x', 'y']]);
    expect(findReplicaDivergence([leader, follower, deposed], 2)).toEqual([]);
  });

  it('catches a planted divergence: another epoch at the same offset below the HW (KIP-101), and a missing record', () => {
    const leader = replica(0, [1, ['a', 'b']], [1, ['c']]);
    const diverged = replica(1, [1, ['a', 'b']], [2, ['c']]);
    const short = replica(2, [1, ['a']]);
    const findings = findReplicaDivergence([leader, diverged, short], 3);
    expect(findings.map(({ brokerId, offset }) => ({ brokerId, offset }))).toEqual([
      { brokerId: 1, offset: 2 },
      { brokerId: 2, offset: 1 },
    ]);
    expect(findings[1]?.reason).toBe('missing below the HW');
  });

  it('catches a different value at the same offset and epoch', () => {
    expect(findReplicaDivergence([replica(0, [1, ['a', 'b']]), replica(1, [1, ['a', 'z']])], 2)).toMatchObject([{ brokerId: 1, referenceBrokerId: 0, offset: 1 }]);
  });
});
