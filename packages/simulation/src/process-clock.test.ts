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

describe('ProcessClock pause and resume', () => {
  it('holds timers while paused, fires the overdue ones on resume in due order, the others when due, and clears held ones', async () => {
    const shared = new SimulatedClock({ startMs: 0 });
    const process = new ProcessClock(shared);
    const fired: string[] = [];
    process.setTimeout(() => fired.push(`b@${shared.now()}`), 20);
    process.setTimeout(() => fired.push(`a@${shared.now()}`), 10);
    const cleared = process.setTimeout(() => fired.push('cleared'), 15);
    process.setTimeout(() => fired.push(`late@${shared.now()}`), 500);
    process.pause();
    process.setTimeout(() => fired.push(`while paused@${shared.now()}`), 5);
    await shared.advanceByAsync(100);
    expect(fired).toEqual([]);
    expect(process.pendingTimerCount).toBe(5);
    process.clearTimeout(cleared);
    process.resume();
    await shared.advanceByAsync(0);
    expect(fired).toEqual(['while paused@100', 'a@100', 'b@100']);
    await shared.advanceByAsync(400);
    expect(fired).toEqual(['while paused@100', 'a@100', 'b@100', 'late@500']);
    expect(process.pendingTimerCount).toBe(0);
  });
});
