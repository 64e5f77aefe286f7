import type { TraceEvent, TraceObserver } from '../trace.js';

/**
 * Where a run's trace goes: every observer (the analyzers, the caller's onTrace) sees each event as it is written,
 * in order. The runner keeps no copy, so a long run holds only what its observers keep.
 */
export class TraceWriter {
  private readonly observers: TraceObserver[] = [];
  /** Events written so far (a cheap progress figure for tests and the run's error detail). */
  written = 0;

  /** The clock's time when the workload started: trace times count from it. */
  private originMs: number;

  constructor(private readonly clockNow: () => number) {
    this.originMs = clockNow();
  }

  /** The workload starts now: later events are stamped from here. */
  startWorkload(): void {
    this.originMs = this.clockNow();
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
    for (const observer of this.observers) observer.observe(stamped);
  }
}

/** Omit over each member of a union (TypeScript's Omit would merge them into one shape). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
