/**
 * The experiment report (issue 15): summaries over seeds, terminal tables, the speed-up in words, and a
 * folder with the raw per-run data (JSON, CSV), SVG plots and a Markdown report that embeds them.
 */
export type { ExperimentResultLike } from './experiment-result.js';
export { summarize, SUMMARY_PERCENTILE, type MetricSummary, type MetricSummaryRow } from './summary.js';
export { formatTables, markdownTables } from './tables.js';
export { formatDurationMs, formatMetricValue, speedUpFactor, speedUpInWords } from './format-values.js';
export { writeReport, type WriteReportOptions } from './write-report.js';
export { experimentPlots, type PlotSpec } from './plot-specs.js';
export { renderSvg } from './render-svg.js';
