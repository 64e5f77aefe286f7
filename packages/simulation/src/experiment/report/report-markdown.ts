import type { RunResult } from '../model.js';
import { runCommandLine, replayCommandLine, type CommandContext } from './commands.js';
import type { ExperimentResultLike } from './experiment-result.js';
import { formatCount, formatDurationMs, speedUpInWords } from './format-values.js';
import type { PlotSpec } from './plot-specs.js';
import type { MetricSummary } from './summary.js';
import { markdownTable } from './tables.js';

/**
 * report.md: what ran, a table and a plot per metric, the series and rebalance plots, every checker
 * violation with the command that replays its run, and the command that runs the experiment again. Plots
 * are linked relative to the report (`plots/x.svg`), so the folder can be moved or published as it is.
 */
export interface ReportInput {
  result: ExperimentResultLike;
  summaries: readonly MetricSummary[];
  plots: readonly PlotSpec[];
  commands: CommandContext;
  outDir: string;
}

export function reportMarkdown(input: ReportInput): string {
  const { result } = input;
  const sections = [
    `# ${result.scenario.name}`,
    result.scenario.description.trim(),
    whatRan(result),
    metricSections(input),
    seriesSections(input.plots),
    violationsSection(result.runs, input.commands),
    `## How to reproduce\n\n\`\`\`sh\n${runCommandLine(input.commands, result.runs, input.outDir)}\n\`\`\``,
  ];
  return sections.filter((section) => section !== '').join('\n\n') + '\n';
}

function distinctCount(values: ReadonlyArray<string | number | undefined>): number {
  return new Set(values.filter((value) => value !== undefined)).size;
}

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function whatRan(result: ExperimentResultLike): string {
  const runs = result.runs;
  const cases = distinctCount(runs.map((run) => run.case));
  const variants = [...new Set(runs.map((run) => run.variant))];
  const seeds = [...new Set(runs.map((run) => run.seed))].sort((a, b) => a - b);
  const matrix = [...(cases > 0 ? [plural(cases, 'case')] : []), plural(variants.length, 'variant'), plural(seeds.length, 'seed')].join(' x ');
  const failed = runs.filter((run) => run.violations.length > 0).length;
  const lines = [
    `- ${plural(runs.length, 'run')}: ${matrix}.`,
    `- Variants: ${variants.map((variant) => `\`${variant}\``).join(', ')}; seeds: ${seeds.join(', ')}.`,
    `- Simulated time: ${formatDurationMs(result.scenario.durationMs)} per run, ${formatDurationMs(result.simulatedMs)} in all; wall-clock time: ${formatDurationMs(result.wallMs)}; ${speedUpInWords(result.simulatedMs, result.wallMs)}.`,
    `- Checkers: ${failed === 0 ? 'no violation in any run' : `${plural(failed, 'run')} with violations (see [Violations](#violations))`}.`,
  ];
  return `## What ran\n\n${lines.join('\n')}`;
}

function plotImage(plot: PlotSpec): string {
  return `![${plot.title}](${plot.file})`;
}

function metricSections(input: ReportInput): string {
  if (input.summaries.length === 0) return '';
  const plotsByFile = new Map(input.plots.map((plot) => [plot.file, plot]));
  const tables = input.summaries.map((summary) => {
    const plot = plotsByFile.get(`plots/metric-${summary.metric}.svg`);
    return plot === undefined ? markdownTable(summary) : `${markdownTable(summary)}\n\n${plotImage(plot)}`;
  });
  const legend = 'Over seeds, per variant: the median, the 95th percentile (nearest rank: a measured value) and the worst value (the maximum, or the minimum where lower is worse).';
  return ['## Metrics', legend, ...tables].join('\n\n');
}

function seriesSections(plots: readonly PlotSpec[]): string {
  const overTime = plots.filter((plot) => plot.file === 'plots/throughput.svg' || plot.file === 'plots/lag.svg');
  const rebalances = plots.find((plot) => plot.file === 'plots/rebalance-time.svg');
  const sections: string[] = [];
  if (overTime.length > 0) sections.push(['## Over time', ...overTime.map(plotImage)].join('\n\n'));
  sections.push(rebalances === undefined ? '## Rebalances\n\nNo rebalance was measured.' : `## Rebalances\n\n${plotImage(rebalances)}`);
  return sections.join('\n\n');
}

function runName(run: RunResult): string {
  return [`seed ${run.seed}`, `variant \`${run.variant}\``, ...(run.case === undefined ? [] : [`case \`${run.case}\``])].join(', ');
}

function violationsSection(runs: readonly RunResult[], commands: CommandContext): string {
  const failed = runs.filter((run) => run.violations.length > 0);
  if (failed.length === 0) return '## Violations\n\nNo checker found a violation in any run.';
  const entries = failed.map((run) => {
    const findings = run.violations.map((violation) => `  - **${violation.checker}**: ${violation.detail.replace(/\s*\n\s*/g, ' ')}`);
    return [`- ${runName(run)}:`, ...findings, '', '  ```sh', `  ${replayCommandLine(commands, run)}`, '  ```'].join('\n');
  });
  return ['## Violations', `${plural(failed.length, 'run')} failed a checker; each replays with the command under it.`, ...entries].join('\n\n');
}
