import type { Clock, SimulatedClock, TimerHandle } from '@kactor/runtime';

/**
 * One process's view of the shared simulated clock. `halt()` is the process dying: its pending
 * timers never fire and new ones are never armed, so it sends nothing more (no LeaveGroup, no heartbeat).
 */
export class ProcessClock implements Clock {
  private readonly live = new Set<TimerHandle>();
  private halted = false;

  constructor(private readonly clock: SimulatedClock) {}

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    if (this.halted) return undefined;
    const handle: TimerHandle = this.clock.setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, delayMs);
    this.live.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.live.delete(handle);
    this.clock.clearTimeout(handle);
  }

  halt(): void {
    this.halted = true;
    for (const handle of this.live) this.clock.clearTimeout(handle);
    this.live.clear();
  }
}
