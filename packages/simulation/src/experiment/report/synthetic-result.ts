import type { RunResult, Scenario } from '../model.js';
import type { ExperimentResultLike } from './experiment-result.js';

/**
 * A small made-up experiment for the report's tests: 2 variants x 3 seeds (optionally x 2 cases), with
 * metric values chosen so the median, p95 and worst are easy to check by hand, series, rebalances and one
 * violation. It lives beside the code (not in a test file) so every report test builds the same one.
 */
export function syntheticScenario(options: { cases?: boolean } = {}): Scenario {
  return {
    name: 'synthetic',
    description: 'Two variants, three seeds, made up for the report tests.',
    durationMs: 3_000,
    cluster: { brokers: 3, latencyMs: 1, config: {} },
    topics: [{ name: 'orders', partitions: 6, replicationFactor: 3, config: {} }],
    groups: [],
    producers: [],
    timeline: [],
    variants: [
      { name: 'classic-eager', protocol: 'classic-eager' },
      { name: 'consumer', protocol: 'consumer' },
    ],
    cases: options.cases === true ? [{ name: 'small', set: {} }, { name: 'large', set: {} }] : [],
    metrics: ['throughput_records_per_s', 'rebalance_time_ms', 'records_processed_twice'],
    seeds: 3,
    quick: {},
  };
}

/** Per variant, the three seeds' values of each metric (seed 1, 2, 3). */
export const SYNTHETIC_METRICS: Record<string, Record<string, [number, number, number]>> = {
  'classic-eager': { rebalance_time_ms: [1_500, 900, 12_000], throughput_records_per_s: [950, 1_000, 700], records_processed_twice: [4, 0, 2] },
  consumer: { rebalance_time_ms: [120, 80, 100], throughput_records_per_s: [1_000, 990.5, 1_010], records_processed_twice: [0, 0, 0] },
};

export function syntheticRun(variant: string, seed: 1 | 2 | 3, scenarioCase?: string): RunResult {
  const values = SYNTHETIC_METRICS[variant]!;
  const metrics = Object.fromEntries(Object.entries(values).map(([name, perSeed]) => [name, perSeed[seed - 1]!]));
  const lagSlope = variant === 'consumer' ? 1 : 10;
  return {
    scenario: 'synthetic',
    ...(scenarioCase === undefined ? {} : { case: scenarioCase }),
    variant,
    seed,
    traceHash: `hash-${scenarioCase ?? ''}-${variant}-${seed}`,
    simulatedMs: 3_000,
    wallMs: 10 * seed,
    metrics,
    rebalances: [
      { group: 'app', trigger: 'member.join', triggerMs: 500, stableMs: 500 + (metrics.rebalance_time_ms ?? 0), generations: 2, partitionsMoved: 3, pausedMemberMs: 400, partiallyPausedMemberMs: 50, unownedPartitionMs: 600 },
      { group: 'app', trigger: 'member.crash, "hard"', triggerMs: 2_000, generations: 1, partitionsMoved: 2, pausedMemberMs: 100, partiallyPausedMemberMs: 0, unownedPartitionMs: 200 },
    ],
    series: [0, 1_000, 2_000].map((timeMs, index) => ({ timeMs, produced: 1_000, consumed: 1_000 - lagSlope * (index + seed), lag: lagSlope * (index + seed) })),
    violations: variant === 'classic-eager' && seed === 2 ? [{ checker: 'duplicated', detail: 'orders-0 offset 17 processed twice' }] : [],
  };
}

export function syntheticResult(options: { cases?: boolean } = {}): ExperimentResultLike {
  const scenario = syntheticScenario(options);
  const cases: Array<string | undefined> = options.cases === true ? ['small', 'large'] : [undefined];
  const runs = cases.flatMap((scenarioCase) => ['classic-eager', 'consumer'].flatMap((variant) => ([1, 2, 3] as const).map((seed) => syntheticRun(variant, seed, scenarioCase))));
  return { scenario, runs, wallMs: 1_500, simulatedMs: runs.reduce((sum, run) => sum + run.simulatedMs, 0) };
}
