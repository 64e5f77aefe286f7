/**
 * A fetch that could not be answered at once, parked in the fetch purgatory (Kafka's DelayedFetch, one of its
 * DelayedOperations). It is an operation, not an actor: the purgatory asks it to check whenever a partition it
 * reads moves, the check compares offsets (FetchReadinessCheck) without reading records, and the fetch completes
 * exactly once, by whichever comes first: a check finding it ready, `fetch.max.wait.ms` running out on the node's
 * clock (answered with whatever is there, possibly nothing), or a cancel (its connection closed or the broker is
 * stopping: no answer). Only completing reads the partitions. Kafka keeps these out of any state machine for the
 * same reason kactor does: a broker parks one per long poll, and each lives for a few comparisons.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';
import type { DelayedOperation, Unwatch } from '../node/purgatory.js';
import type { FetchReadiness } from './fetch-readiness.js';

/** `Waiting` until answered or cancelled; either is final. */
export type DelayedFetchState = 'Waiting' | 'Answered' | 'Cancelled';

/** Kafka's tryComplete condition: whether the fetch may be answered now, from offsets alone (FetchReadinessCheck). */
export interface DelayedFetchReadiness {
  check(): FetchReadiness;
}

export class DelayedFetch implements DelayedOperation {
  private current: DelayedFetchState = 'Waiting';
  private timer: TimerHandle | undefined;
  private unwatch: Unwatch | undefined;

  /**
   * `answer` is Kafka's onComplete: it reads the partitions and sends the answer, and is called once, when the fetch
   * is answered. `onFatalError` gets what a check, the timer or the answer threw: a bug, which stops the broker as an
   * actor's error would.
   */
  constructor(
    private readonly clock: Clock,
    private readonly readiness: DelayedFetchReadiness,
    private readonly answer: () => void,
    private readonly onFatalError: (error: unknown) => void,
  ) {}

  get state(): DelayedFetchState {
    return this.current;
  }

  /** Watched by the purgatory now: `fetch.max.wait.ms` starts. */
  parked(unwatch: Unwatch, maxWaitMs: number): void {
    this.unwatch = unwatch;
    this.timer = this.clock.setTimeout(() => this.guarded(() => this.forceComplete()), Math.max(0, maxWaitMs));
  }

  /** Kafka's tryComplete: a partition of the fetch moved; answer if it is ready now. */
  check(): void {
    this.guarded(() => {
      if (this.current === 'Waiting' && this.readiness.check() === 'ready') this.forceComplete();
    });
  }

  /** The connection closed or the broker is stopping: nobody would read an answer. */
  cancel(): void {
    this.finish('Cancelled');
  }

  /** Answers with what is there now, unless already answered or cancelled. Returns whether this call answered it. */
  forceComplete(): boolean {
    if (!this.finish('Answered')) return false;
    this.answer();
    return true;
  }

  /** Completes once: stops the timer and the purgatory's watch. */
  private finish(state: Exclude<DelayedFetchState, 'Waiting'>): boolean {
    if (this.current !== 'Waiting') return false;
    this.current = state;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.unwatch?.();
    return true;
  }

  private guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onFatalError(error);
    }
  }
}
