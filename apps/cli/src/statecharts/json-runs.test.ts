/**
 * The JSON export is enough to run a machine again: read back with createMachine and given the named
 * implementations from its setup() (guard expressions rebuilt with not/and/or), it takes the same
 * transitions as the original on the same events and the same simulated clock.
 */
import { and, assign, createActor, createMachine, not, setup, SimulatedClock, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { expressionGuards, guardFromCode, GuardExpressionError } from './guard-expressions.test-support.js';
import { guardText } from './guards.js';
import { statelyJson } from './json.js';

const original = setup({
  types: { context: {} as { joins: number; fenced: boolean }, events: {} as { type: 'join' } | { type: 'fence' } | { type: 'leave' } },
  actions: { countJoin: assign({ joins: ({ context }) => context.joins + 1 }), fence: assign({ fenced: true }) },
  guards: { isFenced: ({ context }) => context.fenced, joinedBefore: ({ context }) => context.joins > 0 },
  delays: { sessionTimeout: 1_000 },
}).createMachine({
  id: 'member',
  context: { joins: 0, fenced: false },
  initial: 'unjoined',
  states: {
    unjoined: { on: { join: [{ guard: and(['joinedBefore', 'isFenced']), target: 'dead' }, { guard: not('isFenced'), target: 'stable', actions: 'countJoin' }] } },
    stable: { after: { sessionTimeout: 'unjoined' }, on: { fence: { actions: 'fence' }, leave: 'unjoined' } },
    dead: { type: 'final' },
  },
});

function run(machine: AnyStateMachine): string[] {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock }).start();
  const seen: string[] = [];
  const record = () => seen.push(`${JSON.stringify(actor.getSnapshot().value)} ${JSON.stringify(actor.getSnapshot().context)}`);
  for (const step of ['join', 'leave', 'join', 'fence', 'tick', 'join'] as const) {
    if (step === 'tick') clock.increment(1_000);
    else actor.send({ type: step });
    record();
  }
  return seen;
}

describe('statechart JSON export runs', () => {
  it('read back with the setup() implementations, it takes the same transitions as the original', () => {
    const json = JSON.parse(statelyJson(original)) as Record<string, unknown>;
    const implementations = original.implementations;
    const reread = createMachine(json as never).provide({
      actions: implementations.actions as never,
      guards: { ...implementations.guards, ...expressionGuards(json) } as never,
      delays: implementations.delays as never,
    });
    const trace = run(original);
    expect(run(reread)).toEqual(trace);
    expect(trace.at(-1)).toMatch(/^"dead"/); // the and() branch was taken, so the guards really ran
  });

  it('reads back every guard expression guardText writes', () => {
    for (const guard of [not('a'), and(['a', 'b']), and([not('a'), 'b']), not(and(['a', 'b']))]) {
      const text = guardText(guard, 'code')!;
      expect(guardText(guardFromCode(text), 'code')).toBe(text);
    }
    expect(() => guardFromCode('a && (b')).toThrow(GuardExpressionError);
  });
});
