import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './simulated-clock.js';

/** Arms a timer that records (label, now at fire time) into `log`. */
function armRecorder(clock: SimulatedClock, log: Array<[string, number]>, label: string, delayMs: number) {
  return clock.setTimeout(() => log.push([label, clock.now()]), delayMs);
}

describe('SimulatedClock', () => {
  it('starts at startMs, 0 by default, and moves only when advanced', () => {
    expect(new SimulatedClock().now()).toBe(0);
    const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
    expect(clock.now()).toBe(1_700_000_000_000);
    clock.advanceBy(250);
    expect(clock.now()).toBe(1_700_000_000_250);
    clock.advanceTo(1_700_000_001_000);
    expect(clock.now()).toBe(1_700_000_001_000);
  });

  it('fires each timer at its own due time, in due order', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    armRecorder(clock, log, 'late', 300);
    armRecorder(clock, log, 'early', 100);
    armRecorder(clock, log, 'middle', 200);
    clock.advanceBy(1_000);
    expect(log).toEqual([
      ['early', 100],
      ['middle', 200],
      ['late', 300],
    ]);
    expect(clock.now()).toBe(1_000);
  });

  it('fires timers due at the same instant in the order they were armed', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    for (const label of ['a', 'b', 'c', 'd']) armRecorder(clock, log, label, 50);
    clock.advanceBy(50);
    expect(log.map(([label]) => label)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fires a timer armed inside a callback in the same advance when it falls due before the target', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    clock.setTimeout(() => {
      log.push(['first', clock.now()]);
      armRecorder(clock, log, 'chained', 100);
      armRecorder(clock, log, 'beyond', 200);
    }, 100);
    clock.advanceBy(250);
    expect(log).toEqual([
      ['first', 100],
      ['chained', 200],
    ]);
    expect(clock.pendingTimerCount).toBe(1);
    clock.advanceBy(50);
    expect(log.at(-1)).toEqual(['beyond', 300]);
  });

  it('fires timers due exactly at the target and leaves later ones pending', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    armRecorder(clock, log, 'at', 100);
    armRecorder(clock, log, 'after', 101);
    clock.advanceTo(100);
    expect(log).toEqual([['at', 100]]);
    expect(clock.nextTimerAt()).toBe(101);
  });

  it('treats negative and NaN delays as 0 and rounds fractional delays up', () => {
    const clock = new SimulatedClock({ startMs: 10 });
    const log: Array<[string, number]> = [];
    armRecorder(clock, log, 'negative', -5);
    armRecorder(clock, log, 'nan', Number.NaN);
    armRecorder(clock, log, 'fraction', 0.2);
    clock.advanceBy(0);
    expect(log).toEqual([
      ['negative', 10],
      ['nan', 10],
    ]);
    clock.advanceBy(1);
    expect(log.at(-1)).toEqual(['fraction', 11]);
  });

  it('refuses an infinite delay instead of never firing silently', () => {
    expect(() => new SimulatedClock().setTimeout(() => undefined, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('never fires a cancelled timer and counts only live ones', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    const cancelled = armRecorder(clock, log, 'cancelled', 100);
    const kept = armRecorder(clock, log, 'kept', 200);
    expect(clock.pendingTimerCount).toBe(2);
    clock.clearTimeout(cancelled);
    clock.clearTimeout(cancelled);
    clock.clearTimeout('not a handle');
    expect(clock.pendingTimerCount).toBe(1);
    expect(clock.nextTimerAt()).toBe(200);
    clock.advanceBy(1_000);
    expect(log).toEqual([['kept', 200]]);
    clock.clearTimeout(kept); // already fired: a no-op
    expect(clock.pendingTimerCount).toBe(0);
    expect(clock.nextTimerAt()).toBeUndefined();
  });

  it('lets a callback cancel a timer due at the same instant', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    const armed: { victim?: unknown } = {};
    clock.setTimeout(() => clock.clearTimeout(armed.victim), 100);
    armed.victim = armRecorder(clock, log, 'victim', 100);
    clock.advanceBy(100);
    expect(log).toEqual([]);
  });

  it('runNext fires only the earliest timer and moves now to its due time', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    armRecorder(clock, log, 'second', 70);
    armRecorder(clock, log, 'first', 30);
    expect(clock.runNext()).toBe(true);
    expect(log).toEqual([['first', 30]]);
    expect(clock.now()).toBe(30);
    expect(clock.runNext()).toBe(true);
    expect(clock.now()).toBe(70);
    expect(clock.runNext()).toBe(false);
    expect(clock.now()).toBe(70);
  });

  it('refuses to move time backwards or by a negative duration', () => {
    const clock = new SimulatedClock({ startMs: 100 });
    expect(() => clock.advanceTo(99)).toThrow(RangeError);
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
    expect(() => clock.advanceBy(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(100);
  });

  it('refuses to advance from inside a timer callback', () => {
    const clock = new SimulatedClock();
    let caught: unknown;
    clock.setTimeout(() => {
      try {
        clock.advanceBy(10);
      } catch (error) {
        caught = error;
      }
    }, 5);
    clock.advanceBy(5);
    expect(String(caught)).toMatch(/re-entrant/);
  });

  it('stops at a throwing callback, propagates the error and keeps the rest pending', () => {
    const clock = new SimulatedClock();
    const log: Array<[string, number]> = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 100);
    armRecorder(clock, log, 'later', 200);
    expect(() => clock.advanceBy(500)).toThrow('boom');
    expect(clock.now()).toBe(100);
    expect(clock.pendingTimerCount).toBe(1);
    clock.advanceBy(400);
    expect(log).toEqual([['later', 200]]);
  });

  it('detects a callback that re-arms itself with zero delay instead of hanging', () => {
    const clock = new SimulatedClock({ maxTimerFiresPerInstant: 1_000 });
    const rearm = (): void => void clock.setTimeout(rearm, 0);
    clock.setTimeout(rearm, 10);
    expect(() => clock.advanceBy(20)).toThrow(/livelock/);
    expect(clock.now()).toBe(10);
  });

  it('stays correct when most timers are cancelled (heap compaction)', () => {
    const clock = new SimulatedClock();
    const fired: number[] = [];
    const handles = Array.from({ length: 10_000 }, (_, index) => clock.setTimeout(() => fired.push(index), index));
    handles.forEach((handle, index) => {
      if (index % 1_000 !== 999) clock.clearTimeout(handle);
    });
    expect(clock.pendingTimerCount).toBe(10);
    expect(clock.nextTimerAt()).toBe(999);
    clock.advanceBy(10_000);
    expect(fired).toEqual([999, 1999, 2999, 3999, 4999, 5999, 6999, 7999, 8999, 9999]);
  });

  it('matches a naive model for any sequence of arm, cancel and advance', () => {
    type Operation =
      | { kind: 'arm'; delayMs: number; chainDelayMs: number | null }
      | { kind: 'cancel'; pick: number }
      | { kind: 'advance'; byMs: number };
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant('arm' as const),
        delayMs: fc.integer({ min: -5, max: 60 }),
        chainDelayMs: fc.option(fc.integer({ min: 0, max: 40 })),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('advance' as const), byMs: fc.integer({ min: 0, max: 80 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations: Operation[]) => {
        const clock = new SimulatedClock();
        const actual: string[] = [];
        // The model: a plain list, scanned for the minimum (due, sequence) on every step.
        interface ModelTimer {
          dueMs: number;
          sequence: number;
          label: string;
          chainDelayMs: number | null;
        }
        let model: ModelTimer[] = [];
        let modelNowMs = 0;
        let modelSequence = 0;
        const expected: string[] = [];
        const handles: Array<{ handle: unknown; label: string }> = [];
        const modelArm = (label: string, delayMs: number, chainDelayMs: number | null): void => {
          model.push({ dueMs: modelNowMs + Math.max(0, delayMs), sequence: modelSequence++, label, chainDelayMs });
        };
        const realArm = (label: string, delayMs: number, chainDelayMs: number | null): unknown =>
          clock.setTimeout(() => {
            actual.push(`${label}@${clock.now()}`);
            if (chainDelayMs !== null) realArm(`${label}+`, chainDelayMs, null);
          }, delayMs);

        operations.forEach((step, index) => {
          if (step.kind === 'arm') {
            const label = `t${index}`;
            handles.push({ handle: realArm(label, step.delayMs, step.chainDelayMs), label });
            modelArm(label, step.delayMs, step.chainDelayMs);
          } else if (step.kind === 'cancel') {
            const target = handles[step.pick % Math.max(1, handles.length)];
            if (target === undefined) return;
            clock.clearTimeout(target.handle);
            model = model.filter((timer) => timer.label !== target.label);
          } else {
            clock.advanceBy(step.byMs);
            const targetMs = modelNowMs + step.byMs;
            for (;;) {
              const next = [...model].sort((a, b) => a.dueMs - b.dueMs || a.sequence - b.sequence)[0];
              if (next === undefined || next.dueMs > targetMs) break;
              model = model.filter((timer) => timer !== next);
              modelNowMs = next.dueMs;
              expected.push(`${next.label}@${modelNowMs}`);
              if (next.chainDelayMs !== null) modelArm(`${next.label}+`, next.chainDelayMs, null);
            }
            modelNowMs = targetMs;
          }
        });
        expect(actual).toEqual(expected);
        expect(clock.now()).toBe(modelNowMs);
        expect(clock.pendingTimerCount).toBe(model.length);
      }),
    );
  });

  describe('async helpers', () => {
    /** A timer whose callback resolves a promise; the promise reaction arms the next timer. */
    function armPromiseChain(clock: SimulatedClock, log: Array<[string, number]>): void {
      new Promise<void>((resolve) => clock.setTimeout(resolve, 10))
        .then(async () => {
          log.push(['resolved', clock.now()]);
          await Promise.resolve();
          armRecorder(clock, log, 'armed by the promise', 10);
        })
        .catch(() => undefined);
    }

    it('advanceByAsync lets promise reactions arm timers at the virtual time they ran', async () => {
      const clock = new SimulatedClock();
      const log: Array<[string, number]> = [];
      armPromiseChain(clock, log);
      await clock.advanceByAsync(25);
      expect(log).toEqual([
        ['resolved', 10],
        ['armed by the promise', 20],
      ]);
      expect(clock.now()).toBe(25);
    });

    it('the synchronous advance runs promise reactions only after it returns, at the target time', async () => {
      const clock = new SimulatedClock();
      const log: Array<[string, number]> = [];
      armPromiseChain(clock, log);
      clock.advanceBy(25);
      expect(log).toEqual([]);
      await clock.advanceByAsync(0);
      expect(log).toEqual([['resolved', 25]]);
      expect(clock.nextTimerAt()).toBe(35);
    });

    it('advanceToAsync runs promise work queued before the call at the current time', async () => {
      const clock = new SimulatedClock({ startMs: 5 });
      const log: Array<[string, number]> = [];
      void Promise.resolve().then(() => armRecorder(clock, log, 'queued earlier', 1));
      await clock.advanceToAsync(10);
      expect(log).toEqual([['queued earlier', 6]]);
    });

    it('fires the timers of one instant before their promise reactions run, in the same order every time', async () => {
      const clock = new SimulatedClock();
      const log: string[] = [];
      for (const label of ['a', 'b']) {
        new Promise<void>((resolve) => clock.setTimeout(() => (log.push(`timer ${label}`), resolve()), 10))
          .then(() => log.push(`reaction ${label}`))
          .catch(() => undefined);
      }
      await clock.advanceByAsync(10);
      expect(log).toEqual(['timer a', 'timer b', 'reaction a', 'reaction b']);
    });

    it('runUntilIdle fires everything, promise-armed timers included, and returns the count', async () => {
      const clock = new SimulatedClock();
      const log: Array<[string, number]> = [];
      armPromiseChain(clock, log);
      armRecorder(clock, log, 'plain', 100);
      expect(await clock.runUntilIdle()).toBe(3);
      expect(log).toEqual([
        ['resolved', 10],
        ['armed by the promise', 20],
        ['plain', 100],
      ]);
      expect(clock.now()).toBe(100);
      expect(clock.pendingTimerCount).toBe(0);
    });

    it('runUntilIdle gives up on a periodic timer after its bound and keeps the timer pending', async () => {
      const clock = new SimulatedClock();
      let beats = 0;
      const heartbeat = (): void => {
        beats += 1;
        clock.setTimeout(heartbeat, 100);
      };
      clock.setTimeout(heartbeat, 100);
      await expect(clock.runUntilIdle({ maxTimerFires: 50 })).rejects.toThrow(/never goes idle/);
      expect(beats).toBe(50);
      expect(clock.pendingTimerCount).toBe(1);
      expect(clock.nextTimerAt()).toBe(5_100);
    });

    it('refuses a second advance while an async one is running', async () => {
      const clock = new SimulatedClock();
      clock.setTimeout(() => undefined, 10);
      const running = clock.advanceByAsync(20);
      expect(() => clock.advanceBy(5)).toThrow(/re-entrant/);
      await running;
      expect(clock.now()).toBe(20);
    });
  });

  it('summarises itself for logs without exposing its timers', () => {
    const clock = new SimulatedClock({ startMs: 42 });
    clock.setTimeout(() => undefined, 1);
    expect(JSON.parse(JSON.stringify({ clock }))).toEqual({
      clock: { kind: 'SimulatedClock', nowMs: 42, pendingTimers: 1 },
    });
  });
});
