/**
 * max.poll.interval.ms as Kafka's consumer keeps it (KIP-62; for the consumer protocol, KIP-848's membership
 * manager): poll() only notes the time, and the member's poll timer, when it fires, compares that time
 * with the interval. It either finds the interval passed (the member leaves the group) or re-arms itself
 * for what is left of it. So an application that polls every 100 ms costs the member's statechart
 * nothing per poll: the host forwards `app.poll` only while the chart is in a state tagged
 * MOVED_BY_POLL_TAG, where the application's next poll() is what moves the member on (a rejoin waits
 * for the application's turn).
 *
 * KIP-62: https://cwiki.apache.org/confluence/display/KAFKA/KIP-62%3A+Allow+consumer+to+send+heartbeats+from+a+background+thread
 */
import type { Clock } from '@kactor/runtime';

/** The tag of the states where poll() moves the member on: the host sends `app.poll` only in these. */
export const MOVED_BY_POLL_TAG = 'movedByPoll';

/** What LastPoll needs of a member's actor: its state's tags, and a way to send it `app.poll`. */
export interface PollMovedChart {
  getSnapshot(): { readonly status: string; hasTag(tag: string): boolean };
  send(event: { type: 'app.poll' }): void;
}

/** The host's side of poll(): notes its time, which the charts read through their ports (lastPollMs). */
export class LastPoll {
  private atMs: number | null = null;

  constructor(private readonly clock: Clock) {}

  /** The application called poll(): note the time, and tell the chart only where poll() moves it on. */
  poll(chart: PollMovedChart): void {
    this.atMs = this.clock.now();
    const snapshot = chart.getSnapshot();
    if (snapshot.status === 'active' && snapshot.hasTag(MOVED_BY_POLL_TAG)) chart.send({ type: 'app.poll' });
  }

  /** When the application last called poll(); null before its first. */
  lastPollMs(): number | null {
    return this.atMs;
  }
}

/**
 * When max.poll.interval.ms runs out: that long after the later of the last poll() and the moment the
 * timer was (re)started (Kafka resets it when the member joins, whether or not the application polled).
 */
export function pollDeadlineMs(timerStartMs: number, lastPollMs: number | null, maxPollIntervalMs: number): number {
  return Math.max(timerStartMs, lastPollMs ?? timerStartMs) + maxPollIntervalMs;
}
