/**
 * `kactor statecharts export`: one file per machine and format in the output directory, named
 * `<name>.<ext>` after the registry (`consumer.json`, `consumer.mmd`, `consumer.svg`, ...). Every machine
 * is checked before anything is written, so a machine that cannot be exported faithfully leaves no
 * half-written directory behind.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChartSvg } from './elk-svg.js';
import { UnknownStatechartFormatError } from './errors.js';
import { statelyJson } from './json.js';
import { renderMermaid } from './mermaid.js';
import { chartOf } from './model.js';
import { STATECHARTS, type StatechartEntry } from './registry.js';

export const STATECHART_FORMATS = ['json', 'mermaid', 'svg'] as const;
export type StatechartFormat = (typeof STATECHART_FORMATS)[number];

const EXTENSIONS: Record<StatechartFormat, string> = { json: 'json', mermaid: 'mmd', svg: 'svg' };

/** `json,mermaid` -> ['json', 'mermaid']; nothing -> all three. */
export function parseFormats(text: string | undefined): StatechartFormat[] {
  if (text === undefined) return [...STATECHART_FORMATS];
  const formats = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const format of formats) if (!(STATECHART_FORMATS as readonly string[]).includes(format)) throw new UnknownStatechartFormatError(format);
  if (formats.length === 0) throw new UnknownStatechartFormatError(text);
  return STATECHART_FORMATS.filter((format) => formats.includes(format));
}

/** The text of one machine in one format. */
export async function renderStatechart(entry: StatechartEntry, format: StatechartFormat): Promise<string> {
  if (format === 'json') return statelyJson(entry.machine);
  const chart = chartOf(entry.machine);
  if (format === 'mermaid') return renderMermaid(chart);
  return renderChartSvg(chart);
}

/** Writes every machine of `charts` in every format to `outDir` (created if missing); returns the paths written. */
export async function exportStatecharts(outDir: string, formats: readonly StatechartFormat[], charts: Readonly<Record<string, StatechartEntry>> = STATECHARTS): Promise<string[]> {
  const files: Array<{ path: string; text: string }> = [];
  for (const [name, entry] of Object.entries(charts)) {
    for (const format of formats) files.push({ path: join(outDir, `${name}.${EXTENSIONS[format]}`), text: await renderStatechart(entry, format) });
  }
  mkdirSync(outDir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.text);
  return files.map((file) => file.path);
}
