/**
 * Waiting on the injected clock. `Signal` lets an async loop (poll(), a blocked send()) sleep until
 * something it cares about happens (a response arrived, metadata changed) or a time limit passes, without
 * polling: notify() wakes every waiter at once.
 */
import type { Clock } from '@kactor/runtime';

/** Resolves after `delayMs` on `clock`. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, Math.max(0, delayMs));
  });
}

export class Signal {
  /** A set, so that a wait that times out leaves it without copying the others (poll() does that every poll). */
  private waiters = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Wakes every current waiter. */
  notify(): void {
    if (this.waiters.size === 0) return;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves true when notified, false when `timeoutMs` passed first. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const timer = this.clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        this.waiters.delete(wake);
        resolve(false);
      }, Math.max(0, timeoutMs));
      const wake = (): void => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        resolve(true);
      };
      this.waiters.add(wake);
    });
  }

  get waiterCount(): number {
    return this.waiters.size;
  }
}
