import { describe, expect, it } from 'vitest';
import { acked, processed, runStarted } from '../analysis/trace-builder.test-support.js';
import { CatchUp } from './catch-up.js';

describe('the drain phase\'s catch-up', () => {
  it('knows each topic\'s partition count from run.started and topic.partitions', () => {
    const catchUp = new CatchUp(new Map([['app', ['orders']]]));
    catchUp.observe(runStarted({ orders: 2 }, { app: { topics: ['orders'] } }));
    expect(catchUp.partitionCount('orders')).toBe(2);
    catchUp.observe({ type: 'topic.partitions', timeMs: 5, topic: 'orders', partitions: 6 });
    expect(catchUp.partitionCount('orders')).toBe(6);
    expect(catchUp.partitionCount('audit')).toBe(0);
  });

  it('has caught up once every acknowledged offset of the group\'s topics is processed', () => {
    const catchUp = new CatchUp(new Map([['app', ['orders']]]));
    for (const event of [runStarted({ orders: 2 }, { app: { topics: ['orders'] } }), acked(1, 'orders-0', 0), acked(2, 'orders-1', 3)]) catchUp.observe(event);
    catchUp.observe(processed(3, 'app/member-0', 'orders-0', 0));
    expect(catchUp.caughtUp()).toBe(false);
    catchUp.observe(processed(4, 'app/member-0', 'orders-1', 3));
    expect(catchUp.caughtUp()).toBe(true);
  });
});
