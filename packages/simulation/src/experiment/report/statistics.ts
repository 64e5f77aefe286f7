/**
 * The three statistics the report gives per metric over seeds. Written here rather than taken from a
 * statistics library because the report needs one exact definition of each, stated in the report itself:
 * the median averages the two middle values of an even count, and the p95 is the nearest-rank percentile
 * (the smallest value with at least 95% of the values at or below it), which is always one of the measured
 * values. `simple-statistics`' quantile interpolates between values instead, so it would not match the
 * report's wording.
 */

/** Values sorted ascending, without mutating the input. */
function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = ascending(values);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile: the value at rank ceil(p/100 * n) of the sorted values (ranks from 1). */
export function nearestRankPercentile(values: readonly number[], percentile: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(percentile > 0 && percentile <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${percentile}`);
  const sorted = ascending(values);
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1]!;
}

/** The worst value: the maximum when higher is worse, the minimum when lower is worse. */
export function worstValue(values: readonly number[], worse: 'higher' | 'lower'): number {
  if (values.length === 0) return Number.NaN;
  return worse === 'higher' ? Math.max(...values) : Math.min(...values);
}
