import { flushMicrotasks } from '../clock/microtasks.js';
import type { SimulatedClock } from '../clock/simulated-clock.js';

/** How often `waitFor` re-checks its condition on real time. */
const POLL_INTERVAL_MS = 2;

/**
 * Resolves once `condition()` holds, checking on real time; rejects after `timeoutMs`. For tests of
 * real sockets: never sleep a fixed time, wait for the outcome with a bound. Real time is right here:
 * real sockets deliver on the event loop, not on an injected clock.
 */
export async function waitFor(condition: () => boolean, timeoutMs: number, description = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waitFor: ${description} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * Resolves once `condition()` holds, firing the simulated clock's timers one at a time (and letting
 * promise callbacks run after each) until it does. Rejects when nothing is left to happen, or after
 * `maxVirtualMs` of virtual time, so a test that can never pass fails fast instead of spinning.
 */
export async function waitForSimulated(
  clock: SimulatedClock,
  condition: () => boolean,
  description = 'condition',
  maxVirtualMs = 60_000,
): Promise<void> {
  const deadlineMs = clock.now() + maxVirtualMs;
  for (;;) {
    await flushMicrotasks();
    if (condition()) return;
    const nextMs = clock.nextTimerAt();
    if (nextMs === undefined) throw new Error(`waitForSimulated: ${description} does not hold and no timer is left to fire`);
    if (nextMs > deadlineMs) {
      throw new Error(`waitForSimulated: ${description} did not hold within ${maxVirtualMs} ms of virtual time`);
    }
    clock.runNext();
  }
}
