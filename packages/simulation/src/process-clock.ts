import type { Clock, SimulatedClock, TimerHandle } from '@kactor/runtime';

interface ProcessTimer {
  callback: () => void;
  dueMs: number;
  /** The shared clock's timer while armed; undefined while the process is paused. */
  armed: TimerHandle | undefined;
}

/**
 * One process's view of the shared simulated clock. `halt()` is the process dying: its pending
 * timers never fire and new ones are never armed, so it sends nothing more (no LeaveGroup, no heartbeat).
 * `pause()` is the process stopped (SIGSTOP, a long GC pause): time goes on, its timers wait; `resume()`
 * fires the overdue ones at once, in the order they were due, and the others when due.
 */
export class ProcessClock implements Clock {
  private readonly live = new Set<ProcessTimer>();
  private halted = false;
  private paused = false;

  constructor(private readonly clock: SimulatedClock) {}

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    if (this.halted) return undefined;
    const timer: ProcessTimer = { callback, dueMs: this.clock.now() + delayMs, armed: undefined };
    this.live.add(timer);
    if (!this.paused) this.arm(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as ProcessTimer;
    if (!this.live.delete(timer)) return;
    if (timer.armed !== undefined) this.clock.clearTimeout(timer.armed);
  }

  /** Timers waiting to fire (armed or held by a pause). */
  get pendingTimerCount(): number {
    return this.live.size;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    if (this.halted || this.paused) return;
    this.paused = true;
    for (const timer of this.live) this.disarm(timer);
  }

  resume(): void {
    if (this.halted || !this.paused) return;
    this.paused = false;
    for (const timer of [...this.live].sort((a, b) => a.dueMs - b.dueMs)) this.arm(timer);
  }

  halt(): void {
    this.halted = true;
    for (const timer of this.live) this.disarm(timer);
    this.live.clear();
  }

  private arm(timer: ProcessTimer): void {
    timer.armed = this.clock.setTimeout(
      () => {
        this.live.delete(timer);
        timer.callback();
      },
      Math.max(0, timer.dueMs - this.clock.now()),
    );
  }

  private disarm(timer: ProcessTimer): void {
    if (timer.armed !== undefined) this.clock.clearTimeout(timer.armed);
    timer.armed = undefined;
  }
}
