import { describe, expect, it } from 'vitest';
import { MemberEventStream, recordIdOfValue } from './member-events.js';

const startMs = 1_000_000;

describe('a CLI consumer line as a trace event', () => {
  it('turns lifecycle lines into member events at their own time since the run started, and records at their arrival', () => {
    const stream = new MemberEventStream('app', 'app/member-0', () => startMs);
    expect(stream.convert(JSON.stringify({ type: 'state', from: 'joining', to: 'stable', generation: 3, atMs: startMs + 40 }), startMs + 45)).toEqual({
      type: 'member.state',
      timeMs: 40,
      group: 'app',
      member: 'app/member-0',
      from: 'joining',
      to: 'stable',
      generation: 3,
    });
    expect(stream.convert(JSON.stringify({ type: 'assigned', partitions: [{ topic: 'orders', partition: 2 }], generation: 3, atMs: startMs + 41 }), startMs + 45)).toMatchObject({
      type: 'member.assigned',
      timeMs: 41,
      partitions: ['orders-2'],
      generation: 3,
    });
    const record = { type: 'record', topic: 'orders', partition: 2, offset: 7, value: 'p0-12 .....' };
    expect(stream.convert(JSON.stringify(record), startMs + 60)).toEqual({ type: 'record.processed', timeMs: 60, group: 'app', member: 'app/member-0', partition: 'orders-2', offset: 7, id: 'p0-12', generation: 3 });
    const rebalance = { type: 'rebalance', trigger: 'join', generations: [3, 4], startMs: startMs + 100, endMs: startMs + 250, pausedMs: 150, partiallyPausedMs: 0, completed: true, atMs: startMs + 250 };
    expect(stream.convert(JSON.stringify(rebalance), startMs + 251)).toMatchObject({ type: 'member.rebalance', timeMs: 250, trigger: 'join', generations: [3, 4], startMs: 100, endMs: 250, pausedMs: 150, completed: true });
  });

  it('never goes back in time within one member; counts from the setup\'s start, then from the workload\'s, a late setup line below 0', () => {
    const setupStartMs = startMs - 4_000;
    let originMs = setupStartMs;
    const stream = new MemberEventStream('app', 'app/member-0', () => originMs);
    expect(stream.convert(JSON.stringify({ type: 'state', from: 'unjoined', to: 'joining', generation: -1, atMs: setupStartMs + 5 }), setupStartMs + 6)?.timeMs).toBe(5);
    originMs = startMs;
    expect(stream.convert(JSON.stringify({ type: 'state', from: 'joining', to: 'stable', generation: 1, atMs: startMs - 100 }), startMs + 1)?.timeMs).toBe(-100);
    expect(stream.convert(JSON.stringify({ type: 'record', topic: 't', partition: 0, offset: 0, value: 'a' }), startMs + 30)?.timeMs).toBe(30);
    expect(stream.convert(JSON.stringify({ type: 'revoked', partitions: [], generation: 1, atMs: startMs + 20 }), startMs + 31)?.timeMs).toBe(30);
  });

  it('ignores lines that are not events', () => {
    const stream = new MemberEventStream('app', 'app/member-0', () => startMs);
    expect(stream.convert('Processed a total of 3 messages', startMs)).toBeUndefined();
    expect(stream.convert(JSON.stringify({ type: 'something-else' }), startMs)).toBeUndefined();
  });

  it('reads the record id from a padded value', () => {
    expect(recordIdOfValue('p1-9 ......')).toBe('p1-9');
    expect(recordIdOfValue('p1-9')).toBe('p1-9');
  });
});
