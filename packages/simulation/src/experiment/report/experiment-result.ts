import type { RunKey, RunResult, Scenario } from '../model.js';

/**
 * What the report reads: the shape of the runner's `ExperimentResult`, declared here structurally so the
 * report depends on the shared model only and can be used (and tested) on results read back from JSON or
 * made by hand, without the runner.
 */
export interface ExperimentResultLike {
  scenario: Scenario;
  runs: readonly RunResult[];
  /** Wall-clock time the whole experiment took. */
  wallMs: number;
  /** Simulated time summed over every run. */
  simulatedMs: number;
}

/**
 * A run's name in file names and series rows: `<case>-<variant>-seed-<n>` (no case part when the scenario
 * has no cases). Characters a file system or a shell could trip on become `_`.
 */
export function runFileStem(key: Pick<RunKey, 'case' | 'variant' | 'seed'>): string {
  const parts = key.case === undefined ? [key.variant] : [key.case, key.variant];
  return `${parts.map(safeNamePart).join('-')}-seed-${key.seed}`;
}

function safeNamePart(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The (case, variant) pairs in the order their first run appears: the order of every table and plot. */
export function caseVariantPairs(runs: readonly RunResult[]): Array<{ case?: string; variant: string }> {
  const seen = new Set<string>();
  const pairs: Array<{ case?: string; variant: string }> = [];
  for (const run of runs) {
    const id = pairId(run);
    if (seen.has(id)) continue;
    seen.add(id);
    pairs.push(run.case === undefined ? { variant: run.variant } : { case: run.case, variant: run.variant });
  }
  return pairs;
}

/** A key that tells (case, variant) pairs apart, including a case named like a variant. */
export function pairId(key: { case?: string; variant: string }): string {
  return JSON.stringify([key.case ?? null, key.variant]);
}
