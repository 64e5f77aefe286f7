import { describe, expect, it } from 'vitest';
import { SystemClock, systemClock } from './system-clock.js';

/** Resolves when `condition` holds, polling on real time; rejects after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('SystemClock', () => {
  it('reads wall-clock milliseconds as a whole number', () => {
    const now = systemClock.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(Math.abs(now - Date.now())).toBeLessThan(1_000);
  });

  it('never runs backwards between reads', () => {
    let previous = systemClock.now();
    for (let read = 0; read < 10_000; read += 1) {
      const current = systemClock.now();
      expect(current).toBeGreaterThanOrEqual(previous);
      previous = current;
    }
  });

  it('fires a timer after its delay and never fires a cleared one', async () => {
    const clock = new SystemClock();
    const startedMs = clock.now();
    let firedAtMs: number | undefined;
    let clearedFired = false;
    const cleared = clock.setTimeout(() => (clearedFired = true), 5);
    clock.setTimeout(() => (firedAtMs = clock.now()), 20);
    clock.clearTimeout(cleared);
    await waitFor(() => firedAtMs !== undefined, 2_000);
    expect(firedAtMs! - startedMs).toBeGreaterThanOrEqual(19);
    expect(clearedFired).toBe(false);
  });

  it('keeps the process alive for its timers unless told to unref them', () => {
    const refd = new SystemClock().setTimeout(() => undefined, 10_000) as NodeJS.Timeout;
    const unrefd = new SystemClock({ unrefTimers: true }).setTimeout(() => undefined, 10_000) as NodeJS.Timeout;
    expect(refd.hasRef()).toBe(true);
    expect(unrefd.hasRef()).toBe(false);
    systemClock.clearTimeout(refd);
    systemClock.clearTimeout(unrefd);
  });
});
