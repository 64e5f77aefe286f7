/**
 * SVG of a statechart laid out by ELK (elk-graph.ts builds the graph; elkjs, pure JavaScript, lays it out:
 * no system binary, no network). Compound states are nested rounded boxes with their name at the top
 * (parallel ones dashed, as regions are drawn in statecharts), atomic states rounded boxes, final states
 * a double border; transitions are orthogonal polylines with an arrowhead and their label where ELK put it.
 *
 * The SVG has a viewBox and no fixed size, so a page can scale it to its card. Every state is a `<g>` with
 * the id `state:<path>` and the class `node` (atomic, final) or `cluster` (compound, parallel); every
 * transition a `<g class="edge">` with `data-from`/`data-to` (state paths; the initial arrows have no
 * `data-from`), so the dashboard can highlight the active states and the transition just taken.
 */
import elkBundle from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';
import { COMPOUND_HEADER_PX, EDGE_FONT_PX, EDGE_LINE_PX, elkGraphOf, STATE_FONT_PX, textWidth, type ChartGraph, type ElkNodeInput } from './elk-graph.js';

/** One line of the "from any state" list under a chart. */
const LEGEND_LINE_PX = 16;
import { StatechartLayoutError } from './errors.js';
import type { Chart, ChartState } from './model.js';

interface Point {
  x: number;
  y: number;
}

/** ELK's answer: the input with positions and sizes (all relative to the drawing: elk.json.*Coords ROOT). */
interface LaidOutNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: LaidOutNode[];
  edges?: LaidOutEdge[];
}

interface LaidOutEdge {
  id: string;
  labels?: Array<{ text: string; x?: number; y?: number; width: number; height: number }>;
  sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }>;
}

/**
 * elkjs is CommonJS: Node's ESM import gives its `module.exports` (the constructor), TypeScript's NodeNext
 * types a namespace with a `default`; either way the constructor is found.
 */
const ElkConstructor = ((elkBundle as unknown as { default?: unknown }).default ?? elkBundle) as new () => ELK;
let elk: ELK | null = null;

/** Lays out and draws a chart; the machine id names the chart in errors and in the SVG's title. */
export async function renderChartSvg(chart: Chart): Promise<string> {
  const built = elkGraphOf(chart);
  elk ??= new ElkConstructor();
  let laidOut: LaidOutNode;
  try {
    laidOut = (await elk.layout(built.graph as ElkNode)) as LaidOutNode;
  } catch (error) {
    throw new StatechartLayoutError(chart.machineId, error instanceof Error ? error.message : String(error));
  }
  return drawSvg(chart, built, laidOut);
}

/**
 * Colours as presentation attributes, not a <style> element: a page that embeds the SVG under a
 * Content-Security-Policy without inline styles (the dashboard's) still draws it, and its own CSS, which
 * outranks presentation attributes, can restyle the active states and the transition just taken.
 */
const paint = {
  cluster: 'fill="#fbfcfe" stroke="#718096" stroke-width="1.2"',
  parallel: 'fill="#fbfcfe" stroke="#718096" stroke-width="1.2" stroke-dasharray="5 3"',
  node: 'fill="#f5f7fa" stroke="#4a5568" stroke-width="1.2"',
  inner: 'fill="none" stroke="#4a5568" stroke-width="1"',
  edge: 'fill="none" stroke="#4a5568" stroke-width="1.2"',
  labelBackground: 'fill="#ffffff" fill-opacity="0.85" stroke="none"',
  text: 'fill="#2d3748" font-family="Helvetica, Arial, sans-serif"',
};

function drawSvg(chart: Chart, built: ChartGraph, root: LaidOutNode): string {
  const anyStateLines = built.fromAnyState.map((edge) => `${edge.label} → ${edge.to}`);
  const legendTop = Math.ceil(root.height ?? 0);
  const legendHeight = anyStateLines.length === 0 ? 0 : (anyStateLines.length + 1) * LEGEND_LINE_PX + 8;
  const width = Math.ceil(Math.max(root.width ?? 0, ...anyStateLines.map((line) => textWidth(line, EDGE_FONT_PX + 1) + 40)));
  const height = legendTop + legendHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" data-width="${width}" data-height="${height}" class="statechart" role="img" aria-label="${escapeXml(`${chart.machineId} statechart`)}">`,
    `<title>${escapeXml(`${chart.machineId} (kactor statecharts export)`)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#4a5568"/></marker>',
    '<marker id="arrow-taken" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1f8a4c"/></marker></defs>',
  ];
  const drawNode = (node: LaidOutNode): void => {
    const x = node.x ?? 0;
    const y = node.y ?? 0;
    const w = node.width ?? 0;
    const h = node.height ?? 0;
    if (node.id.startsWith('initial:')) {
      out.push(`<circle class="initial" cx="${fmt(x + w / 2)}" cy="${fmt(y + h / 2)}" r="${fmt(w / 2)}" fill="#1d2430"/>`);
      return;
    }
    const state = built.states.get(node.id.slice('state:'.length)) as ChartState;
    const name = state.kind === 'parallel' ? `${state.key} (parallel)` : state.key;
    const description = state.description === null ? '' : `<title>${escapeXml(state.description)}</title>`;
    if (node.children !== undefined && node.children.length > 0) {
      const kind = state.kind === 'parallel' ? 'cluster parallel' : 'cluster';
      out.push(`<g id="${escapeXml(node.id)}" class="${kind}">${description}`);
      out.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" rx="8" ${state.kind === 'parallel' ? paint.parallel : paint.cluster}/>`);
      out.push(`<text x="${fmt(x + 10)}" y="${fmt(y + COMPOUND_HEADER_PX / 2 + STATE_FONT_PX / 2)}" font-size="${STATE_FONT_PX}" font-weight="600" ${paint.text}>${escapeXml(name)}</text>`);
      out.push('</g>');
      node.children.forEach(drawNode);
      return;
    }
    const final = state.kind === 'final';
    out.push(`<g id="${escapeXml(node.id)}" class="node${final ? ' final' : ''}">${description}`);
    out.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" rx="${final ? 4 : 10}" ${paint.node}/>`);
    if (final) out.push(`<rect class="inner" x="${fmt(x + 3)}" y="${fmt(y + 3)}" width="${fmt(w - 6)}" height="${fmt(h - 6)}" rx="3" ${paint.inner}/>`);
    out.push(`<text x="${fmt(x + w / 2)}" y="${fmt(y + h / 2 + STATE_FONT_PX * 0.35)}" text-anchor="middle" font-size="${STATE_FONT_PX}" ${paint.text}>${escapeXml(name)}</text>`);
    out.push('</g>');
  };
  (root.children ?? []).forEach(drawNode);
  for (const edge of root.edges ?? []) {
    const joins = built.edges.get(edge.id);
    if (joins === undefined) continue;
    const points = (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    if (points.length < 2) continue;
    const from = joins.from === null ? '' : ` data-from="${escapeXml(joins.from)}"`;
    out.push(`<g id="${escapeXml(edge.id)}" class="edge${joins.from === null ? ' initial-edge' : ''}"${from} data-to="${escapeXml(joins.to)}">`);
    out.push(`<path d="${points.map((point, index) => `${index === 0 ? 'M' : 'L'} ${fmt(point.x)} ${fmt(point.y)}`).join(' ')}" marker-end="url(#arrow)" ${paint.edge}/>`);
    for (const label of edge.labels ?? []) {
      const lines = label.text.split('\n');
      const x = fmt((label.x ?? 0) + 1);
      const spans = lines.map((line, index) => `<tspan x="${x}" dy="${index === 0 ? 0 : EDGE_LINE_PX}">${escapeXml(line)}</tspan>`).join('');
      out.push(`<rect class="label-bg" x="${fmt(label.x ?? 0)}" y="${fmt(label.y ?? 0)}" width="${fmt(label.width)}" height="${fmt(label.height)}" ${paint.labelBackground}/>`);
      out.push(`<text x="${x}" y="${fmt((label.y ?? 0) + EDGE_FONT_PX)}" font-size="${EDGE_FONT_PX}" ${paint.text}>${spans}</text>`);
    }
    out.push('</g>');
  }
  if (anyStateLines.length > 0) {
    out.push(`<text class="legend" x="12" y="${legendTop + LEGEND_LINE_PX}" font-size="${EDGE_FONT_PX + 1}" font-weight="600" ${paint.text}>from any state:</text>`);
    built.fromAnyState.forEach((edge, index) => {
      out.push(`<g class="edge any-state" data-from="*" data-to="${escapeXml(edge.to)}"><text x="24" y="${legendTop + (index + 2) * LEGEND_LINE_PX}" font-size="${EDGE_FONT_PX + 1}" ${paint.text}>${escapeXml(anyStateLines[index] ?? '')}</text></g>`);
    });
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const fmt = (value: number): string => String(Math.round(value * 10) / 10);

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type { ElkNodeInput };
