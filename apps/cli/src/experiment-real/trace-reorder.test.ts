import { describe, expect, it } from 'vitest';
import type { TraceEvent } from './simulation-adapter.js';
import { TraceReorderBuffer } from './trace-reorder.js';

const at = (timeMs: number, member: string): TraceEvent => ({ type: 'member.started', timeMs, group: 'app', member });
const memberOf = (event: TraceEvent) => ('member' in event ? event.member : undefined);

describe('putting several processes\' events in time order', () => {
  it('holds events for the window and releases them by time, ties in arrival order', () => {
    const released: TraceEvent[] = [];
    const buffer = new TraceReorderBuffer(100, (event) => released.push(event));
    buffer.push(at(50, 'b'));
    buffer.push(at(20, 'a'));
    buffer.push(at(50, 'c'));
    buffer.release(140);
    expect(released.map(memberOf)).toEqual(['a']);
    buffer.release(150);
    expect(released.map(memberOf)).toEqual(['a', 'b', 'c']);
  });

  it('moves an event that arrives after its time was released up to that time, and flushes the rest', () => {
    const released: TraceEvent[] = [];
    const buffer = new TraceReorderBuffer(100, (event) => released.push(event));
    buffer.release(300);
    buffer.push(at(150, 'late'));
    buffer.push(at(900, 'later'));
    buffer.flush();
    expect(released.map((event) => [memberOf(event), event.timeMs])).toEqual([
      ['late', 200],
      ['later', 900],
    ]);
  });

  it('keeps the setup\'s negative times, in order, until the first release passes them', () => {
    const released: TraceEvent[] = [];
    const buffer = new TraceReorderBuffer(100, (event) => released.push(event));
    buffer.push(at(-3_000, 'b'));
    buffer.push(at(-4_000, 'a'));
    buffer.release(0);
    expect(released.map((event) => [memberOf(event), event.timeMs])).toEqual([
      ['a', -4_000],
      ['b', -3_000],
    ]);
  });
});
