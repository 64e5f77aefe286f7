import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap } from './timer-heap.js';

interface Entry {
  dueMs: number;
  sequence: number;
}

const byDueThenSequence = (a: Entry, b: Entry): number => a.dueMs - b.dueMs || a.sequence - b.sequence;

function drain(heap: TimerHeap<Entry>): Entry[] {
  const out: Entry[] = [];
  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) out.push(entry);
  return out;
}

describe('TimerHeap', () => {
  it('pops nothing when empty', () => {
    const heap = new TimerHeap<Entry>();
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it('pops in (due, sequence) order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (dues) => {
        const heap = new TimerHeap<Entry>();
        const entries = dues.map((dueMs, sequence) => ({ dueMs, sequence }));
        for (const entry of entries) heap.push(entry);
        expect(heap.size).toBe(entries.length);
        expect(drain(heap)).toEqual([...entries].sort(byDueThenSequence));
      }),
    );
  });

  it('keeps its order when pushes and pops interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (operations) => {
        const heap = new TimerHeap<Entry>();
        const model: Entry[] = [];
        operations.forEach((operation, sequence) => {
          if (operation === null) {
            model.sort(byDueThenSequence);
            expect(heap.pop()).toEqual(model.shift());
          } else {
            heap.push({ dueMs: operation, sequence });
            model.push({ dueMs: operation, sequence });
          }
        });
        expect(drain(heap)).toEqual(model.sort(byDueThenSequence));
      }),
    );
  });

  it('retains only the kept entries and stays ordered', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), { maxLength: 300 }), (specs) => {
        const heap = new TimerHeap<Entry & { keep: boolean }>();
        const entries = specs.map(([dueMs, keep], sequence) => ({ dueMs, sequence, keep }));
        for (const entry of entries) heap.push(entry);
        heap.retain((entry) => entry.keep);
        const expected = entries.filter((entry) => entry.keep).sort(byDueThenSequence);
        expect(drain(heap)).toEqual(expected);
      }),
    );
  });
});
