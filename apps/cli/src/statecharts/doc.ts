/**
 * docs/STATECHARTS.md, written by the same code as `kactor statecharts export` (Mermaid from the same
 * walker), so the page cannot drift from the machines: `scripts/gen-statecharts-doc.ts` writes it and a
 * test fails when the committed file differs. GitHub renders the ```mermaid blocks.
 */
import { DELAY_CONFIG_NAMES, MACHINE_DELAY_CONFIG_NAMES } from './delays.js';
import { renderMermaid } from './mermaid.js';
import { allStates, chartOf } from './model.js';
import { introductionOf, STATECHARTS } from './registry.js';

/** The machines shown first, in this order: the two a user watches most lead; any other follows. */
const SHOWN_FIRST = ['consumer', 'group-coordinator', 'producer', 'broker', 'controller', 'raft', 'partition'];

export function renderStatechartsDoc(): string {
  const lines = [
    '# Statecharts',
    '',
    '<!-- Generated from the machines by scripts/gen-statecharts-doc.ts. Do not edit by hand:',
    '     change a machine and run `node_modules/.bin/tsx scripts/gen-statecharts-doc.ts`. -->',
    '',
    "kactor's actors are XState v5 statecharts. These diagrams are drawn from the machines themselves (their",
    'normalized state tree), by the code behind `kactor statecharts export`, which also writes them as files:',
    '',
    '```sh',
    'pnpm kactor statecharts export --out statecharts                 # json, mermaid and svg for every machine',
    'pnpm kactor statecharts export --out statecharts --format json   # one format, or a comma list',
    '```',
    '',
    '- `<machine>.json` is the machine config, the object `createMachine` takes and Stately\'s visualizer and Studio',
    '  import: `id` first, then `initial`, `states`, `on`, `after`, `always`, with named actions, guards and delays as',
    '  strings. Guards built with `not`/`and`/`or` are written as expressions (`!a`, `a && b`, `a || b`). The initial',
    '  context is built from the actor\'s input by a function and is left out. A machine with an inline function',
    '  (an unnamed action, guard or delay) is refused with the path of each, never exported with it missing.',
    '- `<machine>.mmd` is the Mermaid `stateDiagram-v2` below; `<machine>.svg` is the same chart laid out by ELK',
    '  (elkjs, the layout of Stately\'s visualizer, in JavaScript: no system binary, no network): compound states as nested',
    '  boxes, transitions as orthogonal arrows with one label line per trigger, transitions declared on the machine',
    '  itself listed under the chart as "from any state". Each state\'s box has the SVG id `state:<path>`.',
    '',
    'Not everything that waits is an actor. A fetch parked until fetch.min.bytes arrive or fetch.max.wait.ms passes is an',
    'operation in the broker\'s fetch purgatory ([packages/broker/src/fetch/delayed-fetch.ts](../packages/broker/src/fetch/delayed-fetch.ts)),',
    'as Kafka\'s DelayedFetch is a DelayedOperation: a broker parks one per long poll, and each lives for a few offset',
    'comparisons and one timer, so a statechart per fetch would cost more than the fetch it waits for.',
    '',
    'Diagrams show state changes: a transition that only runs actions is in the JSON, not drawn. Each arrow',
    'names its event and guards (`[a and b]`, several branches to one state as `[a] [b]`); `always` marks an',
    'eventless transition, and a timer says its delay and the Kafka setting behind it:',
    '',
    '| delay | setting |',
    '|---|---|',
    ...Object.entries(DELAY_CONFIG_NAMES).map(([delay, config]) => `| \`${delay}\` | \`${config}\` |`),
    ...Object.entries(MACHINE_DELAY_CONFIG_NAMES).flatMap(([machineId, delays]) => Object.entries(delays).map(([delay, config]) => `| \`${delay}\` (machine \`${machineId}\`) | \`${config}\` |`)),
    '',
  ];
  const shown = [...SHOWN_FIRST.filter((name) => name in STATECHARTS), ...Object.keys(STATECHARTS).filter((name) => !SHOWN_FIRST.includes(name))];
  for (const name of shown) {
    const entry = STATECHARTS[name];
    if (entry === undefined) continue;
    const chart = chartOf(entry.machine);
    lines.push(`## ${name}`, '', `Machine \`${chart.machineId}\`, in [${entry.source}](../${entry.source}). ${introductionOf(entry)}`, '');
    lines.push('```mermaid', renderMermaid(chart).trimEnd(), '```', '');
    const described = allStates(chart).filter((state) => state.description !== null && state !== chart.root);
    if (described.length > 0) {
      lines.push('<details><summary>What each state does</summary>', '', '| state | description |', '|---|---|');
      for (const state of described) lines.push(`| \`${state.path.join('.')}\` | ${tableCell(state.description ?? '')} |`);
      lines.push('', '</details>', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Markdown table cell text: pipes escaped, on one line. */
function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
