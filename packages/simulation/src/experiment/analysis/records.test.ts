import { describe, expect, it } from 'vitest';
import { RecordsAnalyzer } from './records.js';
import { acked, committed, feed, processed, runStarted } from './trace-builder.test-support.js';
import { MAX_VIOLATIONS_LISTED } from './trace-vocabulary.js';

const start = (guarantee: 'at-least-once' | 'exactly-once' = 'at-least-once') => runStarted({ orders: 2, audit: 1 }, { app: { topics: ['orders'], guarantee } });

describe('lost and duplicated records', () => {
  it('passes a clean trace: every acknowledged record of the group\'s topics processed once', () => {
    const records = feed(new RecordsAnalyzer(), [
      start(),
      acked(1, 'orders-0', 0),
      acked(2, 'orders-1', 0),
      acked(3, 'audit-0', 0), // no group reads audit: not lost
      processed(4, 'app/member-0', 'orders-0', 0),
      processed(5, 'app/member-1', 'orders-1', 0),
    ]);
    expect(records.result()).toEqual([]);
    expect(records.uniqueProcessed()).toBe(2);
    expect(records.processedTwiceCount()).toBe(0);
  });

  it('catches a planted loss: an acknowledged record nobody in the group processed', () => {
    const records = feed(new RecordsAnalyzer(), [start(), acked(1, 'orders-0', 0), acked(2, 'orders-0', 1, 'r-lost'), processed(4, 'app/member-0', 'orders-0', 0)]);
    expect(records.result()).toEqual([{ checker: 'lost', detail: 'app: orders-0 offset 1 (id r-lost) acknowledged but never processed' }]);
  });

  it('allows at-least-once repeats of uncommitted records, counting them', () => {
    const records = feed(new RecordsAnalyzer(), [
      start(),
      acked(1, 'orders-0', 0),
      acked(1, 'orders-0', 1),
      processed(2, 'app/member-0', 'orders-0', 0),
      processed(3, 'app/member-0', 'orders-0', 1),
      committed(4, 'app/member-0', 'orders-0', 1), // offset 1 not committed
      processed(9, 'app/member-1', 'orders-0', 1),
      processed(10, 'app/member-1', 'orders-0', 1),
    ]);
    expect(records.result()).toEqual([]);
    expect(records.processedTwiceCount()).toBe(1);
    expect(records.uniqueProcessed()).toBe(2);
  });

  it('catches a planted duplicate beyond at-least-once: processed again behind the committed offset', () => {
    const records = feed(new RecordsAnalyzer(), [
      start(),
      acked(1, 'orders-0', 0),
      processed(2, 'app/member-0', 'orders-0', 0),
      committed(4, 'app/member-0', 'orders-0', 1),
      processed(9, 'app/member-1', 'orders-0', 0),
    ]);
    expect(records.result()).toEqual([
      { checker: 'duplicated', detail: 'app: orders-0 offset 0 (id orders-0@0) processed again by app/member-1 (first by app/member-0) although the group had committed offset 1' },
    ]);
  });

  it('catches any repeat under exactly-once, and an id acknowledged twice under either guarantee', () => {
    const exactlyOnce = feed(new RecordsAnalyzer(), [start('exactly-once'), acked(1, 'orders-0', 0), processed(2, 'app/member-0', 'orders-0', 0), processed(3, 'app/member-1', 'orders-0', 0)]);
    expect(exactlyOnce.result().map((violation) => violation.detail)).toEqual(['app: orders-0 offset 0 (id orders-0@0) processed again by app/member-1 (first by app/member-0) under exactly-once']);
    const twice = feed(new RecordsAnalyzer(), [start(), acked(1, 'orders-0', 0, 'r'), acked(2, 'orders-0', 1, 'r'), processed(3, 'app/member-0', 'orders-0', 0, { id: 'r' })]);
    expect(twice.result()).toEqual([{ checker: 'duplicated', detail: 'id r acknowledged twice: orders-0 offset 0 and orders-0 offset 1 (a duplicate in the log from an idempotent producer)' }]);
  });

  it('allows a record written twice by a producer without idempotence (a retried produce), still counting its second processing', () => {
    const started = (idempotent: boolean) => runStarted({ orders: 1 }, { app: { topics: ['orders'] } }, 0, { 'producer-0': { topic: 'orders', idempotent } });
    const events = (idempotent: boolean) => [
      started(idempotent),
      acked(1, 'orders-0', 0, 'r'),
      acked(2, 'orders-0', 1, 'r'),
      processed(3, 'app/member-0', 'orders-0', 0, { id: 'r' }),
      processed(4, 'app/member-0', 'orders-0', 1, { id: 'r' }),
    ];
    const allowed = feed(new RecordsAnalyzer(), events(false));
    expect(allowed.result()).toEqual([]);
    expect(allowed.processedTwiceCount()).toBe(1);
    const idempotent = feed(new RecordsAnalyzer(), events(true));
    expect(idempotent.result().map((violation) => violation.checker)).toEqual(['duplicated']);
    expect(idempotent.processedTwiceCount()).toBe(1);
  });

  it('lists a bounded number of violations and counts the rest', () => {
    const events = [start(), ...Array.from({ length: 50 }, (_, offset) => acked(1, 'orders-1', offset))];
    const violations = feed(new RecordsAnalyzer(), events).result();
    expect(violations).toHaveLength(MAX_VIOLATIONS_LISTED + 1);
    expect(violations.at(-1)).toEqual({ checker: 'lost', detail: `and ${50 - MAX_VIOLATIONS_LISTED} more lost violation(s)` });
  });
});
