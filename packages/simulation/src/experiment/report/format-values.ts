/**
 * How the report writes numbers, the same in the terminal tables, the Markdown tables and the report text:
 * - durations (unit `ms`) below one second in whole milliseconds (`850 ms`), from one second on in seconds
 *   with one decimal (`1.2 s`, `6,180.0 s`), so a column mixes both without losing the order of magnitude;
 * - speed-up factors (unit `x`) as in `speedUpFactor` (`412x`);
 * - every other unit (counts, records, partitions, records/s) as a whole number when it is one and with
 *   one decimal otherwise (a median of an even count can end in .5), with the unit in the column heading;
 * - thousands separated by commas; a value that is not a finite number (nothing measured) as `-`.
 * The raw numbers are in the JSON and CSV files; these strings are for reading.
 */

const MILLISECONDS_PER_SECOND = 1_000;

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const NOT_MEASURED = '-';

export function formatMetricValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return NOT_MEASURED;
  if (unit === 'ms') return formatDurationMs(value);
  if (unit === 'x') return `${speedUpFactor(value)}x`;
  return Number.isInteger(value) ? wholeNumber.format(value) : upToOneDecimal.format(value);
}

/** A duration for reading, as the report and the scenario checks' messages write it (`850 ms`, `1.2 s`). */
export function formatDurationMs(durationMs: number): string {
  if (!Number.isFinite(durationMs)) return NOT_MEASURED;
  if (Math.abs(durationMs) < MILLISECONDS_PER_SECOND) return `${wholeNumber.format(Math.round(durationMs))} ms`;
  return `${oneDecimal.format(durationMs / MILLISECONDS_PER_SECOND)} s`;
}

export function formatCount(value: number): string {
  return Number.isFinite(value) ? wholeNumber.format(value) : NOT_MEASURED;
}

/**
 * A speed-up factor for reading: whole numbers from 100 on (`412`, `1,250`), three significant digits
 * below (`37.5`, `2.4`, `0.5`), without trailing zeros.
 */
export function speedUpFactor(factor: number): string {
  if (!Number.isFinite(factor)) return NOT_MEASURED;
  if (Math.abs(factor) >= 100) return wholeNumber.format(Math.round(factor));
  return String(Number(factor.toPrecision(3)));
}

/**
 * Simulated time over wall-clock time in words: `412x faster than real time`, or for a run slower than
 * the clock `0.5x real time (slower than real time)`.
 */
export function speedUpInWords(simulatedMs: number, wallMs: number): string {
  if (!(wallMs > 0)) return 'no wall-clock time measured (speed-up unknown)';
  const factor = simulatedMs / wallMs;
  const written = speedUpFactor(factor);
  if (written === '1') return '1x real time (as fast as real time)';
  if (factor < 1) return `${written}x real time (slower than real time)`;
  return `${written}x faster than real time`;
}
