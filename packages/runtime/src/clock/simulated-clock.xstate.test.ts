import { assign, createActor, createMachine, setup, SimulatedClock as XStateSimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './simulated-clock.js';

/** a -> b -> c -> d, each step an `after` of 100 ms. */
const chain = createMachine({
  id: 'chain',
  initial: 'a',
  states: {
    a: { after: { 100: 'b' } },
    b: { after: { 100: 'c' } },
    c: { after: { 100: 'd' } },
    d: {},
  },
});

/** Counts its own 100 ms ticks forever: one pending timer per actor at any time. */
const ticker = setup({ types: { context: {} as { ticks: number } } }).createMachine({
  id: 'ticker',
  context: { ticks: 0 },
  initial: 'ticking',
  states: {
    ticking: {
      after: { 100: { target: 'ticking', reenter: true, actions: assign({ ticks: ({ context }) => context.ticks + 1 }) } },
    },
  },
});

describe('SimulatedClock driving XState', () => {
  it('runs delayed transitions of an actor created with { clock }', () => {
    const clock = new SimulatedClock();
    const actor = createActor(chain, { clock }).start();
    expect(actor.getSnapshot().value).toBe('a');
    clock.advanceBy(99);
    expect(actor.getSnapshot().value).toBe('a');
    clock.advanceBy(1);
    expect(actor.getSnapshot().value).toBe('b');
    actor.stop();
    expect(clock.pendingTimerCount).toBe(0);
  });

  it('one big advance over chained delays lands where small steps would', () => {
    const clock = new SimulatedClock();
    const actor = createActor(chain, { clock }).start();
    clock.advanceBy(250);
    // The second `after` was armed at t=100, so it fired at t=200; the third is due at t=300.
    expect(actor.getSnapshot().value).toBe('c');
    clock.advanceBy(50);
    expect(actor.getSnapshot().value).toBe('d');
  });

  it("differs from XState's own SimulatedClock, whose chained timers count from the end of the jump", () => {
    const theirs = new XStateSimulatedClock();
    const actor = createActor(chain, { clock: theirs }).start();
    theirs.increment(250);
    // This pins the behaviour our clock exists to fix; if XState changes it, this test tells us.
    expect(actor.getSnapshot().value).toBe('b');
  });

  it('runs 10,000 actors with a 100 ms loop over 1 s of virtual time, every tick at its own time', () => {
    const clock = new SimulatedClock();
    const actors = Array.from({ length: 10_000 }, () => createActor(ticker, { clock }).start());
    expect(clock.pendingTimerCount).toBe(10_000);
    clock.advanceBy(1_000);
    const ticks = actors.map((actor) => actor.getSnapshot().context.ticks);
    expect(ticks.every((count) => count === 10)).toBe(true);
    expect(ticks.reduce((sum, count) => sum + count, 0)).toBe(100_000);
    expect(clock.pendingTimerCount).toBe(10_000);
    expect(clock.nextTimerAt()).toBe(1_100);
    for (const actor of actors) actor.stop();
    expect(clock.pendingTimerCount).toBe(0);
    // The clock itself needs about 1 µs per fire; XState's development build (what vitest loads) takes
    // the rest, about 3 s on an idle 2-core machine, so the bound only guards against a loaded one.
  }, 60_000);
});
