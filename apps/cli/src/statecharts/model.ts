/**
 * A statechart as plain data, read from XState's normalized StateNode tree (`machine.root`): states with
 * their nesting, kind, initial child and description, and every transition with its trigger, guard and
 * targets. Mermaid and DOT are written from this, so both diagrams show the same thing.
 *
 * Targetless transitions (actions only, no state change) are kept here but the diagrams leave them out:
 * a diagram shows where a machine can go; the JSON export keeps everything.
 */
import type { AnyStateMachine } from 'xstate';
import { delayLabel } from './delays.js';
import { InlineImplementationError } from './errors.js';
import { guardText, type GuardSyntax } from './guards.js';

export type StateKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ChartTransition {
  /** `event`: on an event; `after`: a delayed transition; `always`: eventless. */
  kind: 'event' | 'after' | 'always';
  /** The event type (kind `event`), or the delay name / milliseconds (kind `after`); null for `always`. */
  trigger: string | number | null;
  /** The guard as text (`not a`, `a and b` in `words` syntax); null when unguarded. */
  guard: string | null;
  /** Ids (dotted paths from the root, XState's `StateNode.id`) of the target states; empty when targetless. */
  targets: string[];
  reenter: boolean;
}

export interface ChartState {
  /** XState's id: the root's id and the keys on the way, joined by dots (`consumerGroup.joining.routing`). */
  id: string;
  key: string;
  /** Keys from the root down, the root excluded (empty for the root). */
  path: string[];
  kind: StateKind;
  description: string | null;
  /** The id of the initial child (compound states only). */
  initial: string | null;
  children: ChartState[];
  transitions: ChartTransition[];
}

export interface Chart {
  machineId: string;
  root: ChartState;
}

/** The slice of XState's StateNode this reads (its public, documented fields). */
interface NodeLike {
  id: string;
  key: string;
  path: string[];
  type: StateKind;
  description?: string;
  states: Record<string, NodeLike>;
  initial?: { target: ReadonlyArray<{ id: string }> };
  transitions: Map<string, TransitionLike[]>;
  after: ReadonlyArray<TransitionLike & { delay: string | number }>;
  always?: ReadonlyArray<TransitionLike>;
}

interface TransitionLike {
  eventType: string;
  guard?: unknown;
  target?: ReadonlyArray<{ id: string }>;
  reenter?: boolean;
}

/**
 * Reads the whole tree; throws InlineImplementationError when a guard is an unnamed function. Guards are
 * in `words` syntax for diagrams; `code` gives the JSON export's spelling (to compare the two).
 */
export function chartOf(machine: AnyStateMachine, syntax: GuardSyntax = 'words'): Chart {
  const inline: string[] = [];
  const root = readState(machine.root as unknown as NodeLike, inline, syntax);
  if (inline.length > 0) throw new InlineImplementationError(machine.id, inline);
  return { machineId: machine.id, root };
}

function readState(node: NodeLike, inline: string[], syntax: GuardSyntax): ChartState {
  const transitions: ChartTransition[] = [];
  const read = (kind: ChartTransition['kind'], trigger: string | number | null, definition: TransitionLike, index: number): void => {
    const guard = definition.guard === undefined ? null : guardText(definition.guard, syntax);
    if (definition.guard !== undefined && guard === null) inline.push(`${node.id} ${kind} ${String(trigger ?? '')}[${index}].guard`);
    transitions.push({ kind, trigger, guard, targets: (definition.target ?? []).map((target) => target.id), reenter: definition.reenter === true });
  };
  const delayed = new Set(node.after.map((definition) => definition.eventType));
  for (const [eventType, definitions] of node.transitions) {
    if (delayed.has(eventType)) continue; // listed once, with its delay, below
    definitions.forEach((definition, index) => read('event', eventType, definition, index));
  }
  node.after.forEach((definition, index) => read('after', definition.delay, definition, index));
  (node.always ?? []).forEach((definition, index) => read('always', null, definition, index));
  return {
    id: node.id,
    key: node.key,
    path: [...node.path],
    kind: node.type,
    description: node.description ?? null,
    initial: node.type === 'compound' ? (node.initial?.target[0]?.id ?? null) : null,
    children: Object.values(node.states).map((child) => readState(child, inline, syntax)),
    transitions,
  };
}

/** Every state of the chart, depth first, the root included. */
export function allStates(chart: Chart): ChartState[] {
  const out: ChartState[] = [];
  const visit = (state: ChartState): void => {
    out.push(state);
    state.children.forEach(visit);
  };
  visit(chart.root);
  return out;
}

/**
 * The transitions a diagram draws: those that change state. A transition declared on the root (it
 * applies in every state) is drawn from each top-level state when the diagram has no box for the root
 * (Mermaid); `rootBox` keeps it as one edge from the root, for a diagram that draws the machine's box (ELK).
 */
export function drawnEdges(chart: Chart, options: { rootBox?: boolean } = {}): Array<{ from: string; to: string; label: string }> {
  const edges = new Map<string, { from: string; to: string; labels: string[] }>();
  const add = (from: string, to: string, transition: ChartTransition): void => {
    // Branches of one event between the same two states become one edge listing each guard.
    const key = `${from}\u0000${to}\u0000${transition.kind}\u0000${String(transition.trigger)}`;
    const edge = edges.get(key) ?? { from, to, labels: [triggerText(transition, chart.machineId)] };
    if (transition.guard !== null) edge.labels.push(`[${transition.guard}]`);
    edges.set(key, edge);
  };
  for (const state of allStates(chart)) {
    for (const transition of state.transitions) {
      for (const target of transition.targets) {
        const sources = state === chart.root && options.rootBox !== true ? chart.root.children.filter((child) => child.kind !== 'final' && child.id !== target) : [state];
        for (const source of sources) add(source.id, target, transition);
      }
    }
  }
  return [...edges.values()].map(({ from, to, labels }) => ({ from, to, label: labels.join(' ') }));
}

function triggerText(transition: ChartTransition, machineId: string): string {
  if (transition.kind === 'always') return 'always';
  if (transition.kind === 'after') return `after ${delayText(transition.trigger, machineId)}`;
  const event = String(transition.trigger);
  // XState's own event names for onDone / onError say less than the words a reader expects.
  for (const [prefix, word] of [['xstate.done.state.', 'done'], ['xstate.done.actor.', 'done'], ['xstate.error.actor.', 'error']] as const) {
    if (event.startsWith(prefix)) return `${word} ${event.slice(prefix.length)}`;
  }
  return event;
}

function delayText(trigger: string | number | null, machineId: string): string {
  return trigger === null ? '' : delayLabel(trigger, machineId);
}
