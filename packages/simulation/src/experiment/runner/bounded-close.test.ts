import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { boundedStop, CLOSE_GRACE_MS } from './bounded-close.js';

describe('a clean stop with a grace period', () => {
  it('ends as closed when the process closes in time', async () => {
    const clock = new SimulatedClock();
    let closeDone: () => void = () => undefined;
    const stop = boundedStop(clock, () => new Promise<void>((resolve) => (closeDone = resolve)));
    await clock.advanceByAsync(20_000);
    closeDone(); // close() finishes 20 s into the 30 s grace period
    await expect(stop.outcome).resolves.toBe('closed');
  });

  it('runs out at the end of the grace period when close() has not finished', async () => {
    const clock = new SimulatedClock();
    const stop = boundedStop(clock, () => new Promise(() => undefined));
    await clock.advanceByAsync(CLOSE_GRACE_MS - 1);
    let outcome: string | undefined;
    void stop.outcome.then((value) => (outcome = value));
    await clock.advanceByAsync(0);
    expect(outcome).toBeUndefined();
    await clock.advanceByAsync(1);
    expect(outcome).toBe('grace-over');
  });

  it('ends at once when the process is killed while it closes', async () => {
    const clock = new SimulatedClock();
    const stop = boundedStop(clock, () => new Promise(() => undefined));
    stop.kill();
    await expect(stop.outcome).resolves.toBe('killed');
  });
});
