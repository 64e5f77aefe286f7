import type { TraceEvent, TraceObserver } from '../trace.js';

/**
 * Where a run's trace goes: every observer (the analyzers, the caller's onTrace) sees each event as it is written,
 * in order. The runner keeps no copy, so a long run holds only what its observers keep, except during the setup:
 * trace times count from the start of the workload, which is known only once the groups have formed, so the events
 * written before startWorkload() wait here and reach the observers then, stamped at their (negative) times. The
 * setup is bounded in simulated time (the runner's GROUP_FORMATION_MAX_MS), and so is what waits.
 */
export class TraceWriter {
  private readonly observers: TraceObserver[] = [];
  /** Events written so far (a cheap progress figure for tests and the run's error detail). */
  written = 0;

  /** The clock's time the trace counts from: the writer's creation until the workload starts, then its start. */
  private originMs: number;
  /** Events of the setup, stamped from the provisional origin, until the workload starts. */
  private held: TraceEvent[] | undefined = [];

  constructor(private readonly clockNow: () => number) {
    this.originMs = clockNow();
  }

  /** The workload starts now: the setup's events go out, stamped from here, and so are later ones. Once only. */
  startWorkload(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    const shiftMs = this.originMs - this.clockNow();
    this.originMs -= shiftMs;
    for (const event of held) this.deliver(shifted(event, shiftMs));
  }

  /** A time of the clock as the trace counts it (ms since the workload started). */
  runTime(clockMs: number): number {
    return clockMs - this.originMs;
  }

  now(): number {
    return this.clockNow() - this.originMs;
  }

  add(observer: TraceObserver): void {
    this.observers.push(observer);
  }

  /** Writes one event, stamped with the simulated time now. */
  write(event: DistributiveOmit<TraceEvent, 'timeMs'>): void {
    const stamped = { ...event, timeMs: this.now() } as TraceEvent;
    this.written += 1;
    if (this.held === undefined) this.deliver(stamped);
    else this.held.push(stamped);
  }

  private deliver(event: TraceEvent): void {
    for (const observer of this.observers) observer.observe(event);
  }
}

/** An event stamped from the provisional origin, stamped from the workload's start (every time it carries). */
function shifted(event: TraceEvent, shiftMs: number): TraceEvent {
  if (event.type === 'member.rebalance') return { ...event, timeMs: event.timeMs + shiftMs, startMs: event.startMs + shiftMs, endMs: event.endMs + shiftMs };
  return { ...event, timeMs: event.timeMs + shiftMs };
}

/** Omit over each member of a union (TypeScript's Omit would merge them into one shape). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
