/**
 * The export's three formats for every machine: the JSON that Stately imports (and createMachine reads
 * back to the same chart), Mermaid that names every state, and SVG that is well-formed XML.
 */
import { createMachine, not, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { InlineImplementationError, UnknownStatechartFormatError } from './errors.js';
import { parseFormats, renderStatechart } from './export.js';
import { diagramIds } from './ids.js';
import { statelyConfig, statelyJson } from './json.js';
import { renderMermaid } from './mermaid.js';
import { allStates, chartOf } from './model.js';
import { STATECHARTS } from './registry.js';
import { xmlRootElement } from './xml-check.js';

const entries = Object.entries(STATECHARTS);

describe('statechart export', () => {
  it("the consumer machine's exported definition has the states unjoined, joining, syncing, stable, rebalancing, dead", () => {
    const config = JSON.parse(statelyJson(STATECHARTS.consumer!.machine)) as { id: string; initial: string; states: Record<string, unknown> };
    expect(config.id).toBe('consumerGroup');
    expect(config.initial).toBe('unjoined');
    expect(Object.keys(config.states)).toEqual(['unjoined', 'joining', 'syncing', 'stable', 'rebalancing', 'dead']);
  });

  it.each(entries)('%s: JSON round-trips through createMachine to the same states and transitions', (_name, entry) => {
    const reread = createMachine(JSON.parse(statelyJson(entry.machine)));
    expect(chartOf(reread, 'code')).toEqual(chartOf(entry.machine, 'code'));
  });

  it('JSON keeps not/and guards as expressions instead of dropping them (JSON.stringify alone would)', () => {
    const text = statelyJson(STATECHARTS.consumer!.machine);
    expect(text).toContain('"guard": "!answersPendingFind"');
    expect(text).toContain('"guard": "succeeded && assignmentRevokesOwned"');
    // What the exporter guards against: the plain stringify loses the guard and leaves the branch unguarded.
    expect(JSON.stringify(STATECHARTS.consumer!.machine.config)).not.toContain('answersPendingFind');
  });

  it('refuses a machine with inline functions, naming each one', () => {
    const machine = setup({ guards: { ready: () => true } }).createMachine({
      id: 'inline',
      initial: 'a',
      states: {
        a: { entry: () => undefined, on: { go: { guard: ({ event }) => event.type === 'go', target: 'b' }, back: { guard: not('ready'), target: 'b' } } },
        b: { after: { 100: 'a' } },
      },
    });
    expect(() => statelyConfig(machine)).toThrow(InlineImplementationError);
    try {
      statelyConfig(machine);
    } catch (error) {
      expect((error as InlineImplementationError).paths).toEqual(['states.a.entry', 'states.a.on.go.guard']);
    }
    expect(() => chartOf(machine)).toThrow(/inline\.a event go\[0\]\.guard/);
  });

  it.each(entries)('%s: Mermaid is a stateDiagram-v2 naming every state with a plain id', (_name, entry) => {
    const chart = chartOf(entry.machine);
    const mermaid = renderMermaid(chart);
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    const ids = diagramIds(chart);
    for (const state of allStates(chart).slice(1)) {
      const id = ids.get(state.id)!;
      expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(mermaid, state.id).toMatch(new RegExp(`(^|\\s)${id}(\\s|$)`, 'm'));
      expect(mermaid, state.id).toContain(state.key);
    }
    // Balanced composite blocks.
    expect(mermaid.match(/\{$/gm)?.length ?? 0).toBe(mermaid.match(/^\s*\}$/gm)?.length ?? 0);
  });

  it('Mermaid labels delayed transitions with the Kafka setting and always transitions as such', () => {
    const consumer = renderMermaid(chartOf(STATECHARTS.consumer!.machine));
    expect(consumer).toContain('backingOff --> joining_routing : after retryBackoff (retry.backoff.ms)');
    expect(consumer).toContain('joining_routing --> awaitingJoin : always [coordinatorKnown]');
    expect(consumer).toContain('syncing --> revokingMoved : response.syncGroup [succeeded and assignmentRevokesOwned]');
    expect(consumer).toContain('dead --> [*]');
    const coordinator = renderMermaid(chartOf(STATECHARTS['group-coordinator']!.machine));
    expect(coordinator).toContain('after initialRebalanceDelay (group.initial.rebalance.delay.ms)');
  });

  it('Mermaid draws parallel regions separated by --', () => {
    const broker = renderMermaid(chartOf(STATECHARTS.broker!.machine));
    expect(broker).toMatch(/state lifecycle \{[\s\S]*\n\s+--\n\s+state heartbeat \{/);
  });

  it('Mermaid ids stay plain for keys with dashes, dots in ids, and reserved words', () => {
    const machine = createMachine({
      id: 'odd.machine-id',
      initial: 'in-sync',
      states: { 'in-sync': { on: { 'x.y': 'end' } }, end: { type: 'final' }, state: { id: 'custom.id', initial: 'end', states: { end: {} } } },
    });
    const mermaid = renderMermaid(chartOf(machine));
    expect(mermaid).toContain('[*] --> in_sync');
    expect(mermaid).toContain('state "in-sync" as in_sync');
    expect(mermaid).toContain('in_sync --> s_end : x.y');
    expect(mermaid).toContain('state s_state {');
    for (const line of mermaid.split('\n').filter((l) => l.includes('-->'))) expect(line).toMatch(/^\s*(\[\*\]|[A-Za-z][A-Za-z0-9_]*) --> (\[\*\]|[A-Za-z][A-Za-z0-9_]*)( : [^:;#"{}<>]+)?$/);
  });

  it.each(entries)('%s: SVG is well-formed XML with an <svg> root and shows the states', async (_name, entry) => {
    const svg = await renderStatechart(entry, 'svg');
    expect(xmlRootElement(svg)).toBe('svg');
    // A parallel state's box is labelled `ready (parallel)`.
    for (const state of allStates(chartOf(entry.machine)).slice(1)) expect(svg, state.id).toMatch(new RegExp(`>${state.key}(?: \\(parallel\\))?<`));
  });

  it('parses --format as one format or a comma list, all three by default', () => {
    expect(parseFormats(undefined)).toEqual(['json', 'mermaid', 'svg']);
    expect(parseFormats('svg,json')).toEqual(['json', 'svg']);
    expect(parseFormats('mermaid')).toEqual(['mermaid']);
    expect(() => parseFormats('png')).toThrow(UnknownStatechartFormatError);
    expect(() => parseFormats(',')).toThrow(UnknownStatechartFormatError);
  });
});
