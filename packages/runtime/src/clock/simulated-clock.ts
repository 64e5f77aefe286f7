import type { Clock, TimerHandle } from './clock.js';
import { flushMicrotasks, MICROTASK_TURNS_DEFAULT } from './microtasks.js';
import { TimerHeap, type HeapTimer } from './timer-heap.js';

export interface SimulatedClockOptions {
  /** The initial `now()`, in ms since the epoch. Default 0. */
  startMs?: number;
  /** Microtask turns the async helpers yield after the timers of each instant (the option keeps its first name). */
  microtaskTurnsPerTimer?: number;
  /**
   * Livelock guard: this many timers firing at one virtual instant means a callback keeps re-arming
   * itself with zero delay, and the advance would never end; the clock throws instead.
   */
  maxTimerFiresPerInstant?: number;
}

/** Default livelock bound: ten times the largest simulation we expect (100k actors) firing at once. */
export const MAX_TIMER_FIRES_PER_INSTANT_DEFAULT = 1_000_000;
/** Default bound on `runUntilIdle`: periodic timers (heartbeats) never let the clock go idle. */
export const RUN_UNTIL_IDLE_MAX_TIMER_FIRES_DEFAULT = 1_000_000;
/** Cancelled timers stay in the heap until they surface (lazy deletion); past this many, compact. */
const CANCELLED_TIMERS_COMPACTION_THRESHOLD = 1024;

/**
 * A timer is its own handle: cancelling one finds it without a lookup table, which every arming and firing would
 * otherwise update (a simulated cluster arms a timer per packet and per actor delay).
 */
class SimulatedTimer implements HeapTimer {
  constructor(
    readonly dueMs: number,
    readonly sequence: number,
    /** Cleared when the timer fires or is cancelled, which also marks it dead inside the heap. */
    public callback: (() => void) | undefined,
    /** Only the clock that armed a timer cancels it. */
    readonly owner: SimulatedClock,
  ) {}
}

/**
 * Virtual time for deterministic simulations and tests. Nothing happens until the harness moves time
 * with `advanceBy`/`advanceTo`/`runNext` (or their async forms); then every due timer fires **at its own
 * due time** (`now()` inside the callback equals the time the timer was due), in (due, arming order).
 * A timer armed inside a callback fires in the same advance when it falls due before the target.
 *
 * XState's own `SimulatedClock` differs on both counts: its `increment(ms)` fires all due timers with
 * `now()` already at the end, so chained delays drift, and it re-sorts every timer on every flush.
 *
 * Which helper to use:
 * - `advanceBy` / `advanceTo` / `runNext` (synchronous) when everything reacting to a timer is
 *   synchronous, as XState actors talking through `sendTo` are. Promise callbacks run only after the
 *   call returns, all at the target time.
 * - `advanceByAsync` / `advanceToAsync` / `runUntilIdle` when code awaits promises between timers (an
 *   RPC caller awaiting a response, a connect that resolves through the clock): after the timers of each
 *   instant they let microtasks run, so the promise reactions arm their timers at the right virtual time.
 *
 * Delays are rounded up to whole milliseconds (a timer never fires early, as with Node's timers), so
 * `now()` stays a whole number when the start and the advance targets are. Negative and NaN delays
 * count as 0. A callback that throws stops the advance at that timer's due time and the error propagates;
 * the remaining timers stay pending.
 */
export class SimulatedClock implements Clock {
  private nowMs: number;
  private nextSequence = 0;
  private readonly heap = new TimerHeap<SimulatedTimer>();
  /** Timers armed and neither fired nor cancelled. */
  private liveTimerCount = 0;
  private cancelledTimersInHeap = 0;
  private advancing = false;
  private readonly microtaskTurnsPerTimer: number;
  private readonly maxTimerFiresPerInstant: number;
  private lastFireMs = Number.NaN;
  private firesAtLastFireMs = 0;

  constructor(options: SimulatedClockOptions = {}) {
    this.nowMs = options.startMs ?? 0;
    assertFiniteTime(this.nowMs, 'startMs');
    this.microtaskTurnsPerTimer = options.microtaskTurnsPerTimer ?? MICROTASK_TURNS_DEFAULT;
    this.maxTimerFiresPerInstant = options.maxTimerFiresPerInstant ?? MAX_TIMER_FIRES_PER_INSTANT_DEFAULT;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = new SimulatedTimer(this.nowMs + normalizeDelayMs(delayMs), this.nextSequence, callback, this);
    this.nextSequence += 1;
    this.heap.push(timer);
    this.liveTimerCount += 1;
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (!(handle instanceof SimulatedTimer) || handle.owner !== this) return;
    if (handle.callback === undefined) return; // already fired or cancelled: a no-op, as with Node's timers
    handle.callback = undefined;
    this.liveTimerCount -= 1;
    this.cancelledTimersInHeap += 1;
    if (this.cancelledTimersInHeap > Math.max(CANCELLED_TIMERS_COMPACTION_THRESHOLD, this.liveTimerCount)) {
      this.heap.retain((candidate) => candidate.callback !== undefined);
      this.cancelledTimersInHeap = 0;
    }
  }

  /** Timers armed and neither fired nor cancelled. */
  get pendingTimerCount(): number {
    return this.liveTimerCount;
  }

  /** When the earliest pending timer is due, or `undefined` when none is pending. */
  nextTimerAt(): number | undefined {
    return this.peekLiveTimer()?.dueMs;
  }

  advanceBy(durationMs: number): void {
    assertDuration(durationMs);
    this.advanceTo(this.nowMs + durationMs);
  }

  /** Fires, each at its own due time, every timer due at or before `targetMs`, then sets now to it. */
  advanceTo(targetMs: number): void {
    this.assertTarget(targetMs);
    this.runExclusively(() => {
      for (let timer = this.popLiveTimerDueBy(targetMs); timer; timer = this.popLiveTimerDueBy(targetMs)) {
        this.fire(timer);
      }
      this.nowMs = targetMs;
    });
  }

  /** Fires the single earliest pending timer, moving now to its due time. False when none is pending. */
  runNext(): boolean {
    return this.runExclusively(() => {
      const timer = this.popLiveTimerDueBy(Number.POSITIVE_INFINITY);
      if (timer === undefined) return false;
      this.fire(timer);
      return true;
    });
  }

  /** `advanceBy`, letting microtasks run before the first timer and after each instant's timers. */
  async advanceByAsync(durationMs: number): Promise<void> {
    assertDuration(durationMs);
    await this.advanceToAsync(this.nowMs + durationMs);
  }

  /** `advanceTo`, letting microtasks run before the first timer and after each instant's timers. */
  async advanceToAsync(targetMs: number): Promise<void> {
    this.assertTarget(targetMs);
    await this.runExclusivelyAsync(async () => {
      await flushMicrotasks(this.microtaskTurnsPerTimer);
      for (let timer = this.popLiveTimerDueBy(targetMs); timer; timer = this.popLiveTimerDueBy(targetMs)) {
        this.fireInstant(timer);
        await flushMicrotasks(this.microtaskTurnsPerTimer);
      }
      this.nowMs = targetMs;
    });
  }

  /**
   * Fires timers (letting microtasks run after each instant's timers) until none is pending, and returns how many fired.
   * Throws after `maxTimerFires`: a periodic timer never lets the clock go idle, so use
   * `advanceByAsync` to run a cluster with heartbeats for a while.
   */
  async runUntilIdle(options: { maxTimerFires?: number } = {}): Promise<number> {
    const maxTimerFires = options.maxTimerFires ?? RUN_UNTIL_IDLE_MAX_TIMER_FIRES_DEFAULT;
    return this.runExclusivelyAsync(async () => {
      let fired = 0;
      await flushMicrotasks(this.microtaskTurnsPerTimer);
      for (let timer = this.peekLiveTimer(); timer !== undefined; timer = this.peekLiveTimer()) {
        if (fired === maxTimerFires) {
          throw new Error(
            `SimulatedClock.runUntilIdle: still ${this.pendingTimerCount} timers pending after ${fired} fires; ` +
              'a periodic timer never goes idle, advance by a duration instead',
          );
        }
        this.heap.pop();
        fired += this.fireInstant(timer, maxTimerFires - fired);
        await flushMicrotasks(this.microtaskTurnsPerTimer);
      }
      return fired;
    });
  }

  toJSON(): { kind: 'SimulatedClock'; nowMs: number; pendingTimers: number } {
    return { kind: 'SimulatedClock', nowMs: this.nowMs, pendingTimers: this.pendingTimerCount };
  }

  private peekLiveTimer(): SimulatedTimer | undefined {
    for (let top = this.heap.peek(); top !== undefined; top = this.heap.peek()) {
      if (top.callback !== undefined) return top;
      this.heap.pop();
      this.cancelledTimersInHeap -= 1;
    }
    return undefined;
  }

  private popLiveTimerDueBy(limitMs: number): SimulatedTimer | undefined {
    const top = this.peekLiveTimer();
    if (top === undefined || top.dueMs > limitMs) return undefined;
    this.heap.pop();
    return top;
  }

  /**
   * Fires `first`, then every other timer due at the same instant (those armed by the callbacks too), in
   * arming order, at most `maxFires` in all; returns how many fired. The async helpers let microtasks run
   * once per instant instead of after every timer, because that flush (64 awaits) was their largest cost
   * in a simulated cluster, where packets and actor events fire many timers at one instant. It stays
   * deterministic: the timers fire in (due, arming) order, then their promise callbacks run in the order
   * they were queued, the same on every run. What changes against a flush after every timer is only where
   * a timer armed by a promise callback for the same instant falls: after the timers the instant's other
   * callbacks armed, rather than between them.
   */
  private fireInstant(first: SimulatedTimer, maxFires = Number.POSITIVE_INFINITY): number {
    this.fire(first);
    let fired = 1;
    while (fired < maxFires) {
      const timer = this.popLiveTimerDueBy(first.dueMs);
      if (timer === undefined) break;
      this.fire(timer);
      fired += 1;
    }
    return fired;
  }

  private fire(timer: SimulatedTimer): void {
    const callback = timer.callback;
    if (callback === undefined) throw new Error('SimulatedClock: fired a cancelled timer (heap invariant broken)');
    if (timer.dueMs < this.nowMs) throw new Error('SimulatedClock: a timer was due in the past (time went backwards)');
    if (timer.dueMs === this.lastFireMs) {
      this.firesAtLastFireMs += 1;
      if (this.firesAtLastFireMs > this.maxTimerFiresPerInstant) {
        throw new Error(
          `SimulatedClock: more than ${this.maxTimerFiresPerInstant} timers fired at t=${timer.dueMs} ms without ` +
            'time moving on; a callback probably re-arms itself with zero delay (livelock)',
        );
      }
    } else {
      this.lastFireMs = timer.dueMs;
      this.firesAtLastFireMs = 1;
    }
    timer.callback = undefined;
    this.liveTimerCount -= 1;
    this.nowMs = timer.dueMs;
    callback();
  }

  private assertTarget(targetMs: number): void {
    assertFiniteTime(targetMs, 'target time');
    if (targetMs < this.nowMs) {
      throw new RangeError(`SimulatedClock: cannot move time back from ${this.nowMs} to ${targetMs} ms`);
    }
  }

  private runExclusively<T>(body: () => T): T {
    this.enterAdvance();
    try {
      return body();
    } finally {
      this.advancing = false;
    }
  }

  private async runExclusivelyAsync<T>(body: () => Promise<T>): Promise<T> {
    this.enterAdvance();
    try {
      return await body();
    } finally {
      this.advancing = false;
    }
  }

  /** Moving time from inside a timer callback (or from two harness loops at once) would reorder timers. */
  private enterAdvance(): void {
    if (this.advancing) throw new Error('SimulatedClock: time is already being advanced (re-entrant advance)');
    this.advancing = true;
  }
}

function normalizeDelayMs(delayMs: number): number {
  if (Number.isNaN(delayMs) || delayMs <= 0) return 0;
  if (delayMs === Number.POSITIVE_INFINITY) throw new RangeError('SimulatedClock: a timer delay must be finite');
  return Math.ceil(delayMs);
}

function assertFiniteTime(valueMs: number, what: string): void {
  if (!Number.isFinite(valueMs)) throw new RangeError(`SimulatedClock: ${what} must be a finite number of ms, got ${valueMs}`);
}

function assertDuration(durationMs: number): void {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`SimulatedClock: a duration must be a finite, non-negative number of ms, got ${durationMs}`);
  }
}
