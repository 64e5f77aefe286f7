/**
 * Graphviz DOT from a Chart, for the SVG export: compound and parallel states are clusters (parallel ones
 * dashed, as regions are drawn in statecharts), initial states get a small filled dot, final states a
 * double border. Graphviz cannot start an edge at a cluster, so an arrow from a compound state starts at an
 * invisible anchor point inside its cluster (`lhead`/`ltail` clip it to the cluster's border).
 */
import { diagramIds } from './ids.js';
import { drawnEdges, type Chart, type ChartState } from './model.js';

export interface DotOptions {
  /**
   * Give every state's node or cluster the SVG id `state:<path>` (`state:joining.routing`), so a page can
   * find the active states of a snapshot's value and highlight them (the dashboard does). Off for the export.
   */
  stateIds?: boolean;
}

export function renderDot(chart: Chart, options: DotOptions = {}): string {
  const ids = diagramIds(chart);
  const svgId = (state: ChartState): string => (options.stateIds === true ? `, id=${quote(`state:${state.path.join('.')}`)}` : '');
  const byId = new Map<string, ChartState>();
  const index = (state: ChartState): void => {
    byId.set(state.id, state);
    state.children.forEach(index);
  };
  index(chart.root);
  // The node an edge attaches to: the state itself, or the anchor inside a compound state's cluster.
  const nodeOf = (id: string): string => {
    const state = byId.get(id);
    const word = ids.get(id) ?? 'root';
    return state !== undefined && state.children.length > 0 ? `${word}__anchor` : word;
  };

  const lines = [
    `digraph ${quote(chart.machineId)} {`,
    '  compound=true; rankdir=TB; nodesep=0.5; ranksep=0.6; fontname="Helvetica"; fontsize=12;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#4a5568"];',
    `  label=${quote(`${chart.machineId} (kactor statecharts export)`)}; labelloc=t;`,
  ];
  const stateLines = (state: ChartState, depth: number): void => {
    const pad = '  '.repeat(depth);
    const word = ids.get(state.id) ?? 'root';
    if (state.children.length === 0) {
      const shape = state.kind === 'final' ? ', peripheries=2' : '';
      lines.push(`${pad}${word} [label=${quote(state.key)}${shape}${svgId(state)}];`);
      return;
    }
    lines.push(`${pad}subgraph cluster_${word} {`);
    const style = state.kind === 'parallel' ? 'dashed,rounded' : 'rounded';
    lines.push(`${pad}  label=${quote(state.kind === 'parallel' ? `${state.key} (parallel)` : state.key)}; style=${quote(style)}; color="#718096";`);
    if (options.stateIds === true) lines.push(`${pad}  id=${quote(`state:${state.path.join('.')}`)};`);
    lines.push(`${pad}  ${word}__anchor [shape=point, width=0.01, style=invis, label=""];`);
    if (state.initial !== null) {
      lines.push(`${pad}  ${word}__initial [shape=point, width=0.12, fillcolor=black, style=filled, label=""];`);
      lines.push(`${pad}  ${word}__initial -> ${nodeOf(state.initial)} [${clip(undefined, byId.get(state.initial), ids).join(', ')}];`);
    }
    state.children.forEach((child) => stateLines(child, depth + 1));
    lines.push(`${pad}}`);
  };
  if (chart.root.kind === 'compound' && chart.root.initial !== null) {
    lines.push('  root__initial [shape=point, width=0.15, fillcolor=black, style=filled, label=""];');
    lines.push(`  root__initial -> ${nodeOf(chart.root.initial)} [${clip(undefined, byId.get(chart.root.initial), ids).join(', ')}];`);
  }
  if (chart.root.kind === 'parallel') {
    stateLines({ ...chart.root, key: chart.machineId }, 1);
  } else {
    chart.root.children.forEach((child) => stateLines(child, 1));
  }
  for (const edge of drawnEdges(chart)) {
    const attributes = [`label=${quote(edge.label)}`, ...clip(byId.get(edge.from), byId.get(edge.to), ids)];
    lines.push(`  ${nodeOf(edge.from)} -> ${nodeOf(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** `ltail`/`lhead` so an arrow to or from a compound state ends at its cluster's border, not at the anchor. */
function clip(from: ChartState | undefined, to: ChartState | undefined, ids: Map<string, string>): string[] {
  const parts: string[] = [];
  // Not when one end is inside the other's cluster: Graphviz cannot clip an edge to a cluster it starts in.
  const nested = from !== undefined && to !== undefined && (to.id.startsWith(`${from.id}.`) || from.id.startsWith(`${to.id}.`));
  if (nested) return parts;
  if (from !== undefined && from.children.length > 0) parts.push(`ltail=cluster_${ids.get(from.id) ?? ''}`);
  if (to !== undefined && to.children.length > 0) parts.push(`lhead=cluster_${ids.get(to.id) ?? ''}`);
  return parts;
}

/** A DOT string literal. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
