/**
 * How the quorum benchmarks (election time, metadata throughput) print their figures: median and worst of a
 * column of runs, with the runs that failed counted rather than hidden.
 */

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** "median / worst" of the defined values, with "(k failed)" when some runs have none; "-" for a column that does not apply. */
export function medianAndWorst(values: ReadonlyArray<number | undefined>, applies = true): string {
  if (!applies) return '-'.padStart(17);
  const measured = values.flatMap((value) => (value === undefined ? [] : [value]));
  const failed = values.length - measured.length;
  const shown = measured.length === 0 ? 'n/a' : `${Math.round(median(measured)).toLocaleString('en-US')} / ${Math.round(Math.max(...measured)).toLocaleString('en-US')}`;
  return `${shown}${failed > 0 ? ` (${failed} failed)` : ''}`.padStart(17);
}

/** The header line of an election table: what the rows measure from, then one title per column. */
export function electionHeader(from: string, titles: readonly string[]): string {
  return `${from.padEnd(58)} ${titles.map((title) => title.padStart(17)).join('   ')}`;
}

/** One row of an election table: a label and, per column, the runs' values. */
export function electionRow(label: string, columns: ReadonlyArray<{ values: ReadonlyArray<number | undefined>; applies?: boolean }>): string {
  return `${label.padEnd(58)} ${columns.map((column) => medianAndWorst(column.values, column.applies ?? true)).join('   ')}`;
}
