/**
 * The ELK graph of a statechart and its SVG (issue 10 A10): compound states hold their children (nested
 * boxes), ids are `state:<path>`, each compound's initial child gets an arrow from an initial dot, the
 * triggers between two states are one arrow with a line each, and transitions declared on the machine
 * itself are listed once as "from any state". The SVG scales (viewBox, no fixed size) and marks every
 * transition with the states it joins, so the dashboard can highlight the one just taken.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { EDGE_LINE_CHARS_MAX, elkGraphOf, wrapped, type ElkNodeInput } from './elk-graph.js';
import { renderChartSvg } from './elk-svg.js';
import { chartOf } from './model.js';
import { xmlRootElement } from './xml-check.js';

const machine = createMachine({
  id: 'member',
  initial: 'joining',
  on: { CLOSE: '.dead' },
  states: {
    joining: {
      initial: 'finding',
      states: {
        finding: { on: { FOUND: 'awaiting' } },
        awaiting: { on: { JOINED: '#member.stable' } },
      },
    },
    stable: { on: { REVOKE: 'joining', LOST: 'joining' } },
    dead: { type: 'final' },
  },
});

const childIds = (node: ElkNodeInput | undefined): string[] => (node?.children ?? []).map((child) => child.id);

describe('elkGraphOf', () => {
  const built = elkGraphOf(chartOf(machine));

  it('nests compound states as nodes holding their children, with ids state:<path> and initial dots', () => {
    expect(childIds(built.graph)).toEqual(['initial:', 'state:joining', 'state:stable', 'state:dead']);
    const joining = built.graph.children?.find((child) => child.id === 'state:joining');
    expect(childIds(joining)).toEqual(['initial:joining', 'state:joining.finding', 'state:joining.awaiting']);
    expect(joining?.labels?.[0]?.text).toBe('joining');
    expect(joining?.layoutOptions?.['elk.padding']).toMatch(/^\[top=\d+/);
    expect(built.graph.layoutOptions?.['elk.algorithm']).toBe('layered');
    expect(built.graph.layoutOptions?.['elk.hierarchyHandling']).toBe('INCLUDE_CHILDREN');
    expect(built.graph.layoutOptions?.['elk.edgeRouting']).toBe('ORTHOGONAL');
  });

  it('draws one arrow per pair of states with a label line per trigger, across nesting levels', () => {
    const edges = [...built.edges.values()];
    expect(edges).toContainEqual({ from: null, to: 'joining', label: '' });
    expect(edges).toContainEqual({ from: null, to: 'joining.finding', label: '' });
    expect(edges).toContainEqual({ from: 'joining.finding', to: 'joining.awaiting', label: 'FOUND' });
    expect(edges).toContainEqual({ from: 'joining.awaiting', to: 'stable', label: 'JOINED' });
    expect(edges).toContainEqual({ from: 'stable', to: 'joining', label: 'REVOKE\nLOST' });
    const merged = built.graph.edges?.find((edge) => edge.sources[0] === 'state:stable');
    expect(merged?.labels?.[0]?.height).toBeGreaterThan((built.graph.edges?.find((edge) => edge.sources[0] === 'state:joining.finding')?.labels?.[0]?.height ?? 0) * 1.5);
  });

  it("lists a transition declared on the machine once, as from any state, not as an arrow from each state", () => {
    expect(built.fromAnyState).toEqual([{ to: 'dead', label: 'CLOSE' }]);
    expect([...built.edges.values()].filter((edge) => edge.to === 'dead')).toEqual([]);
  });
});

describe('wrapped: a long trigger line cut at its spaces, so labels stay narrow', () => {
  it('keeps a short line, cuts a long one, and never splits a word', () => {
    expect(wrapped('app.close', EDGE_LINE_CHARS_MAX)).toEqual(['app.close']);
    expect(wrapped('request.joinGroup [joinIsFromNewStaticMember] [joinIsStaticRejoin]', 30)).toEqual(['request.joinGroup', '  [joinIsFromNewStaticMember]', '  [joinIsStaticRejoin]']);
    expect(wrapped('averyveryverylongword short', 10)).toEqual(['averyveryverylongword', '  short']);
  });
});

describe('renderChartSvg', () => {
  it('is well-formed SVG that scales to its container, with state ids, transition ends and the any-state list', async () => {
    const svg = await renderChartSvg(chartOf(machine));
    expect(xmlRootElement(svg)).toBe('svg');
    expect(svg).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).not.toMatch(/<svg [^>]*\swidth="/);
    for (const path of ['joining', 'joining.finding', 'joining.awaiting', 'stable', 'dead']) expect(svg).toContain(`id="state:${path}"`);
    expect(svg).toMatch(/<g id="state:joining" class="cluster">/);
    expect(svg).toMatch(/<g id="state:dead" class="node final">/);
    expect(svg).toMatch(/<g id="edge:\d+" class="edge" data-from="stable" data-to="joining">/);
    expect(svg).toContain('data-from="*" data-to="dead"><text');
    expect(svg).toContain('CLOSE → dead');
    // Every box lies inside the drawing.
    const [, , width, height] = (/viewBox="([\d .]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number);
    for (const match of svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
      const [x, y, w, h] = match.slice(1).map(Number) as [number, number, number, number];
      expect(x + w).toBeLessThanOrEqual((width ?? 0) + 0.5);
      expect(y + h).toBeLessThanOrEqual((height ?? 0) + 0.5);
    }
  });
});
