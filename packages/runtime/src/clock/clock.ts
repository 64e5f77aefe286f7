/**
 * The clock every actor gets injected. XState's own `Clock` is `{ setTimeout, clearTimeout }`; ours adds
 * `now()`, because XState never reads the time itself: actions that stamp a record or compute a deadline
 * must read it from here (never `Date.now()`), so that a simulated run is reproducible.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the Unix epoch, on this clock. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now on this clock. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
