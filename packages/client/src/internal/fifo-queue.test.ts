import { describe, expect, it } from 'vitest';
import { FifoQueue } from './fifo-queue.js';

describe('FifoQueue', () => {
  it('hands items back in the order they were pushed, across compactions', () => {
    const queue = new FifoQueue<number>();
    const out: number[] = [];
    for (let index = 0; index < 5_000; index++) {
      queue.push(index);
      if (index % 3 === 0) out.push(queue.shift() as number);
    }
    expect(queue.peek()).toBe(out.length);
    expect(queue.last()).toBe(4_999);
    while (queue.length > 0) out.push(queue.shift() as number);
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(queue.shift()).toBeUndefined();
    expect(queue.last()).toBeUndefined();
  });

  it('drains what is left', () => {
    const queue = new FifoQueue<string>();
    queue.push('a');
    queue.push('b');
    queue.shift();
    expect(queue.drain()).toEqual(['b']);
    expect(queue.length).toBe(0);
  });
});
