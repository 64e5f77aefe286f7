import { describe, expect, it } from 'vitest';
import { InboundQueue } from './inbound-queue.js';
import type { CloseReason } from './transport.js';

/** A queue whose scheduled drains run only when the test says so. */
function createQueue(): { queue: InboundQueue; runScheduled: () => void; scheduledCount: () => number } {
  const tasks: Array<() => void> = [];
  const queue = new InboundQueue((task) => tasks.push(task));
  return {
    queue,
    runScheduled: () => {
      for (let task = tasks.shift(); task; task = tasks.shift()) task();
    },
    scheduledCount: () => tasks.length,
  };
}

const frame = (value: number): Uint8Array => Uint8Array.of(value);

describe('InboundQueue', () => {
  it('hands a frame over at once when nothing waits', () => {
    const { queue } = createQueue();
    const received: number[] = [];
    queue.onFrame((bytes) => received.push(bytes[0]!));
    queue.pushFrame(frame(1));
    expect(received).toEqual([1]);
  });

  it('keeps frames until a handler is set, then delivers them in order on a later turn', () => {
    const { queue, runScheduled } = createQueue();
    const received: number[] = [];
    queue.pushFrame(frame(1));
    queue.pushFrame(frame(2));
    queue.onFrame((bytes) => received.push(bytes[0]!));
    expect(received).toEqual([]);
    runScheduled();
    queue.pushFrame(frame(3));
    expect(received).toEqual([1, 2, 3]);
  });

  it('holds frames while paused and delivers them after resume, before newer ones', () => {
    const { queue, runScheduled } = createQueue();
    const received: number[] = [];
    queue.onFrame((bytes) => received.push(bytes[0]!));
    queue.pause();
    queue.pushFrame(frame(1));
    queue.pushFrame(frame(2));
    runScheduled();
    expect(received).toEqual([]);
    expect(queue.queuedFrameCount).toBe(2);
    queue.resume();
    expect(received).toEqual([]); // never inside the caller of resume()
    queue.pushFrame(frame(3));
    runScheduled();
    expect(received).toEqual([1, 2, 3]);
  });

  it('stops mid-backlog when a handler pauses', () => {
    const { queue, runScheduled } = createQueue();
    const received: number[] = [];
    queue.pause();
    for (let value = 1; value <= 4; value += 1) queue.pushFrame(frame(value));
    queue.onFrame((bytes) => {
      received.push(bytes[0]!);
      if (bytes[0] === 2) queue.pause();
    });
    queue.resume();
    runScheduled();
    expect(received).toEqual([1, 2]);
    queue.resume();
    runScheduled();
    expect(received).toEqual([1, 2, 3, 4]);
  });

  it('delivers frames pushed from inside a handler after the current one, never nested', () => {
    const { queue } = createQueue();
    const events: string[] = [];
    queue.onFrame((bytes) => {
      events.push(`start ${bytes[0]}`);
      if (bytes[0] === 1) queue.pushFrame(frame(2));
      events.push(`end ${bytes[0]}`);
    });
    queue.pushFrame(frame(1));
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('reports the close once, after the frames that came before it, and ignores later arrivals', () => {
    const { queue, runScheduled } = createQueue();
    const events: string[] = [];
    queue.pause();
    queue.pushFrame(frame(1));
    queue.pushClose({ code: 1000, reason: 'done' });
    queue.pushClose({ code: 1006, reason: 'second close' });
    queue.pushFrame(frame(2));
    queue.onFrame((bytes) => events.push(`frame ${bytes[0]}`));
    queue.onClose((reason: CloseReason) => events.push(`close ${reason.code} ${reason.reason}`));
    runScheduled();
    expect(events).toEqual([]);
    queue.resume();
    runScheduled();
    expect(events).toEqual(['frame 1', 'close 1000 done']);
  });

  it('reports a close that happened before the close handler was set', () => {
    const { queue, runScheduled } = createQueue();
    const reasons: CloseReason[] = [];
    queue.pushClose({ code: 1001, reason: 'going away' });
    queue.onClose((reason) => reasons.push(reason));
    runScheduled();
    expect(reasons).toEqual([{ code: 1001, reason: 'going away' }]);
  });

  it('keeps the rest of the backlog in order when a handler throws', () => {
    const { queue, runScheduled } = createQueue();
    const received: number[] = [];
    queue.onFrame((bytes) => {
      received.push(bytes[0]!);
      if (bytes[0] === 1) throw new Error('handler bug');
    });
    queue.pause();
    for (let value = 1; value <= 3; value += 1) queue.pushFrame(frame(value));
    queue.resume();
    expect(() => runScheduled()).toThrow('handler bug');
    runScheduled();
    expect(received).toEqual([1, 2, 3]);
  });

  it('stays in order over a long backlog (compaction)', () => {
    const { queue, runScheduled } = createQueue();
    const received: number[] = [];
    queue.pause();
    for (let value = 0; value < 5_000; value += 1) queue.pushFrame(Uint8Array.of(value >> 8, value & 0xff));
    let seen = 0;
    queue.onFrame((bytes) => {
      received.push(bytes[0]! * 256 + bytes[1]!);
      seen += 1;
      if (seen % 1_500 === 0) queue.pause();
    });
    for (let round = 0; round < 5 && received.length < 5_000; round += 1) {
      queue.resume();
      runScheduled();
    }
    expect(received).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(queue.queuedFrameCount).toBe(0);
  });
});
