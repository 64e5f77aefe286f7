import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../trace.js';
import { canonicalJson, TraceHash } from './trace-hash.js';

const hashOf = (events: readonly TraceEvent[]): string => {
  const hash = new TraceHash();
  for (const event of events) hash.observe(event);
  return hash.result();
};

const trace: TraceEvent[] = [
  { type: 'run.started', timeMs: 0, partitions: { orders: 2 }, groups: { app: { topics: ['orders'], guarantee: 'at-least-once' } }, producers: {} },
  { type: 'record.acked', timeMs: 5, producer: 'producer-0', partition: 'orders-0', offset: 0, id: 'r1' },
  { type: 'run.ended', timeMs: 1_000 },
];

describe('trace hash', () => {
  it('writes objects with sorted keys, whatever order they were built in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'c' } })).toBe('{"a":{"c":"c","d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('gives the same hex digest for the same trace, even with keys in another order', () => {
    const reordered = trace.map((event) => Object.fromEntries(Object.entries(event).reverse()) as TraceEvent);
    expect(hashOf(trace)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(reordered)).toBe(hashOf(trace));
  });

  it('changes with any change: a time, a value, the order of events, a missing event', () => {
    const original = hashOf(trace);
    expect(hashOf([trace[0]!, { ...trace[1]!, timeMs: 6 } as TraceEvent, trace[2]!])).not.toBe(original);
    expect(hashOf([trace[0]!, { ...trace[1]!, id: 'r2' } as TraceEvent, trace[2]!])).not.toBe(original);
    expect(hashOf([trace[1]!, trace[0]!, trace[2]!])).not.toBe(original);
    expect(hashOf([trace[0]!, trace[2]!])).not.toBe(original);
  });

  it('takes no event after its digest', () => {
    const hash = new TraceHash();
    hash.observe(trace[0]!);
    const digest = hash.result();
    expect(hash.result()).toBe(digest);
    expect(() => hash.observe(trace[1]!)).toThrow(/after the hash was taken/);
  });
});
