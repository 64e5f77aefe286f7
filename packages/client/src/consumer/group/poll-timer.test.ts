import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { LastPoll, MOVED_BY_POLL_TAG, pollDeadlineMs, type PollMovedChart } from './poll-timer.js';

/** A chart stand-in: its tags and status as given, and the events it was sent. */
function chart(tags: readonly string[], status = 'active'): PollMovedChart & { sent: string[] } {
  const sent: string[] = [];
  return { sent, getSnapshot: () => ({ status, hasTag: (tag: string) => tags.includes(tag) }), send: (event) => void sent.push(event.type) };
}

describe('LastPoll', () => {
  it('notes the time of every poll(), and sends app.poll only to a chart in a state poll() moves on', () => {
    const clock = new SimulatedClock({ startMs: 1_000 });
    const lastPoll = new LastPoll(clock);
    expect(lastPoll.lastPollMs()).toBeNull();
    const stable = chart(['heartbeating']);
    lastPoll.poll(stable);
    expect(lastPoll.lastPollMs()).toBe(1_000);
    expect(stable.sent).toEqual([]);
    clock.advanceBy(250);
    const awaitingPoll = chart([MOVED_BY_POLL_TAG]);
    lastPoll.poll(awaitingPoll);
    expect(lastPoll.lastPollMs()).toBe(1_250);
    expect(awaitingPoll.sent).toEqual(['app.poll']);
  });

  it('sends nothing to a stopped chart', () => {
    const lastPoll = new LastPoll(new SimulatedClock({ startMs: 0 }));
    const stopped = chart([MOVED_BY_POLL_TAG], 'done');
    lastPoll.poll(stopped);
    expect(stopped.sent).toEqual([]);
  });
});

describe('pollDeadlineMs', () => {
  it('counts max.poll.interval.ms from the later of the last poll() and the timer start', () => {
    expect(pollDeadlineMs(1_000, null, 300_000)).toBe(301_000);
    expect(pollDeadlineMs(1_000, 500, 300_000)).toBe(301_000);
    expect(pollDeadlineMs(1_000, 7_000, 300_000)).toBe(307_000);
  });
});
