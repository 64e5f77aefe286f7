/**
 * Puts the trace events of several processes in time order before the analyzers read them. Each process's
 * lines reach the runner through its own pipe, a little late and in an order across processes that is not
 * the order of their times: one member's revocation (stamped when it happened) can arrive after another's
 * assignment of the same partition, which read in arrival order would look like two owners at once. Events are
 * held for `windowMs` and released by time (ties in arrival order); `flush` releases the rest at the end.
 */
import type { TraceEvent } from './simulation-adapter.js';

export class TraceReorderBuffer {
  private held: Array<{ event: TraceEvent; sequence: number }> = [];
  private sequence = 0;
  /** Trace times start below 0: the setup's events come before the workload's start. */
  private releasedUpToMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs: number,
    private readonly emit: (event: TraceEvent) => void,
  ) {}

  /** An event later than what was released already keeps its time; one arriving too late for it is moved up to it. */
  push(event: TraceEvent): void {
    const timeMs = Math.max(event.timeMs, this.releasedUpToMs);
    this.held.push({ event: timeMs === event.timeMs ? event : { ...event, timeMs }, sequence: this.sequence });
    this.sequence += 1;
  }

  /** Releases every held event at least `windowMs` older than `nowMs` (trace time). */
  release(nowMs: number): void {
    this.releaseUpTo(nowMs - this.windowMs);
  }

  flush(): void {
    this.releaseUpTo(Number.POSITIVE_INFINITY);
  }

  private releaseUpTo(limitMs: number): void {
    const ready = this.held.filter((entry) => entry.event.timeMs <= limitMs);
    this.held = this.held.filter((entry) => entry.event.timeMs > limitMs);
    ready.sort((a, b) => a.event.timeMs - b.event.timeMs || a.sequence - b.sequence);
    for (const { event } of ready) {
      this.releasedUpToMs = Math.max(this.releasedUpToMs, event.timeMs);
      this.emit(event);
    }
    if (Number.isFinite(limitMs)) this.releasedUpToMs = Math.max(this.releasedUpToMs, limitMs);
  }
}
