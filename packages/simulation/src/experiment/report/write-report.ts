import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { rebalancesCsv, runsCsv, seriesCsv } from './csv.js';
import { runFileStem, type ExperimentResultLike } from './experiment-result.js';
import { experimentPlots } from './plot-specs.js';
import { renderSvg } from './render-svg.js';
import { reportMarkdown } from './report-markdown.js';
import { summarize } from './summary.js';

export interface WriteReportOptions {
  /** How the user named the experiment (built-in name or file), for the replay and run commands; default the scenario's name. */
  source?: string;
  /** The runs used the scenario's quick overrides: the commands get `--quick` so that they repeat the same runs. */
  quick?: boolean;
}

/**
 * Writes an experiment's report into `outDir` (created if missing; files already there with the same names
 * are replaced): every run's full result as `runs/<case>-<variant>-seed-<n>.json`, `runs.csv`,
 * `series.csv`, `rebalances.csv`, the summaries as `summary.json`, the plots as `plots/*.svg` and
 * `report.md`. Resolves to the files written, relative to `outDir`, in the order written.
 */
export async function writeReport(result: ExperimentResultLike, outDir: string, options: WriteReportOptions = {}): Promise<{ files: string[] }> {
  const files: string[] = [];
  const write = async (file: string, text: string) => {
    const path = join(outDir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    files.push(file);
  };
  await mkdir(outDir, { recursive: true });

  for (const run of result.runs) await write(`runs/${runFileStem(run)}.json`, `${JSON.stringify(run, null, 2)}\n`);
  await write('runs.csv', runsCsv(result.runs));
  await write('series.csv', seriesCsv(result.runs));
  await write('rebalances.csv', rebalancesCsv(result.runs));

  const summaries = summarize(result);
  await write('summary.json', `${JSON.stringify(summaries, null, 2)}\n`);

  const plots = experimentPlots(summaries, result.runs);
  for (const plot of plots) await write(plot.file, await renderSvg(plot.spec));

  const commands = { source: options.source ?? result.scenario.name, quick: options.quick === true };
  await write('report.md', reportMarkdown({ result, summaries, plots, commands, outDir }));
  return { files };
}
