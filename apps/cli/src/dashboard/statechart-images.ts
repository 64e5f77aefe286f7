/**
 * The statecharts the dashboard draws, as SVG rendered here with the export's code (chartOf, then
 * renderChartSvg: laid out by ELK in JavaScript, no network). Each state's box carries the id
 * `state:<path>` and each transition `data-from`/`data-to`, so the page highlights the active states of an
 * actor's value and the transition just taken. A chart is rendered once per machine and kept: the set is
 * kactor's own machines, so the cache is as bounded as that list.
 */
import { renderChartSvg } from '../statecharts/elk-svg.js';
import { chartOf } from '../statecharts/model.js';
import { STATECHARTS, type StatechartEntry } from '../statecharts/registry.js';

export interface StatechartImages {
  /** The SVG of a machine by its export name (`consumer`); null for a machine kactor does not have. */
  svg(name: string): Promise<string | null>;
  /** Machine id (`consumerGroup`) -> export name (`consumer`), for naming inspected actors' machines. */
  readonly machineNames: ReadonlyMap<string, string>;
}

export function createStatechartImages(charts: Readonly<Record<string, StatechartEntry>> = STATECHARTS): StatechartImages {
  const rendered = new Map<string, Promise<string>>();
  return {
    svg: (name) => {
      if (!Object.hasOwn(charts, name)) return Promise.resolve(null);
      const entry = charts[name] as StatechartEntry;
      let svg = rendered.get(name);
      if (svg === undefined) {
        svg = renderChartSvg(chartOf(entry.machine));
        // A failed render is not kept, so the next request tries again instead of failing forever.
        svg.catch(() => rendered.delete(name));
        rendered.set(name, svg);
      }
      return svg;
    },
    machineNames: new Map(Object.entries(charts).map(([name, entry]) => [entry.machine.id, name])),
  };
}
