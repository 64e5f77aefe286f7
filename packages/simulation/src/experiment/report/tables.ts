import { metricDefinition } from '../metrics.js';
import { formatCount, formatMetricValue } from './format-values.js';
import type { MetricSummary } from './summary.js';

/** A metric's table as strings: the case column only when some row has a case. */
interface TableCells {
  title: string;
  headings: string[];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
}

const NO_ROWS = 'no run measured it';

/** `rebalance_time_ms (ms, higher is worse): the longest time from a trigger...`. */
export function metricTitle(summary: MetricSummary): string {
  const definition = metricDefinition(summary.metric);
  const direction = definition === undefined ? '' : `, ${definition.worse} is worse`;
  const description = definition === undefined ? '' : `: ${definition.description}`;
  return `${summary.metric} (${summary.unit}${direction})${description}`;
}

function tableCells(summary: MetricSummary): TableCells {
  const withCase = summary.rows.some((row) => row.case !== undefined);
  const headings = [...(withCase ? ['case'] : []), 'variant', 'median', 'p95', 'worst', 'runs'];
  const numeric = headings.map((heading) => heading !== 'case' && heading !== 'variant');
  const rows = summary.rows.map((row) => [
    ...(withCase ? [row.case ?? ''] : []),
    row.variant,
    formatMetricValue(row.median, summary.unit),
    formatMetricValue(row.p95, summary.unit),
    formatMetricValue(row.worst, summary.unit),
    formatCount(row.runs),
  ]);
  return { title: metricTitle(summary), headings, numeric, rows };
}

/**
 * Plain-text tables for a terminal, one per metric: a title line with the unit, the direction that is
 * worse and the description, then the aligned columns (case when there are cases, variant, median, p95,
 * worst, runs). Numbers are written as `formatMetricValue` says; tables are separated by a blank line.
 */
export function formatTables(summaries: readonly MetricSummary[]): string {
  return summaries.map(formatTable).join('\n\n') + (summaries.length === 0 ? '' : '\n');
}

function formatTable(summary: MetricSummary): string {
  const table = tableCells(summary);
  if (table.rows.length === 0) return `${table.title}\n  (${NO_ROWS})`;
  const widths = table.headings.map((heading, column) => Math.max(heading.length, ...table.rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    '  ' + cells.map((cell, column) => (table.numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  const rule = '  ' + widths.map((width) => '-'.repeat(width)).join('  ');
  return [table.title, line(table.headings), rule, ...table.rows.map(line)].join('\n');
}

/** The same tables in Markdown, each under a `###` heading with the metric's description below it. */
export function markdownTables(summaries: readonly MetricSummary[]): string {
  return summaries.map(markdownTable).join('\n\n');
}

export function markdownTable(summary: MetricSummary): string {
  const table = tableCells(summary);
  const definition = metricDefinition(summary.metric);
  const heading = [`### ${summary.metric} (${summary.unit})`, '', definition === undefined ? '' : `${capitalize(definition.description)}; ${definition.worse} is worse.`];
  if (table.rows.length === 0) return [...heading, '', `_${capitalize(NO_ROWS)}._`].join('\n');
  const row = (cells: readonly string[]) => `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
  const alignment = `|${table.numeric.map((numeric) => (numeric ? ' ---: ' : ' --- ')).join('|')}|`;
  return [...heading, '', row(table.headings), alignment, ...table.rows.map(row)].join('\n');
}

function escapeMarkdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
