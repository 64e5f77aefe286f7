/**
 * SVG from DOT with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary, no network. The
 * WASM instance takes a moment to start, so one is made per process and shared.
 */
import { instance, type Viz } from '@viz-js/viz';
import { GraphvizRenderError } from './errors.js';

let viz: Promise<Viz> | null = null;

export async function renderSvg(machineId: string, dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') throw new GraphvizRenderError(machineId, result.errors.map((error) => error.message));
  return result.output;
}
