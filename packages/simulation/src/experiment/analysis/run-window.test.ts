import { describe, expect, it } from 'vitest';
import { RunWindow } from './run-window.js';
import type { TraceEvent } from '../trace.js';
import { acked, runEnded, runStarted } from './trace-builder.test-support.js';

describe('the run window', () => {
  it('closes at run.ended when it comes within the duration', () => {
    const window = new RunWindow(10_000);
    expect(window.place(runStarted({}, {}, 1_000))).toBe('inside');
    expect(window.place(acked(11_000, 'orders-0', 0))).toBe('inside');
    expect(window.place(runEnded(8_000))).toBe('closing');
    expect(window.place(acked(8_500, 'orders-0', 1))).toBe('after');
    expect(window.endMs).toBe(8_000);
    expect(window.close()).toBe(false);
  });

  it('closes at the duration when the run goes on (a drain phase), or when nothing closed it', () => {
    const drained = new RunWindow(10_000);
    drained.place(runStarted({}, {}, 1_000));
    expect(drained.place(acked(11_000, 'orders-0', 0))).toBe('inside');
    expect(drained.place(acked(11_001, 'orders-0', 1))).toBe('closing');
    expect(drained.place(runEnded(30_000))).toBe('after');
    expect(drained.endMs).toBe(11_000);
    const open = new RunWindow(10_000);
    open.place(runStarted({}, {}, 0));
    expect(open.close()).toBe(true);
    expect(open.endMs).toBe(10_000);
  });

  it('opens at the workload\'s start when run.started comes before it (the setup, where the groups form)', () => {
    const window = new RunWindow(10_000);
    expect(window.place({ ...runStarted({}, {}, -4_000), workloadStartMs: 0 } as TraceEvent)).toBe('inside');
    expect(window.place(acked(-1, 'orders-0', 0))).toBe('setup');
    expect(window.place(acked(0, 'orders-0', 1))).toBe('inside');
    expect(window.place(acked(10_001, 'orders-0', 2))).toBe('closing');
    expect(window.startMs).toBe(0);
    expect(window.endMs).toBe(10_000);
  });
});
