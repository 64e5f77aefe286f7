/**
 * Throughput and lag over time, in one-second buckets over the run's window (RunWindow): records acknowledged
 * and processed (repeats included) in each second, and the lag at each second's end: for every group, the
 * records acknowledged on its topics minus the records it processed for the first time, summed over groups.
 * First processings are counted by the records analyzer, which keeps the processed ids anyway; this one
 * asks it for the running total instead of keeping a second copy. Events after the window are not counted.
 */
import type { SeriesPoint } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { RunWindow } from './run-window.js';
import { topicOf } from './trace-vocabulary.js';

export const SERIES_BUCKET_MS = 1_000;

export class SeriesAnalyzer implements TraceObserver {
  private readonly points: SeriesPoint[] = [];
  /** Topic -> how many groups read it. */
  private readonly readers = new Map<string, number>();
  private readonly window: RunWindow;
  private bucket = 0;
  private produced = 0;
  private consumed = 0;
  /** Acknowledged records counted once per group reading them. */
  private ackedForGroups = 0;

  /**
   * `uniqueProcessed`: records processed for the first time in their group so far, summed over groups. The
   * series must see each event before the records analyzer does: a second closes when the first event of a
   * later one arrives, and its lag must not include that event yet.
   */
  constructor(
    private readonly uniqueProcessed: () => number,
    durationMs: number,
  ) {
    this.window = new RunWindow(durationMs);
  }

  observe(event: TraceEvent): void {
    const place = this.window.place(event);
    if (place === 'closing') this.end(this.window.endMs);
    if (place !== 'inside') return;
    if (event.type === 'run.started') {
      for (const spec of Object.values(event.groups)) for (const topic of spec.topics) this.readers.set(topic, (this.readers.get(topic) ?? 0) + 1);
      return;
    }
    if (event.type !== 'record.acked' && event.type !== 'record.processed') return;
    this.advanceTo(Math.floor((event.timeMs - this.window.startMs) / SERIES_BUCKET_MS));
    if (event.type === 'record.acked') {
      this.produced += 1;
      this.ackedForGroups += this.readers.get(topicOf(event.partition)) ?? 0;
    } else {
      this.consumed += 1;
    }
  }

  /** Call after the last event. */
  result(): SeriesPoint[] {
    if (this.window.close()) this.end(this.window.endMs);
    return [...this.points];
  }

  /** The most records acknowledged but not yet processed at any second's end. */
  maxLag(): number {
    return this.points.reduce((max, point) => Math.max(max, point.lag), 0);
  }

  private lag(): number {
    return Math.max(0, this.ackedForGroups - this.uniqueProcessed());
  }

  private advanceTo(bucket: number): void {
    while (this.bucket < bucket) {
      this.points.push({ timeMs: this.window.startMs + this.bucket * SERIES_BUCKET_MS, produced: this.produced, consumed: this.consumed, lag: this.lag() });
      this.bucket += 1;
      this.produced = 0;
      this.consumed = 0;
    }
  }

  private end(endMs: number): void {
    const lastBucket = Math.max(0, Math.ceil((endMs - this.window.startMs) / SERIES_BUCKET_MS) - 1);
    if (this.bucket > lastBucket) {
      // Events at the very end time opened a bucket past the last one: they belong to the last second.
      const last = this.points.at(-1);
      if (last !== undefined) Object.assign(last, { produced: last.produced + this.produced, consumed: last.consumed + this.consumed, lag: this.lag() });
      return;
    }
    this.advanceTo(lastBucket + 1);
  }
}
