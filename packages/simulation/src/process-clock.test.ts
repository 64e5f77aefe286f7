import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { ProcessClock } from './process-clock.js';

describe('ProcessClock', () => {
  it('reads the shared time, and once halted fires no pending timer and arms no new one', async () => {
    const shared = new SimulatedClock({ startMs: 1_000 });
    const process = new ProcessClock(shared);
    const fired: string[] = [];
    process.setTimeout(() => fired.push('before'), 10);
    process.setTimeout(() => fired.push('pending'), 100);
    shared.setTimeout(() => fired.push('another process'), 100);
    await shared.advanceByAsync(10);
    process.halt();
    process.setTimeout(() => fired.push('after halt'), 1);
    await shared.advanceByAsync(200);
    expect(process.now()).toBe(1_210);
    expect(fired).toEqual(['before', 'another process']);
  });
});
