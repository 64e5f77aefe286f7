/**
 * The measured part of a run: from the workload's start (run.started's workloadStartMs, or run.started itself)
 * until run.ended or that start + durationMs, whichever comes first. Before it comes the setup, where the runner
 * lets the groups form; after it the runner may go on (a drain phase that heals the network, resumes paused
 * members and lets them catch up before the checks). What happens in either is checked but not measured, so the
 * analyzers that measure time (rebalances, series, processed counts, throughput) ask this window.
 */
import type { TraceEvent } from '../trace.js';

/**
 * Where an event falls: in the setup before the window (run.started itself is `inside`: it says what the run is),
 * in the window, the first one past it (the caller closes its measures at `endMs`), or later.
 */
export type WindowPlace = 'setup' | 'inside' | 'closing' | 'after';

export class RunWindow {
  startMs = 0;
  private closedAtMs: number | undefined;

  constructor(private readonly durationMs: number) {}

  place(event: TraceEvent): WindowPlace {
    if (this.closedAtMs !== undefined) return 'after';
    if (event.type === 'run.started') {
      this.startMs = event.workloadStartMs ?? event.timeMs;
      return 'inside';
    }
    if (event.type !== 'run.ended' && event.timeMs < this.startMs) return 'setup';
    const horizonMs = this.startMs + this.durationMs;
    if (event.type === 'run.ended' || event.timeMs > horizonMs) {
      this.closedAtMs = Math.min(event.timeMs, horizonMs);
      return 'closing';
    }
    return 'inside';
  }

  /** Closes the window at its horizon if no event did (a trace without run.ended); true when it closed now. */
  close(): boolean {
    if (this.closedAtMs !== undefined) return false;
    this.closedAtMs = this.startMs + this.durationMs;
    return true;
  }

  get endMs(): number {
    return this.closedAtMs ?? this.startMs + this.durationMs;
  }
}
