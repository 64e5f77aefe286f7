import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG string in Node, without a browser or `canvas`: Vega-Lite compiles it
 * to a Vega spec, and a headless Vega view (renderer 'none') writes the SVG. Text is measured by Vega's
 * estimate when no canvas package is installed, which keeps the output the same on every machine.
 *
 * Vega numbers clip paths and gradients with module-wide counters, so the same plot rendered twice in one
 * process would get different ids. The counters are reset before each render, and renders are queued one
 * after another so that two reports written at once cannot interleave them: the same spec always gives
 * the same SVG, byte for byte.
 *
 * Vega is loaded on the first render, not with the package: every simulation test imports @kactor/simulation,
 * and only the report draws.
 */
let queue: Promise<unknown> = Promise.resolve();

export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const rendered = queue.then(() => renderNow(spec));
  queue = rendered.catch(() => undefined);
  return rendered;
}

async function renderNow(spec: TopLevelSpec): Promise<string> {
  const [{ parse, resetSVGDefIds, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vegaSpec = compile(spec).spec;
  resetSVGDefIds();
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
