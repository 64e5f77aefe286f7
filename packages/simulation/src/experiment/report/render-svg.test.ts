import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderSvg } from './render-svg.js';

const clippedLines: TopLevelSpec = {
  data: { values: [{ x: 1, y: 2, v: 'a' }, { x: 2, y: 5, v: 'a' }, { x: 1, y: 3, v: 'b' }, { x: 2, y: 1, v: 'b' }] },
  mark: { type: 'line', clip: true },
  encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1.5] } }, y: { field: 'y', type: 'quantitative' }, color: { field: 'v', type: 'nominal' } },
};

describe('renderSvg', () => {
  it('renders a Vega-Lite spec to SVG without a browser', async () => {
    const svg = await renderSvg(clippedLines);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('clipPath');
  });

  it('gives the same SVG for the same spec, also when rendered concurrently', async () => {
    const [first, second] = await Promise.all([renderSvg(clippedLines), renderSvg(clippedLines)]);
    const third = await renderSvg(clippedLines);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });
});
