/**
 * The seeds an experiment runs: `--seeds 20` (1..20), `--seeds 1..100`, `--seeds 5,9,12`.
 */

/** The most seeds one experiment runs: each is a whole simulated run per variant and case, and a typo of a few zeros should not queue years of work. */
export const MAX_SEEDS = 100_000;

const COUNT = /^\d+$/;
const RANGE = /^(-?\d+)\s*\.\.\s*(-?\d+)$/;
const LIST = /^-?\d+(\s*,\s*-?\d+)*$/;

/** Parses a seed count, range or comma list; throws a RangeError that says what is accepted. */
export function parseSeeds(text: string): number[] {
  const trimmed = text.trim();
  if (COUNT.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1) throw new RangeError(`seeds "${text}": a count must be at least 1`);
    checkCount(text, count);
    return Array.from({ length: count }, (_, index) => index + 1);
  }
  const range = RANGE.exec(trimmed);
  if (range !== null) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    if (last < first) throw new RangeError(`seeds "${text}": the range ends before it starts (write first..last)`);
    checkSafe(text, first);
    checkSafe(text, last);
    checkCount(text, last - first + 1);
    return Array.from({ length: last - first + 1 }, (_, index) => first + index);
  }
  if (LIST.test(trimmed)) {
    const seeds = trimmed.split(',').map((part) => Number(part.trim()));
    for (const seed of seeds) checkSafe(text, seed);
    checkCount(text, seeds.length);
    const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index);
    if (repeated !== undefined) throw new RangeError(`seeds "${text}": seed ${repeated} is listed twice`);
    return seeds;
  }
  throw new RangeError(`seeds "${text}": expected a count ("20" runs seeds 1..20), a range ("1..100") or a list ("5,9,12")`);
}

function checkCount(text: string, count: number): void {
  if (count > MAX_SEEDS) throw new RangeError(`seeds "${text}": ${count} seeds is more than the limit of ${MAX_SEEDS} (MAX_SEEDS)`);
}

function checkSafe(text: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seeds "${text}": ${seed} is not a safe integer`);
}
