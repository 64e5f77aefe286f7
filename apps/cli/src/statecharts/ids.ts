/**
 * Diagram ids for states. XState ids are dotted paths (`consumerGroup.joining.routing`); Mermaid and DOT
 * want one plain word per state, unique in the whole diagram, and Mermaid reserves a few words. A state
 * keeps its own key when that is unique and safe (`joining`, `awaitingJoin`), so diagrams read like the
 * machine; otherwise its path joined with `_` (`joining_routing`, `rebalancing_eager_awaitingPoll`).
 */
import { allStates, type Chart } from './model.js';

const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9_]*$/;
// Words with a meaning in Mermaid's stateDiagram grammar (and DOT's), never used bare as a state id.
const RESERVED = new Set(['end', 'state', 'note', 'direction', 'class', 'classdef', 'style', 'click', 'as', 'hide', 'scale', 'default', 'graph', 'digraph', 'subgraph', 'node', 'edge', 'strict', 'root']);

/** XState id -> diagram id, for every state but the root. */
export function diagramIds(chart: Chart): Map<string, string> {
  const states = allStates(chart).filter((state) => state !== chart.root);
  const keyCount = new Map<string, number>();
  for (const state of states) keyCount.set(state.key, (keyCount.get(state.key) ?? 0) + 1);
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const state of states) {
    const own = keyCount.get(state.key) === 1 && PLAIN_WORD.test(state.key) && !RESERVED.has(state.key.toLowerCase()) ? state.key : null;
    let candidate = own ?? safeWord(state.path.join('_'));
    // Bounded by the number of states: each loop takes a suffix no other state has.
    for (let suffix = 2; taken.has(candidate) && suffix <= states.length + 1; suffix += 1) candidate = `${safeWord(state.path.join('_'))}_${suffix}`;
    taken.add(candidate);
    ids.set(state.id, candidate);
  }
  return ids;
}

/** Any text as a plain word: other characters become `_`, and it starts with a letter. */
export function safeWord(text: string): string {
  const word = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(word) && !RESERVED.has(word.toLowerCase()) ? word : `s_${word}`;
}
