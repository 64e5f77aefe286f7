/**
 * Durations and times in a scenario: a number of milliseconds, or a string with its unit ("500ms", "30s",
 * "2m", "1h"), because `durationMs: 600000` is easy to get wrong by a zero and `10m` is not.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION_TEXT = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

export const DURATION_HINT = 'a number of milliseconds or a string such as "500ms", "30s", "2m", "1h"';

/** Milliseconds from a number or a duration string; undefined when the text is not a duration. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION_TEXT.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unitMs = UNIT_MS[match[2] ?? 'ms'] as number;
  return amount * unitMs;
}
