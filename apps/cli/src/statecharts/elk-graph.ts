/**
 * A statechart as an ELK graph (https://eclipse.dev/elk/, the layout Stately's own visualizer uses):
 * compound and parallel states are nodes holding their children, so a layered layout draws them as nested
 * boxes; transitions are edges with their label (trigger and guard), placed by ELK so that labels do not
 * overlap; each compound state's initial child gets an edge from a small initial dot. Pure: the layout
 * itself runs in elk-svg.ts.
 *
 * Node ids are the SVG ids the page and tests rely on: `state:<path>` (`state:joining.awaitingJoin`);
 * edge ids are `edge:<n>` with the two state paths kept beside them, so a page can mark the transition it
 * just saw taken.
 */
import { drawnEdges, type Chart, type ChartState } from './model.js';

/** The parts of ELK's JSON graph this builds (elkjs's ElkNode, ElkExtendedEdge, ElkLabel). */
export interface ElkLabelInput {
  text: string;
  width: number;
  height: number;
}

export interface ElkNodeInput {
  id: string;
  width?: number;
  height?: number;
  labels?: ElkLabelInput[];
  layoutOptions?: Record<string, string>;
  children?: ElkNodeInput[];
  edges?: ElkEdgeInput[];
}

export interface ElkEdgeInput {
  id: string;
  sources: [string];
  targets: [string];
  labels?: ElkLabelInput[];
}

/** What the drawing needs to know of each node and edge, beside ELK's geometry. */
export interface ChartGraph {
  graph: ElkNodeInput;
  states: Map<string, ChartState>;
  /** Edge id -> the state paths it joins (`joining.awaitingJoin`, `stable`) and its label, one line per trigger; initial edges have from `null`. */
  edges: Map<string, { from: string | null; to: string; label: string }>;
  /** Transitions declared on the machine itself (taken from any state), by target path and label. */
  fromAnyState: Array<{ to: string; label: string }>;
}

/** A longer trigger line (an event with several guards) is wrapped at its spaces: a narrow label keeps the chart narrow. */
export const EDGE_LINE_CHARS_MAX = 40;

/** `text` cut at spaces into lines of at most `max` characters (a word longer than that keeps its own line); later lines indented. */
export function wrapped(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Font sizes the drawing uses; the layout reserves room for the text from them. */
export const STATE_FONT_PX = 12;
export const EDGE_FONT_PX = 10;
export const INITIAL_DOT_PX = 10;
/** One line of an edge's label (an edge carries one line per trigger). */
export const EDGE_LINE_PX = EDGE_FONT_PX + 3;
/** Room above a compound state's children for its name. */
export const COMPOUND_HEADER_PX = 26;

/**
 * A width for text in the drawing's sans-serif font, without a browser to measure it: the average advance
 * of such fonts is a little under 0.6 em; rounded up so a label never overflows its box.
 */
export function textWidth(text: string, fontPx: number): number {
  return Math.ceil(text.length * fontPx * 0.6) + 2;
}

export const pathOf = (state: ChartState): string => state.path.join('.');
export const stateNodeId = (state: ChartState): string => `state:${pathOf(state)}`;

const rootLayout: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Edges between states of different compounds are laid out together with everything else, so they are
  // routed around boxes instead of through them.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '3',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  // Labels sit on their edge (ELK makes room for them in the layer between the two states), so each label is
  // read with its arrow and never overlaps another one.
  'elk.edgeLabels.inline': 'true',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.mergeEdges': 'true',
  // Every coordinate relative to the whole drawing, so the SVG needs no nested transforms.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

const compoundLayout = (kind: ChartState['kind']): Record<string, string> => ({
  'elk.padding': `[top=${COMPOUND_HEADER_PX + 8},left=12,bottom=12,right=12]`,
  // A parallel state's regions side by side, as statecharts draw them.
  ...(kind === 'parallel' ? { 'elk.direction': 'RIGHT' } : {}),
});

/** The ELK graph of a chart: every state a node (nested), every drawn transition an edge, initial dots. */
export function elkGraphOf(chart: Chart): ChartGraph {
  const states = new Map<string, ChartState>();
  const edges: ChartGraph['edges'] = new Map();
  const graphEdges: ElkEdgeInput[] = [];
  const edgeId = () => `edge:${edges.size}`;

  const initialEdge = (parent: ChartState, initialNodeId: string): void => {
    const target = parent.children.find((child) => child.id === parent.initial);
    if (target === undefined) return;
    const id = edgeId();
    edges.set(id, { from: null, to: pathOf(target), label: '' });
    graphEdges.push({ id, sources: [initialNodeId], targets: [stateNodeId(target)] });
  };

  const nodeOf = (state: ChartState): ElkNodeInput => {
    states.set(pathOf(state), state);
    const name = state.kind === 'parallel' ? `${state.key} (parallel)` : state.key;
    if (state.children.length === 0) {
      return { id: stateNodeId(state), width: Math.max(textWidth(name, STATE_FONT_PX) + 24, 64), height: 34, labels: [{ text: name, width: textWidth(name, STATE_FONT_PX), height: STATE_FONT_PX + 4 }] };
    }
    const children = state.children.map(nodeOf);
    if (state.kind === 'compound' && state.initial !== null) {
      const initialId = `initial:${pathOf(state)}`;
      children.unshift({ id: initialId, width: INITIAL_DOT_PX, height: INITIAL_DOT_PX });
      initialEdge(state, initialId);
    }
    return { id: stateNodeId(state), labels: [{ text: name, width: textWidth(name, STATE_FONT_PX), height: STATE_FONT_PX + 4 }], layoutOptions: compoundLayout(state.kind), children };
  };

  const top = chart.root.kind === 'parallel' ? [nodeOf({ ...chart.root, key: chart.machineId, path: [] })] : chart.root.children.map(nodeOf);
  if (chart.root.kind === 'compound' && chart.root.initial !== null) {
    top.unshift({ id: 'initial:', width: INITIAL_DOT_PX + 2, height: INITIAL_DOT_PX + 2 });
    initialEdge(chart.root, 'initial:');
  }
  const byId = new Map<string, ChartState>();
  for (const state of states.values()) byId.set(state.id, state);
  const fromAnyState: ChartGraph['fromAnyState'] = [];
  const byEnds = new Map<string, { from: ChartState; to: ChartState; lines: string[] }>();
  for (const edge of drawnEdges(chart, { rootBox: true })) {
    const to = byId.get(edge.to);
    if (to === undefined) continue;
    // Declared on the machine itself, so taken from every state: drawn as one line of text beside the chart
    // (`app.close → dead`) instead of an arrow from each top-level state, which would cross everything.
    if (edge.from === chart.root.id && chart.root.kind !== 'parallel') {
      fromAnyState.push({ to: pathOf(to), label: edge.label });
      continue;
    }
    const from = byId.get(edge.from);
    if (from === undefined) continue;
    // Every trigger between the same two states is one arrow with one line per trigger: a stack of short
    // lines instead of a row of parallel arrows whose labels would spread the chart sideways.
    const key = `${pathOf(from)}\u0000${pathOf(to)}`;
    const existing = byEnds.get(key);
    if (existing !== undefined) {
      existing.lines.push(edge.label);
      continue;
    }
    byEnds.set(key, { from, to, lines: [edge.label] });
  }
  for (const { from, to, lines: triggers } of byEnds.values()) {
    const lines = triggers.flatMap((line) => wrapped(line, EDGE_LINE_CHARS_MAX));
    const id = edgeId();
    edges.set(id, { from: pathOf(from), to: pathOf(to), label: lines.join('\n') });
    graphEdges.push({ id, sources: [stateNodeId(from)], targets: [stateNodeId(to)], labels: [{ text: lines.join('\n'), width: Math.max(...lines.map((line) => textWidth(line, EDGE_FONT_PX))), height: lines.length * EDGE_LINE_PX + 2 }] });
  }
  return { graph: { id: 'root', layoutOptions: rootLayout, children: top, edges: graphEdges }, states, edges, fromAnyState };
}
