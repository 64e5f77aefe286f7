import type { Clock, TimerHandle } from './clock.js';

export interface SystemClockOptions {
  /**
   * Lets the process exit while timers from this clock are pending (Node's `timer.unref()`). Off by
   * default: a broker's heartbeat timer is exactly what should keep it running.
   */
  unrefTimers?: boolean;
}

/**
 * Real time: Node's timers, and `now()` from the high-resolution monotonic clock anchored at process
 * start (`performance.timeOrigin + performance.now()`), so time never runs backwards within a process
 * when the wall clock is adjusted.
 *
 * `now()` is truncated to whole milliseconds: Kafka timestamps (record and log-append times,
 * deadlines on the wire) are integer ms, and a fraction would fail the integer schemas at the edge.
 */
export class SystemClock implements Clock {
  private readonly unrefTimers: boolean;

  constructor(options: SystemClockOptions = {}) {
    this.unrefTimers = options.unrefTimers ?? false;
  }

  now(): number {
    return Math.floor(performance.timeOrigin + performance.now());
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = setTimeout(callback, delayMs);
    if (this.unrefTimers) timer.unref();
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout> | undefined);
  }

  toJSON(): { kind: 'SystemClock'; nowMs: number } {
    return { kind: 'SystemClock', nowMs: this.now() };
  }
}

/** The process's real clock, with Node's usual timer semantics. */
export const systemClock = new SystemClock();
