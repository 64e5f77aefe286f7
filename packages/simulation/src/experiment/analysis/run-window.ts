/**
 * The measured part of a run: from run.started until run.ended or run.started + durationMs, whichever comes
 * first. The runner may go on after the scenario's duration (a drain phase that heals the network, resumes
 * paused members and lets them catch up before the checks); what happens then is checked but not measured,
 * so the analyzers that measure time (rebalances, series, processed counts, throughput) ask this window.
 */
import type { TraceEvent } from '../trace.js';

/** Where an event falls: in the window, the first one past it (the caller closes its measures at `endMs`), or later. */
export type WindowPlace = 'inside' | 'closing' | 'after';

export class RunWindow {
  startMs = 0;
  private closedAtMs: number | undefined;

  constructor(private readonly durationMs: number) {}

  place(event: TraceEvent): WindowPlace {
    if (this.closedAtMs !== undefined) return 'after';
    if (event.type === 'run.started') {
      this.startMs = event.timeMs;
      return 'inside';
    }
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
