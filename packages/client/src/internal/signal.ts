/**
 * Waiting on the injected clock. `Signal` lets an async loop (poll(), a blocked send()) sleep until
 * something it cares about happens (a response arrived, metadata changed) or a time limit passes, without
 * polling: notify() wakes every waiter at once.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';

/** Resolves after `delayMs` on `clock`. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, Math.max(0, delayMs));
  });
}

/** A caller of wait(): how to wake it, and its time limit's timer. */
interface Waiter {
  readonly resolve: (notified: boolean) => void;
  timer: TimerHandle;
}

export class Signal {
  /** A set, so that a wait that times out leaves it without copying the others (poll() does that every poll). */
  private waiters = new Set<Waiter>();

  constructor(private readonly clock: Clock) {}

  /** Wakes every current waiter. */
  notify(): void {
    if (this.waiters.size === 0) return;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const waiter of waiters) {
      this.clock.clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }

  /** Resolves true when notified, false when `timeoutMs` passed first. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, timer: undefined };
      this.waiters.add(waiter);
      // Still in the set means not notified: notify() empties it and clears the timer of each waiter it wakes.
      waiter.timer = this.clock.setTimeout(() => {
        if (this.waiters.delete(waiter)) resolve(false);
      }, Math.max(0, timeoutMs));
    });
  }

  get waiterCount(): number {
    return this.waiters.size;
  }
}
